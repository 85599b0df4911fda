"""Every team belongs to an agency. Teams that existed before agencies join one
default agency, which an administrator then renames and gives its sector.

Its own migration: on PostgreSQL, updating a foreign key leaves deferred
constraint checks pending, and the next migration's ALTER TABLE (NOT NULL)
must not run in the same transaction.
"""

from django.db import migrations

DEFAULT_AGENCY_NAME = "Default agency"


def teams_join_default_agency(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    Team = apps.get_model("accounts", "Team")
    without = Team.objects.filter(agency__isnull=True)
    if not without.exists():
        return
    agency, _ = Agency.objects.get_or_create(
        name=DEFAULT_AGENCY_NAME, defaults={"sector": "other", "area": ""}
    )
    without.update(agency=agency)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_agencies"),
    ]

    operations = [
        migrations.RunPython(teams_join_default_agency, migrations.RunPython.noop),
    ]
