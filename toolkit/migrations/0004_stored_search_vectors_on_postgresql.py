"""On PostgreSQL, keep a stored tsvector next to ``search_text`` and index it.

Computing to_tsvector() at query time (the expression index of 0003) is too slow
when many rows match and results are ranked; a generated column is parsed once on
write. SQLite keeps its LIKE search and gets nothing here. The column is not a
model field: ``toolkit.search`` queries it by name on PostgreSQL only.
"""

from django.db import migrations

TABLES = ["toolkit_resource", "toolkit_service"]
OLD_INDEXES = ["toolkit_resource_search_gin", "toolkit_service_search_gin"]


def add_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for table in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            "(to_tsvector('english'::regconfig, coalesce(search_text, ''))) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {table}_search_vector_gin ON {table} USING gin (search_vector) "
            # Without a pending list, new rows are searchable through the index at once
            # and the planner never falls back to a sequential scan because of it.
            "WITH (fastupdate = off)"
        )


def remove_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("toolkit", "0003_seed_practice_areas_and_search_indexes")]

    operations = [migrations.RunPython(add_vectors, remove_vectors)]
