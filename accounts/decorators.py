"""Role checks in one shape: ``@role_required("supervisor")`` on a view.

A refused request raises ``PermissionDenied``, which Django answers with the
project's 403 page (``handler403``). Checks about one person (supervises this
person, may edit this session) live in ``caseload/access.py`` and raise the same.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

# Role name → (does the user hold it, who holds it, in a sentence).
ROLES = {
    "worker": (lambda user: user.is_worker, "workers"),
    "supervisor": (lambda user: user.is_supervisor, "supervisors"),
    "curator": (lambda user: user.is_curator, "toolkit curators"),
    "team": (lambda user: user.is_worker or user.is_supervisor, "workers and supervisors"),
    "admin": (lambda user: user.is_staff, "administrators"),
}


def _who(roles):
    names = [ROLES[role][1] for role in roles]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def has_role(user, *roles):
    """True when ``user`` (signed in and active) holds any of ``roles``."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    return any(ROLES[role][0](user) for role in roles)


def require_role(user, *roles):
    """Raise ``PermissionDenied`` unless ``user`` holds one of ``roles``."""
    if not has_role(user, *roles):
        raise PermissionDenied(f"Only {_who(roles)} can do this.")


def role_required(*roles):
    """View decorator: only users holding one of ``roles`` ("worker",
    "supervisor", "curator", "admin" for staff, or "team" for a worker or
    supervisor) get in;
    everyone else gets 403 (anonymous visitors are sent to sign in first by
    ``LoginRequiredMiddleware``)."""
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise ValueError(f"role_required needs roles from {sorted(ROLES)}, not {sorted(unknown)}")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
