"""The ``date`` filter, remembered for plain dates.

Django's ``date`` filter works a format out afresh each time (about 40 µs); a
board or caseload list shows a hundred dates. For a plain date (not a date and
time, which depends on the time zone) the text depends only on the date, the
format and the language, so it is worked out once per process for each. Loaded
as a template builtin (settings ``TEMPLATES``), so it serves every ``|date``;
anything else goes to Django's own filter unchanged.
"""

import datetime
import functools

from django import template
from django.template.defaultfilters import date as django_date
from django.utils.translation import get_language

register = template.Library()


@functools.lru_cache(maxsize=4096)
def _formatted(value, arg, language):
    return django_date(value, arg)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if type(value) is datetime.date:
        return _formatted(value, arg, get_language())
    return django_date(value, arg)
