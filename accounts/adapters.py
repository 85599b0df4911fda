"""How django-allauth behaves here: no sign-up, our wording, our rules for factors."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from .mfa import mfa_required_for

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


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": CODE_ERROR,
        "cannot_delete_authenticator": (
            "Your role needs a second factor, so you cannot remove your last one. "
            "Add another first (an authenticator app or a passkey)."
        ),
    }

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
