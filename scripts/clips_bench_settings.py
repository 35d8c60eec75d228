"""
Settings for the clips bench's second gunicorn worker: the app's own, with a task queue that
keeps tasks and never runs them (Django's DummyBackend), so the upload is measured alone.
"""

from twitchlog.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
