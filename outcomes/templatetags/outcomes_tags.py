from django import template

from outcomes import numbers
from outcomes.selectors import percent, shown

register = template.Library()


@register.filter
def score(value):
    """A score, or a dash when there is none."""
    return "–" if value is None else numbers.plain(value)


@register.filter
def signed(value):
    return "–" if value is None else numbers.signed(value)


@register.filter
def rci(value):
    """A reliable change index to two decimal places, with its sign."""
    if value is None:
        return "–"
    text = f"{abs(value):.2f}"
    return f"−{text}" if value < 0 else f"+{text}" if value > 0 else text


@register.filter(name="shown")
def shown_filter(number):
    """A count for a team figure ("fewer than 5" below five people)."""
    return shown(number)


@register.filter(name="percent")
def percent_filter(share):
    return percent(share) or "–"
