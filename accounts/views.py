from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils import timezone

from .forms import SignInForm


class SignInView(auth_views.LoginView):
    """Sign-in page. Django's LoginView follows ``next`` only when it points to
    this site (``url_has_allowed_host_and_scheme``); anything else goes home."""

    form_class = SignInForm
    redirect_authenticated_user = True


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
