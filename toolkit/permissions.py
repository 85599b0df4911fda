from functools import wraps

from django.core.exceptions import PermissionDenied


def curator_required(view):
    """Curators (and administrators, who hold every permission) only; others get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not getattr(request.user, "is_curator", False):
            raise PermissionDenied("Only toolkit curators can do this.")
        return view(request, *args, **kwargs)

    return wrapper
