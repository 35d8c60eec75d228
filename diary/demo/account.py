"""
The demo account: its name, password, zone and own trigger, and `create_demo_user`, which
(re)creates it, deleting an earlier demo account of that name first but never an account
seed_demo did not make (those carry an e-mail address in the reserved demo domain).

The password is the same on every run, so `make demo` can be stopped and started again without
looking it up: the demo is a local one, on 127.0.0.1, with made-up data.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from diary.models import Profile, Trigger

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "twitchlog-demo"
DEMO_DISPLAY_NAME = "Alex Morgan (demo)"
DEMO_TIMEZONE = "Europe/London"
DEMO_EMAIL_DOMAIN = "demo.invalid"  # marks accounts seed_demo may delete and recreate
OWN_TRIGGER = "Alcohol"


def create_demo_user(username: str = DEMO_USERNAME, password: str | None = None):
    """
    Create the demo account (deleting an earlier demo account of that name first).

    Returns (user, password). Refuses to touch an account seed_demo did not create.
    """
    User = get_user_model()
    email = f"{username}@{DEMO_EMAIL_DOMAIN}"
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        if existing.email != email:
            raise ValueError(
                f"“{username}” is a real account, not one seed_demo made; choose another "
                "--username."
            )
        existing.delete()  # cascades to episodes, profile and own triggers
    password = password or DEMO_PASSWORD
    user = User.objects.create_user(username=username, email=email, password=password)
    profile, _ = Profile.objects.get_or_create(user=user)  # normally made by a signal
    profile.display_name, profile.timezone = DEMO_DISPLAY_NAME, DEMO_TIMEZONE
    profile.save()
    user.profile = profile
    Trigger.objects.create(user=user, name=OWN_TRIGGER)
    return user, password
