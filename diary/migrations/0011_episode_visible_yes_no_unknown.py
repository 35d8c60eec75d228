"""
"Seen under the skin" becomes a question like the others: yes, no, or not answered (NULL).

It was a tick box (False by default), so an existing False only says the box was left empty,
never that the person looked and saw nothing: every existing False becomes NULL (unknown);
True stays yes. The per-day summaries are rebuilt, since they now count the answered twitch
details (pattern, seen under the skin, stopped when moved, what the person was doing).

Reversing turns unknown back into an empty tick box (False).
"""

from django.db import migrations, models


def unknown_not_no(apps, schema_editor):
    from diary.models.summary import rebuild_days  # works on the historical models it is given

    Episode = apps.get_model("diary", "Episode")
    DaySummary = apps.get_model("diary", "DaySummary")
    Episode.objects.filter(visible=False).update(visible=None)
    user_ids = Episode.objects.order_by().values_list("user_id", flat=True).distinct()
    for user_id in list(user_ids):
        rebuild_days(user_id, None, summary_model=DaySummary)


def back_to_tick_box(apps, schema_editor):
    Episode = apps.get_model("diary", "Episode")
    Episode.objects.filter(visible__isnull=True).update(visible=False)


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0010_profile_uuid_unique"),
    ]

    operations = [
        migrations.AlterField(
            model_name="episode",
            name="visible",
            field=models.BooleanField(blank=True, null=True, verbose_name="seen under the skin"),
        ),
        migrations.RunPython(unknown_not_no, back_to_tick_box, elidable=True),
    ]
