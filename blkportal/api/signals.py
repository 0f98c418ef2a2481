"""Revoke a user's API tokens when their password changes (change or reset, in the portal, the admin
or manage.py) and when the account is deactivated."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import services
from .models import RevokedReason


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api_tokens_follow_credentials")
def revoke_tokens_with_old_credentials(sender, instance, created, **kwargs):
    if created:
        return
    # AbstractBaseUser keeps the new raw password in `_password` from set_password() until save()
    # has finished; a hash upgrade at login clears it first, so only a real new password counts.
    if getattr(instance, "_password", None) is not None:
        services.tokens_revoke_all(user=instance, reason=RevokedReason.PASSWORD)
    elif not instance.is_active:
        services.tokens_revoke_all(user=instance, reason=RevokedReason.DEACTIVATED)
