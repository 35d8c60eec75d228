"""Seed the body-site catalogue and the built-in triggers (codes are stable: exports use them)."""

from django.db import migrations

# (region, [(code, name, area, side), ...]) in the order pickers and reports list them.
CATALOGUE = [
    (
        "bulbar",
        [
            ("eyelid-left", "Left eyelid", "eyelid", "left"),
            ("eyelid-right", "Right eyelid", "eyelid", "right"),
            ("face-left", "Left side of face", "face", "left"),
            ("face-right", "Right side of face", "face", "right"),
            ("lips", "Lips", "lips", "midline"),
            ("tongue", "Tongue", "tongue", "midline"),
            ("jaw-left", "Left jaw", "jaw", "left"),
            ("jaw-right", "Right jaw", "jaw", "right"),
            ("throat", "Throat", "throat", "midline"),
        ],
    ),
    (
        "cervical",
        [
            ("neck", "Neck", "neck", "midline"),
            ("shoulder-left", "Left shoulder", "shoulder", "left"),
            ("shoulder-right", "Right shoulder", "shoulder", "right"),
            ("upper-arm-left", "Left upper arm", "upper-arm", "left"),
            ("upper-arm-right", "Right upper arm", "upper-arm", "right"),
            ("forearm-left", "Left forearm", "forearm", "left"),
            ("forearm-right", "Right forearm", "forearm", "right"),
            ("hand-left", "Left hand", "hand", "left"),
            ("hand-right", "Right hand", "hand", "right"),
            ("thumb-left", "Left thumb", "thumb", "left"),
            ("thumb-right", "Right thumb", "thumb", "right"),
            ("fingers-left", "Left fingers", "fingers", "left"),
            ("fingers-right", "Right fingers", "fingers", "right"),
        ],
    ),
    (
        "thoracic",
        [
            ("chest-left", "Left chest", "chest", "left"),
            ("chest-right", "Right chest", "chest", "right"),
            ("abdomen-left", "Left abdomen", "abdomen", "left"),
            ("abdomen-right", "Right abdomen", "abdomen", "right"),
            ("upper-back-left", "Left upper back", "upper-back", "left"),
            ("upper-back-right", "Right upper back", "upper-back", "right"),
        ],
    ),
    (
        "lumbosacral",
        [
            ("lower-back-left", "Left lower back", "lower-back", "left"),
            ("lower-back-right", "Right lower back", "lower-back", "right"),
            ("buttock-left", "Left buttock", "buttock", "left"),
            ("buttock-right", "Right buttock", "buttock", "right"),
            ("thigh-left", "Left thigh", "thigh", "left"),
            ("thigh-right", "Right thigh", "thigh", "right"),
            ("shin-left", "Left shin", "shin", "left"),
            ("shin-right", "Right shin", "shin", "right"),
            ("calf-left", "Left calf", "calf", "left"),
            ("calf-right", "Right calf", "calf", "right"),
            ("foot-left", "Left foot", "foot", "left"),
            ("foot-right", "Right foot", "foot", "right"),
            ("toes-left", "Left toes", "toes", "left"),
            ("toes-right", "Right toes", "toes", "right"),
        ],
    ),
]

BUILTIN_TRIGGERS = [
    ("caffeine", "Caffeine"),
    ("stress", "Stress"),
    ("lack-of-sleep", "Lack of sleep"),
    ("intense-exercise", "Intense exercise"),
]


def seed(apps, schema_editor):
    BodySite = apps.get_model("diary", "BodySite")
    Trigger = apps.get_model("diary", "Trigger")
    order = 0
    for region, sites in CATALOGUE:
        for code, name, area, side in sites:
            order += 10
            BodySite.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "area": area,
                    "side": side,
                    "region": region,
                    "sort_order": order,
                },
            )
    for slug, name in BUILTIN_TRIGGERS:
        Trigger.objects.update_or_create(slug=slug, user=None, defaults={"name": name})


def unseed(apps, schema_editor):
    apps.get_model("diary", "Trigger").objects.filter(user=None).delete()
    apps.get_model("diary", "BodySite").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("diary", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
