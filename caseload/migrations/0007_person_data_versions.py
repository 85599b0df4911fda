from django.core.management import call_command
from django.db import migrations, models


def create_cache_tables(apps, schema_editor):
    # The kept-parts cache ("kept" in CACHES) is a table of its own. The
    # triggers that keep the versions are installed after every migrate
    # (caseload.data_versions). Safe to repeat.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("caseload", "0006_audit_indexes_for_volume"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonDataVersion",
            fields=[
                ("person_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={
                "db_table": "caseload_person_data_version",
            },
        ),
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop),
    ]
