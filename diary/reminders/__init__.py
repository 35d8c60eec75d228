"""
Reminders: the daily check-in, the weekly function check and an appointment, by Web Push and
e-mail, sent by the task queue's workers.

- `schedule.py`: who is due now (the round's query, zone by zone);
- `sending.py`: what each person gets today, and sending it on every channel;
- `delivery.py`: exactly once, the day's claimed-then-finished row;
- `push.py`, `keys.py`: Web Push (RFC 8030/8291) and the server's VAPID keys (RFC 8292);
- `mail.py`: the mail; `messages.py`: the wording and the signed stop links;
- `devices.py`: the devices that allowed notifications;
- `tasks.py`: the tasks on Django's queue and the scheduler's cron entries.
"""
