"""ReminderDigest now belongs to the ``workflow`` app; its table and rows are kept
(``workflow`` 0001 and 0002 take it over and rename it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("connecting_people", "0001_reminder_digests"),
        ("workflow", "0001_reminder_digest_moved_from_connecting_people"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="ReminderDigest")],
        ),
    ]
