"""
Every background task of Twitchlog, for the scheduler: `manage.py crontask` imports this module
from each app, and the tasks marked @cron in it are enqueued on their schedule. The tasks live
with their behaviour (diary/clips/tasks.py, diary/reminders/tasks.py).
"""

from diary.clips.tasks import process_clip
from diary.reminders.tasks import remind, send_reminders, tidy

__all__ = ["process_clip", "remind", "send_reminders", "tidy"]
