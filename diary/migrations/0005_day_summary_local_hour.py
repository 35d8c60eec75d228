"""
One clock and the per-day summary: Episode.local_hour (the hour in the zone each episode was
logged in), Profile.data_version, and DaySummary; existing rows are backfilled (local hours
computed from started_at and the episode's own zone, then every user's summaries built).
"""

import zoneinfo

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

BATCH = 2000


def backfill(apps, schema_editor):
    from diary.models.summary import rebuild_days  # works on the historical models it is given

    Episode = apps.get_model("diary", "Episode")
    DaySummary = apps.get_model("diary", "DaySummary")
    zones: dict[str, zoneinfo.ZoneInfo] = {}
    changed = []
    for episode in Episode.objects.only("id", "started_at", "timezone").iterator(BATCH):
        zone = zones.setdefault(episode.timezone, zoneinfo.ZoneInfo(episode.timezone))
        local = episode.started_at.astimezone(zone)
        episode.local_hour = local.hour
        changed.append(episode)
        if len(changed) >= BATCH:
            Episode.objects.bulk_update(changed, ["local_hour"])
            changed = []
    if changed:
        Episode.objects.bulk_update(changed, ["local_hour"])
    user_ids = Episode.objects.order_by().values_list("user_id", flat=True).distinct()
    for user_id in list(user_ids):
        rebuild_days(user_id, None, summary_model=DaySummary)


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0004_trigger_slug_unicode"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="episode",
            name="local_hour",
            field=models.PositiveSmallIntegerField(
                default=0, editable=False, validators=[django.core.validators.MaxValueValidator(23)]
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="data_version",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.CreateModel(
            name="DaySummary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField()),
                ("episodes", models.PositiveIntegerField()),
                ("seconds", models.FloatField()),
                ("counts", models.JSONField(default=dict)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="day_summaries",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["date"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "date"), name="day_summary_one_per_user_date"
                    )
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
