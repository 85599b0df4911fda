"""Who must use a second factor, and whether this session still has to set one up.

``CP_MFA_REQUIRED`` names the roles (worker, supervisor, curator, admin; "all" for
everyone, "none" for no one). Whether a signed-in user still needs to set a
factor up is worked out once, when they sign in, and kept in the session, so
pages cost no extra query; adding a factor clears it, removing the last one sets it.
"""

from django.conf import settings

SETUP_NEEDED_KEY = "cp_mfa_setup_needed"


def required_roles():
    return set(settings.CONNECTING_PEOPLE["MFA_REQUIRED"])


def mfa_required_for(user):
    required = required_roles()
    if "all" in required:
        return True
    return bool(required & user.role_codes)


def has_second_factor(user):
    """A TOTP app or a passkey/security key (recovery codes alone do not count)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def note_mfa_state(session, user):
    session[SETUP_NEEDED_KEY] = mfa_required_for(user) and not has_second_factor(user)


def setup_needed(session):
    return bool(session.get(SETUP_NEEDED_KEY))
