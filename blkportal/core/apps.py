from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared mechanics with no domain of their own: calendar, errors, formatting, pagination."""

    name = "blkportal.core"
    label = "core"
    verbose_name = "Core"
