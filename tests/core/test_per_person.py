"""core.per_person.annotate_only: one annotate() with the figures asked for."""

import pytest
from django.db.models import Value

from caseload.models import ServiceUser
from core.per_person import annotate_only

FIGURES = {"seven": lambda: Value(7), "eight": lambda: Value(8)}


@pytest.mark.django_db
def test_only_the_figures_named_are_annotated(person):
    read = annotate_only(ServiceUser.objects.all(), FIGURES, only=["eight"]).get(pk=person.pk)
    assert read.eight == 8 and not hasattr(read, "seven")
    both = annotate_only(ServiceUser.objects.all(), FIGURES).get(pk=person.pk)
    assert (both.seven, both.eight) == (7, 8)


def test_asking_for_none_leaves_the_queryset_as_it_was():
    people = ServiceUser.objects.all()
    assert annotate_only(people, FIGURES, only=[]) is people


def test_an_unknown_figure_is_an_error():
    with pytest.raises(ValueError, match="nine"):
        annotate_only(ServiceUser.objects.all(), FIGURES, only=["nine"])
