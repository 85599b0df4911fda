"""The URL names django-allauth reverses, on our paths (no namespace).

Sign-in, sign-out and the password pages keep their old addresses (the
``accounts:`` names point to the same views); the second-factor pages live
under ``/account/mfa/``. There is no sign-up and no email management.
"""

from allauth.account import views as allauth_views
from django.urls import include, path

from . import views
from .urls import urlpatterns as account_urls

_by_name = {pattern.name: pattern for pattern in account_urls}


def _alias(our_name, allauth_name):
    pattern = _by_name[our_name]
    return path(str(pattern.pattern), pattern.callback, name=allauth_name)


urlpatterns = [
    _alias("login", "account_login"),
    _alias("logout", "account_logout"),
    _alias("password_change", "account_change_password"),
    _alias("password_reset", "account_reset_password"),
    _alias("sessions", "usersessions_list"),
    path("account/inactive/", allauth_views.account_inactive, name="account_inactive"),
    path("account/confirm/", allauth_views.reauthenticate, name="account_reauthenticate"),
    # Ours first: the second step counts failures towards the lockout.
    path("account/mfa/authenticate/", views.second_factor, name="mfa_authenticate"),
    path("account/mfa/webauthn/login/", views.passkey_sign_in, name="mfa_login_webauthn"),
    path("account/mfa/", include("allauth.mfa.urls")),
]
