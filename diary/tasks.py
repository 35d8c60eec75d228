"""
Every background task of Twitchlog, for the scheduler: `manage.py crontask` imports this module
from each app, and the tasks marked @cron in it are enqueued on their schedule. The tasks live
with their behaviour (diary/reminders/tasks.py).
"""

from diary.reminders.tasks import remind, send_reminders, tidy

__all__ = ["remind", "send_reminders", "tidy"]
