from allauth.mfa.signals import authentication_failed, authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

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
