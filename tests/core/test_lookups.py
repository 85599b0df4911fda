"""core.lookups.InSmallSubquery: "id in (a few ids read by a subquery)", written
so PostgreSQL looks the ids up in an index when OR-ed with another condition."""

from django.db import connection
from django.db.models import F, Q

from accounts.models import TeamMembership, User
from core.lookups import InSmallSubquery


def members_of(team):
    return InSmallSubquery(F("pk"), TeamMembership.objects.filter(team=team).values("user_id"))


def test_it_keeps_the_rows_the_subquery_names(owner, colleague, other_worker, team_a):
    assert set(User.objects.filter(members_of(team_a))) == {owner, colleague}


def test_an_empty_subquery_matches_nothing_and_an_or_still_does(team_a, owner, other_worker):
    TeamMembership.objects.filter(team=team_a).delete()
    assert not User.objects.filter(members_of(team_a)).exists()
    either = User.objects.filter(Q(members_of(team_a)) | Q(pk=other_worker.pk))
    assert list(either) == [other_worker]


def test_it_is_one_query_written_for_the_database(team_a, owner, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        list(User.objects.filter(Q(members_of(team_a)) | Q(username="nobody")))
    sql = captured.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(ARRAY(SELECT" in sql
    else:
        assert " IN (SELECT" in sql
