"""Contributions: how an app adds to a page another app owns, without that app importing it.

Four slots, each filled by an optional module of the same name in any installed app:

    slot           module               provider signature                     record
    NAV            <app>/nav.py          (user) -> list[NavItem]                navigation bar
    HOME           <app>/home.py         (request) -> list[Panel]               home page panels
    CENTRE_LINKS   <app>/centre_links.py (user, centre) -> list[CentreLink]     buttons on a centre's page
    PROFILE        <app>/profile.py      (request) -> list[Panel]               profile page sections

A provider is a function marked with its slot, e.g. in <app>/nav.py:

    from blkportal.core.contributions import NAV, NavItem

    @NAV.provider
    def items(user):
        return [NavItem(label=_("Laporan"), url=reverse("reporting:my_reports"), order=20)]

It returns only what `user` may open (ask access.py). `collect(slot, *args)` imports the slot's
modules once (Django's autodiscover_modules, in INSTALLED_APPS order), calls every provider and
returns the records sorted by `order` (ties keep INSTALLED_APPS order). Everything the project layer
already imports (URLs, API routes, beat schedule, demo seeds) is wired explicitly instead; see
docs/architecture.md, "Wiring".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class NavItem:
    """One entry of the navigation bar."""

    label: str
    url: str
    order: int
    # "user": a rarely used page, listed in the user menu instead of the bar (keeps it on one row).
    menu: str = ""


@dataclass(frozen=True)
class Panel:
    """A section of the home or profile page: `template` is included with `ctx` = `context`; a wide
    panel takes the full width of the home page."""

    template: str
    order: int
    context: dict[str, Any] = field(default_factory=dict)
    wide: bool = False


@dataclass(frozen=True)
class CentreLink:
    """A button on a centre's page (registry:centre_detail) to that centre's page in another app."""

    label: str
    url: str
    order: int


class Slot:
    """A place on a page that apps add to: the name of the module providing it, and its providers."""

    def __init__(self, module: str):
        self.module = module
        self._providers: dict[str, Callable[..., list]] = {}
        self._discovered = False

    def provider(self, function: Callable[..., list]) -> Callable[..., list]:
        """Decorator: `function` contributes records to this slot (keyed by its dotted name, so
        importing a module twice does not add it twice)."""
        self._providers[f"{function.__module__}.{function.__qualname__}"] = function
        return function

    def providers(self) -> list[Callable[..., list]]:
        """The providers in INSTALLED_APPS order (whatever order their modules were imported in)."""
        if not self._discovered:
            autodiscover_modules(self.module)
            self._discovered = True
        order = {config.name: index for index, config in enumerate(apps.get_app_configs())}

        def app_index(function):
            config = apps.get_containing_app_config(function.__module__)
            return order.get(config.name, len(order)) if config else len(order)

        return sorted(self._providers.values(), key=app_index)

    def __repr__(self):
        return f"Slot({self.module!r})"


NAV = Slot("nav")
HOME = Slot("home")
CENTRE_LINKS = Slot("centre_links")
PROFILE = Slot("profile")


def collect(slot: Slot, *args) -> list:
    """Every record the installed apps contribute to `slot` for these arguments, sorted by order."""
    return sorted((record for provider in slot.providers() for record in provider(*args)), key=lambda r: r.order)
