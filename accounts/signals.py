from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from core.remember import forget_kept_parts

from . import mfa

SESSION_STARTED_KEY = "cp_signed_in_at"
LAST_SEEN_KEY = "cp_last_seen_at"


@receiver(user_logged_in)
def remember_sign_in_time(sender, request, user, **kwargs):
    """Note when the session began (to end it after the maximum lifetime) and
    whether the user still has to set up a second factor."""
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[SESSION_STARTED_KEY] = now
        request.session[LAST_SEEN_KEY] = now
        mfa.note_mfa_state(request.session, user)


@receiver(authenticator_added)
@receiver(authenticator_removed)
def recheck_mfa_state(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mfa.note_mfa_state(request.session, user)


def count_failed_sign_in(request, user):
    """A wrong second factor counts towards the django-axes lockout, just as a
    wrong password does (same username and address)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )


@receiver(authentication_failed)
def count_wrong_code(sender, request, user, **kwargs):
    """A wrong, reused or expired TOTP code or recovery code (allauth's signal)."""
    if request is not None and user is not None:
        count_failed_sign_in(request, user)


@receiver(pre_save, sender="accounts.User", dispatch_uid="forget-kept-parts-on-rename")
def forget_kept_parts_on_rename(sender, instance, update_fields=None, raw=False, **kwargs):
    """Kept page parts name staff (a journey's "Logged by …"): when a user's name
    changes, forget them all, once the change is committed. Renames are rare;
    signing in (which saves ``last_login`` only) costs nothing here."""
    from .selectors import NAME_FIELDS

    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(NAME_FIELDS):
        return
    before = sender._base_manager.filter(pk=instance.pk).values(*NAME_FIELDS).first()
    if before and any(before[name] != getattr(instance, name) for name in NAME_FIELDS):
        transaction.on_commit(forget_kept_parts)


@receiver(pre_save, sender="accounts.Team", dispatch_uid="forget-kept-parts-on-team-rename")
def forget_kept_parts_on_team_rename(sender, instance, raw=False, **kwargs):
    """Kept page parts name the person's team (their summary's "Team"): when a
    team's name changes, forget them all, once the change is committed."""
    if raw or instance.pk is None:
        return
    before = sender._base_manager.filter(pk=instance.pk).values_list("name", flat=True).first()
    if before is not None and before != instance.name:
        transaction.on_commit(forget_kept_parts)
