"""ReminderDigest moves from ``connecting_people`` to ``workflow`` with its rows.

The table already exists (``connecting_people`` 0001 created it), so this only
tells Django's migration state that the model now belongs here; the next
migration renames the table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("connecting_people", "0001_reminder_digests"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ReminderDigest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("sent_on", models.DateField()),
                        ("item_count", models.PositiveIntegerField(default=0)),
                        ("sent_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminder_digests",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["-sent_on"],
                        "db_table": "connecting_people_reminderdigest",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "sent_on"), name="one_digest_per_day"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
