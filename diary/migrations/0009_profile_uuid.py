"""A stable id per profile (the FHIR file's Patient identifier), given to existing profiles too."""

import uuid

from django.db import migrations, models


def give_each_profile_an_id(apps, schema_editor):
    Profile = apps.get_model("diary", "Profile")
    for profile in Profile.objects.filter(uuid__isnull=True).only("pk"):
        profile.uuid = uuid.uuid4()
        profile.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    # Filled here, made unique in the next migration: PostgreSQL refuses to alter a table in
    # the same transaction that has just updated its rows.
    dependencies = [("diary", "0008_share_links")]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_profile_an_id, migrations.RunPython.noop, elidable=True),
    ]
