"""Seed the twelve CPI practice areas; on PostgreSQL add full-text (GIN) indexes.

The GIN indexes are built with the same SearchVector expression the selectors
query with, so PostgreSQL uses them. SQLite needs neither (it searches with LIKE).
"""

from django.db import migrations

RESOURCE_INDEX = "toolkit_resource_search_gin"
SERVICE_INDEX = "toolkit_service_search_gin"


def seed_practice_areas(apps, schema_editor):
    from toolkit.practice_areas import ensure_practice_areas

    ensure_practice_areas(apps.get_model("toolkit", "PracticeArea"))


def add_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    from toolkit.search import search_vector

    for model_name, name in [("Resource", RESOURCE_INDEX), ("Service", SERVICE_INDEX)]:
        model = apps.get_model("toolkit", model_name)
        schema_editor.add_index(model, GinIndex(search_vector(), name=name))


def remove_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [RESOURCE_INDEX, SERVICE_INDEX]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("toolkit", "0002_resources_directory_oruk_model")]

    operations = [
        migrations.RunPython(seed_practice_areas, migrations.RunPython.noop),
        migrations.RunPython(add_search_indexes, remove_search_indexes),
    ]
