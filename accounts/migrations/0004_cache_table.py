from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The shared cache (sign-in rate limits, TOTP codes already used) lives in
    # the database, so every app instance sees the same one. Safe to repeat.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_security_and_refused_access")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
