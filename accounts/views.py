import json

from allauth.mfa.base.views import AuthenticateView
from allauth.mfa.webauthn.views import LoginWebAuthnView
from allauth.usersessions.models import UserSession
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import PhoneForm
from .selectors import describe_browser
from .services import (
    user_set_phone,
    usersession_end,
    usersessions_end_others,
    usersessions_live,
)
from .signals import count_failed_sign_in


def locked_out(request, response=None, credentials=None):
    """Shown by django-axes instead of the sign-in page while a lockout lasts."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    retry_at = timezone.localtime() + settings.AXES_COOLOFF_TIME
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": minutes, "retry_at": retry_at},
        status=429,
    )


class SecondFactorView(AuthenticateView):
    """The second sign-in step (TOTP code, recovery code or security key).

    Wrong codes count towards the django-axes lockout of the username and
    address, like wrong passwords; a locked-out user cannot keep guessing here.
    """

    def post(self, request, *args, **kwargs):
        user = self.stage.login.user
        if not AxesProxyHandler.is_allowed(request, {"username": user.get_username()}):
            return locked_out(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form is self.webauthn_form:
            # Code failures are counted from allauth's authentication_failed
            # signal; a failed security key has no signal, so count it here.
            count_failed_sign_in(self.request, self.stage.login.user)
            if getattr(self.request, "axes_locked_out", False):
                return locked_out(self.request)
        return super().form_invalid(form)


second_factor = SecondFactorView.as_view()


class PasskeySignInView(LoginWebAuthnView):
    """Sign-in with a passkey alone (it proves possession and the user's PIN or
    fingerprint). A failed attempt is counted against this address."""

    def form_invalid(self, form):
        user = None
        try:
            from allauth.mfa.webauthn.internal import auth

            user = auth.extract_user_from_response(json.loads(form.data.get("credential", "")))
        except Exception:  # noqa: BLE001, S110 - an unreadable credential names no one
            pass
        if user is not None:
            count_failed_sign_in(self.request, user)
        messages.error(
            self.request,
            "That passkey could not be used. Try again, or sign in with your password.",
        )
        return redirect("accounts:login")


passkey_sign_in = login_not_required(PasskeySignInView.as_view())


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password; every other signed-in session of the user ends."""

    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session, with a new key
        ended = usersessions_end_others(
            user=self.request.user, current_key=self.request.session.session_key
        )
        UserSession.objects.create_from_request(self.request)
        if ended:
            messages.info(
                self.request,
                f"Your other sessions ({ended}) were signed out.",
            )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the emailed link; every session of the user ends."""

    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        usersessions_end_others(user=form.user, current_key=None)
        return response


@require_GET
def sessions(request):
    """Your sessions: each signed-in device, and signing out any or all others."""
    rows = usersessions_live(request.user)
    current = request.session.session_key
    entries = [
        {
            "id": row.pk,
            "browser": describe_browser(row.user_agent),
            "address": row.ip,
            "signed_in": row.created_at,
            "last_seen": row.last_seen_at,
            "current": row.session_key == current,
        }
        for row in rows
    ]
    entries.sort(key=lambda entry: not entry["current"])
    others = sum(1 for entry in entries if not entry["current"])
    return render(request, "accounts/sessions.html", {"entries": entries, "others": others})


@require_POST
def session_end(request, session_id):
    if not usersession_end(
        user=request.user, session_id=session_id, current_key=request.session.session_key
    ):
        raise Http404("No such session")
    messages.success(request, "That session has been signed out.")
    return redirect("accounts:sessions")


@require_POST
def sessions_end_others(request):
    ended = usersessions_end_others(user=request.user, current_key=request.session.session_key)
    if ended:
        messages.success(request, f"Signed out of {ended} other session{'s' if ended > 1 else ''}.")
    else:
        messages.info(request, "There were no other sessions to sign out.")
    return redirect("accounts:sessions")


@require_http_methods(["GET", "POST"])
def phone(request):
    """The signed-in user's own work phone."""
    if request.method == "POST":
        form = PhoneForm(request.POST)
        if form.is_valid():
            user_set_phone(user=request.user, phone=form.cleaned_data["phone"])
            messages.success(request, "Your work phone is saved.")
            return redirect("accounts:phone")
    else:
        form = PhoneForm(initial={"phone": request.user.phone})
    return render(request, "accounts/phone.html", {"form": form})
