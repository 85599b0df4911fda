"""Recording who viewed or changed a person's record (never the content)."""

from .models import AuditEvent, ClosureReason
from .stages import stage_label

Action = AuditEvent.Action

# What the access log calls each kind of record (object_type is the model's
# name, or a page's own name such as "summary").
RECORD_WORDS = {
    "serviceuser": "Person record",
    "session": "Session",
    "consent": "Consent",
    "networkmember": "Map member",
    "tie": "Link between members",
    "snapshot": "Map snapshot",
    "goal": "Goal",
    "step": "Goal step",
    "review": "Goal review",
    "rating": "Goal rating",
    "summary": "Summary for the person",
    "riskalert": "Risk and safety alert",
    "loneworkingcheckin": "Lone-working check-in",
    "groupsession": "Group session",
}


def audit_record(
    *, actor, action, service_user, obj=None, fields=(), request=None, detail="", object_type=""
):
    """Write one audit event. ``obj`` is the record touched (defaults to the person);
    ``object_type`` names a page that is not one record (such as "summary")."""
    obj = obj if obj is not None else service_user
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        service_user=service_user,
        object_type=object_type or obj._meta.model_name,
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


def record_words(event):
    """The kind of record an event touched, in words ("Person record")."""
    code = event.object_type
    return RECORD_WORDS.get(code) or code.replace("_", " ").capitalize()


def detail_words(event):
    """An event's detail in words: stage and closure codes become their labels
    ("moving_on → closed" reads "Moving on → Closed"), older rows included."""
    detail = event.detail
    if not detail:
        return ""
    if event.action == Action.STAGE and " → " in detail:
        return " → ".join(stage_label(part.strip()) for part in detail.split(" → ", 1))
    if event.action == Action.CLOSE and detail in ClosureReason.values:
        label = ClosureReason(detail).label
        return label[0].lower() + label[1:]
    if event.action == Action.REOPEN and detail.startswith("back to "):
        return "back to " + stage_label(detail.removeprefix("back to "))
    return detail
