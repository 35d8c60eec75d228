"""
One e-mail address, one account: a partial unique index on auth_user (LOWER(email), empty
addresses left out), added only when no address is shared yet, so that this migration never
fails on an existing database (diary/models/accounts.py, `manage.py one_account_per_email`).
The SQL is spelled out here so the migration stays as it was written.
"""

from django.db import migrations

INDEX = "twitchlog_user_email_once"


def add_index(apps, schema_editor):
    cursor = schema_editor.connection.cursor()
    cursor.execute(
        "SELECT LOWER(email) FROM auth_user WHERE email <> '' "
        "GROUP BY LOWER(email) HAVING COUNT(*) > 1"
    )
    shared = cursor.fetchall()
    if shared:
        print(
            f"\n  {len(shared)} e-mail address(es) are used by more than one account: the "
            "index that keeps them unique is not added yet. See "
            "`manage.py one_account_per_email`."
        )
        return
    cursor.execute(
        f"CREATE UNIQUE INDEX IF NOT EXISTS {INDEX} ON auth_user (LOWER(email)) WHERE email <> ''"
    )


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0013_about_twitching"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(add_index, drop_index)]
