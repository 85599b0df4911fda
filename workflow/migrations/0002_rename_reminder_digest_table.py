"""Rename the moved table to the workflow app's name (rows kept) and move its
content type, so permissions granted on it stay attached."""

from django.db import migrations


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old = ContentType.objects.using(db).filter(app_label="connecting_people", model="reminderdigest")
    if ContentType.objects.using(db).filter(app_label="workflow", model="reminderdigest").exists():
        old.delete()
    else:
        old.update(app_label="workflow")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="workflow", model="reminderdigest").update(
        app_label="connecting_people"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("workflow", "0001_reminder_digest_moved_from_connecting_people"),
        ("connecting_people", "0002_reminder_digest_moved_to_workflow"),
    ]

    operations = [
        migrations.AlterModelTable(name="reminderdigest", table=None),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
