from django import template

from goals.models import LEVEL_LABELS, level_display

register = template.Library()


@register.filter
def level_sign(level):
    """+1, 0, −2."""
    return level_display(level)


@register.filter
def level_label(level):
    return LEVEL_LABELS.get(level, "")


@register.filter
def level_text(goal, level):
    """The goal's own description of ``level``."""
    return goal.level_description(level)


@register.filter
def is_overdue(step, today=None):
    return step.is_overdue(today)


@register.filter
def t_score(value):
    return "No score" if value is None else f"{value:.2f}"
