from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


def create_profile(sender, instance, created, raw=False, **kwargs) -> None:
    """Every user has a profile, however the account was made (sign-up, admin, shell)."""
    if created and not raw:
        from diary.models import Profile

        Profile.objects.get_or_create(user=instance)


class DiaryConfig(AppConfig):
    name = "diary"
    verbose_name = "Twitch diary"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from diary import checks  # noqa: F401  (system checks)
        from diary.lib import cache, database, deferred, login_limits  # noqa: F401  (receivers)

        # A module-level receiver: signals hold receivers weakly, and a function defined
        # inside ready() would be garbage-collected, silently leaving new users profile-less.
        post_save.connect(
            create_profile, sender=get_user_model(), dispatch_uid="diary_create_profile"
        )
        # `migrate` alone gives a working app: the rate limits' cache table comes with it.
        post_migrate.connect(
            cache.create_cache_tables, sender=self, dispatch_uid="diary_create_cache_tables"
        )
