"""core/templatetags/core_dates.py: |date gives Django's text, remembered for plain dates."""

import datetime

import pytest
from django.template import engines
from django.template.defaultfilters import date as django_date
from django.utils import timezone, translation


def render(text, **context):
    return engines["django"].from_string(text).render(context)


@pytest.mark.parametrize("arg", ['"j F Y"', '"l j F"', '"j F"', ""])
def test_dates_read_as_django_writes_them(arg):
    day = datetime.date(2026, 12, 2)
    template = "{{ day|date:" + arg + " }}" if arg else "{{ day|date }}"
    expected = django_date(day, arg.strip('"') or None)
    assert render(template, day=day) == render(template, day=day) == expected


def test_a_date_and_time_is_still_shown_in_local_time(settings):
    settings.TIME_ZONE = "Europe/London"
    moment = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC)  # 00:30 on 2 July in London
    with timezone.override("Europe/London"):
        assert render('{{ moment|date:"j F Y H:i" }}', moment=moment) == "2 July 2026 00:30"


def test_the_language_is_part_of_what_is_remembered():
    day = datetime.date(2026, 12, 2)
    assert render('{{ day|date:"F" }}', day=day) == "December"
    with translation.override("fr"):
        assert render('{{ day|date:"F" }}', day=day) == django_date(day, "F")
    assert render('{{ day|date:"F" }}', day=day) == "December"
    assert render("{{ nothing|date }}", nothing=None) == ""
