from django import template

register = template.Library()


@register.filter
def dict_get(mapping, key):
    """``{{ mapping|dict_get:key }}``: a dictionary value by a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None
