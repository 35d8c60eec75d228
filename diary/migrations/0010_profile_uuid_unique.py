import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("diary", "0009_profile_uuid")]

    operations = [
        migrations.AlterField(
            model_name="profile",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
