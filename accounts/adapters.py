"""How django-allauth behaves here: no sign-up, our wording, our rules for factors."""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings

from .mfa import mfa_required_for
from .signals import SESSION_STARTED_KEY

SIGN_IN_ERROR = (
    "The username or password is not right. Check both and try again "
    "(the password is case-sensitive)."
)
CODE_ERROR = (
    "That code is not right, or it has already been used. Enter the code your "
    "authenticator app shows now, or a recovery code you have not used before."
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": SIGN_IN_ERROR,
        "account_inactive": SIGN_IN_ERROR,
        "incorrect_password": "That password is not right. Enter your current password.",
        "incorrect_code": CODE_ERROR,
        "too_many_login_attempts": "Too many attempts. Wait a few minutes and try again.",
        "rate_limited": "Too many attempts. Wait a minute and try again.",
    }

    def is_open_for_signup(self, request):
        # Accounts are made by administrators.
        return False

    def is_reauthentication_required(self, *, app, **kwargs):
        """Changing how one signs in asks for the password again, unless the
        sign-in itself was within the last few minutes (so the set-up a new
        supervisor is sent to straight after signing in asks for nothing more)."""
        request = context.request
        started = request.session.get(SESSION_STARTED_KEY) if request is not None else None
        if started and time.time() - started < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT:
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": CODE_ERROR,
        "cannot_delete_authenticator": (
            "Your role needs a second factor, so you cannot remove your last one. "
            "Add another first (an authenticator app or a passkey)."
        ),
    }

    def generate_authenticator_name(self, user, type):
        count = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        return f"Key {count + 1}"

    def get_totp_label(self, user):
        return user.username

    def _get_site_name(self):
        return "Connecting People"

    def can_delete_authenticator(self, authenticator):
        """Someone whose role needs MFA keeps at least one app or key."""
        if authenticator.type == Authenticator.Type.RECOVERY_CODES:
            return True
        user = authenticator.user
        if not mfa_required_for(user):
            return True
        return (
            Authenticator.objects.filter(
                user_id=user.pk,
                type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN],
            )
            .exclude(pk=authenticator.pk)
            .exists()
        )
