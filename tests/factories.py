"""factory-boy factories for Twitchlog's models."""

from datetime import UTC, datetime, timedelta

import factory
from django.contrib.auth import get_user_model

from diary.models import BodySite, Episode, Trigger, data_changed

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def timezone(self, create, extracted, **kwargs):
        """UserFactory(timezone="Europe/London") sets the profile's zone."""
        self.save()
        if extracted:
            self.profile.timezone = extracted
            self.profile.save()


class TriggerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trigger

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Own trigger {n}")


class EpisodeFactory(factory.django.DjangoModelFactory):
    """An episode; pass sites=["calf-left", ...] (codes) and triggers=[...] (objects or slugs)."""

    class Meta:
        model = Episode
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    started_at = factory.LazyFunction(lambda: datetime.now(UTC) - timedelta(minutes=5))
    timezone = factory.LazyAttribute(lambda o: o.user.profile.timezone)
    duration = timedelta(seconds=5)

    @factory.post_generation
    def sites(self, create, extracted, **kwargs):
        codes = extracted if extracted is not None else ["calf-left"]
        self.sites.set(BodySite.objects.filter(code__in=codes))

    @factory.post_generation
    def triggers(self, create, extracted, **kwargs):
        if extracted:
            self.triggers.set(
                [
                    t if isinstance(t, Trigger) else Trigger.objects.get(slug=t, user=None)
                    for t in extracted
                ]
            )

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """Sites and triggers are set: keep the per-day summary right, as the views do."""
        super()._after_postgeneration(instance, create, results)
        if create:
            data_changed(instance.user, [instance.local_date])
