"""Recording who viewed or changed a person's record (never the content)."""

from .models import AuditEvent

Action = AuditEvent.Action


def audit_record(*, actor, action, service_user, obj=None, fields=(), request=None, detail=""):
    """Write one audit event. ``obj`` is the record touched (defaults to the person)."""
    obj = obj if obj is not None else service_user
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        service_user=service_user,
        object_type=obj._meta.model_name,
        object_id=str(getattr(obj, "public_id", None) or obj.pk),
        fields=sorted(fields),
        path=(request.path[:300] if request is not None else ""),
        detail=detail[:200],
    )


def audit_view(request, service_user, obj=None):
    """Record that the signed-in user viewed a page of this person's record."""
    return audit_record(
        actor=request.user, action=Action.VIEW, service_user=service_user, obj=obj, request=request
    )
