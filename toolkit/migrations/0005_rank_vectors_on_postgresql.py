"""On PostgreSQL, a small stored tsvector used only to rank search results.

Matches are found in ``search_vector`` (everything, body included); results are
ordered by how well the title (weight A) and summary/tags or description (B)
match. Ranking on this small column avoids reading every matching row's large
body vector a second time, which kept broad searches over 5,000 resources slow.
SQLite gets nothing here.
"""

from django.db import migrations

COLUMNS = {
    "toolkit_resource": (
        "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, "
        "coalesce(summary, '') || ' ' || coalesce(tags, '')), 'B')"
    ),
    "toolkit_service": (
        "setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'B')"
    ),
}


def add_rank_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, expression in COLUMNS.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN rank_vector tsvector "
            f"GENERATED ALWAYS AS ({expression}) STORED"
        )


def remove_rank_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in COLUMNS:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS rank_vector")


class Migration(migrations.Migration):
    dependencies = [("toolkit", "0004_stored_search_vectors_on_postgresql")]

    operations = [migrations.RunPython(add_rank_vectors, remove_rank_vectors)]
