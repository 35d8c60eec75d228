"""About your twitching: the answers on the profile (medicines and tests done already are)."""

import django.core.validators
from django.db import migrations, models

import diary.models.about
import diary.models.validators


class Migration(migrations.Migration):
    dependencies = [("diary", "0012_function_check_unanswered")]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="better_with",
            field=models.TextField(
                blank=True,
                validators=[
                    django.core.validators.MaxLengthValidator(2000),
                    diary.models.validators.validate_no_nul,
                ],
                verbose_name="what makes it better",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="onset_context",
            field=models.JSONField(
                blank=True,
                default=list,
                validators=[diary.models.about.validate_onset_context],
                verbose_name="what was going on then",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="onset_note",
            field=models.TextField(
                blank=True,
                validators=[
                    django.core.validators.MaxLengthValidator(2000),
                    diary.models.validators.validate_no_nul,
                ],
                verbose_name="anything else going on then",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="relatives",
            field=models.CharField(
                blank=True,
                choices=[("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")],
                max_length=12,
                verbose_name="close relatives with a nerve or muscle condition",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="relatives_note",
            field=models.TextField(
                blank=True,
                validators=[
                    django.core.validators.MaxLengthValidator(2000),
                    diary.models.validators.validate_no_nul,
                ],
                verbose_name="who, and which condition",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="started_month",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(12),
                ],
                verbose_name="month it began",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="started_not_sure",
            field=models.BooleanField(default=False, verbose_name="not sure when it began"),
        ),
        migrations.AddField(
            model_name="profile",
            name="started_year",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1900),
                    django.core.validators.MaxValueValidator(2999),
                ],
                verbose_name="year it began",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="tests_blood",
            field=models.TextField(
                blank=True,
                validators=[
                    django.core.validators.MaxLengthValidator(2000),
                    diary.models.validators.validate_no_nul,
                ],
                verbose_name="blood tests",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="tests_emg",
            field=models.TextField(
                blank=True,
                validators=[
                    django.core.validators.MaxLengthValidator(2000),
                    diary.models.validators.validate_no_nul,
                ],
                verbose_name="EMG",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="weight_change",
            field=models.CharField(
                blank=True,
                choices=[
                    ("lost", "Lost weight"),
                    ("gained", "Gained weight"),
                    ("no_change", "No change"),
                    ("not_sure", "Not sure"),
                ],
                max_length=12,
                verbose_name="weight since it began",
            ),
        ),
        migrations.AddConstraint(
            model_name="profile",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("started_month__isnull", True),
                    ("started_year__isnull", False),
                    _connector="OR",
                ),
                name="diary_profile_month_needs_year",
            ),
        ),
        migrations.AddConstraint(
            model_name="profile",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("started_not_sure", False),
                    models.Q(("started_month__isnull", True), ("started_year__isnull", True)),
                    _connector="OR",
                ),
                name="diary_profile_not_sure_or_a_date",
            ),
        ),
    ]
