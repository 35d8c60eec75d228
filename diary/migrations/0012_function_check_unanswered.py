"""
Function-check answers may be left unanswered (NULL, "not sure"): a new check starts
unanswered instead of "No" for every task.

Existing answers are kept as they are, False included: until now every task had to be answered
yes or no before a check could be saved (the form preselected "No" and offered no way to leave a
task open), so an existing False is an answer the person saved, and stays "no".

Reversing turns an unanswered task into "no", the only value the old column could hold.
"""

from django.db import migrations, models

TASKS = (
    "walking",
    "stairs",
    "grip",
    "dropping",
    "handwriting",
    "speech",
    "chewing",
    "swallowing",
    "breathing",
)


def unanswered_to_no(apps, schema_editor):
    FunctionCheck = apps.get_model("diary", "FunctionCheck")
    for name in TASKS:
        FunctionCheck.objects.filter(**{f"{name}__isnull": True}).update(**{name: False})


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0011_episode_visible_yes_no_unknown"),
    ]

    # Reversed, the RunPython runs first: no NULL may be left when the columns are NOT NULL again.
    operations = [
        *(
            migrations.AlterField(
                model_name="functioncheck",
                name=name,
                field=models.BooleanField(blank=True, null=True, verbose_name="new or worse"),
            )
            for name in TASKS
        ),
        migrations.RunPython(migrations.RunPython.noop, unanswered_to_no, elidable=True),
    ]
