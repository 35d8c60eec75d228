from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "diary"
    verbose_name = "Twitch diary"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from diary.models import Profile

        def create_profile(sender, instance, created, raw=False, **kwargs) -> None:
            # Every user has a profile, however the account was made (sign-up, admin, shell).
            if created and not raw:
                Profile.objects.get_or_create(user=instance)

        post_save.connect(
            create_profile, sender=get_user_model(), dispatch_uid="diary_create_profile"
        )
