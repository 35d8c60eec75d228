"""
Two-step login (optional): after the password, a 6-digit code from an authenticator app, or
one of ten one-time recovery codes. Built on django-otp's TOTP and static devices.

- `devices`: turning it on and off, recovery codes, checking a code, what Settings says of it.
- `pending`: the half-done login between the password and the code, kept in the session.

The set-up pages are diary/views/twostep.py, the code step of logging in diary/views/login.py,
their forms diary/forms/twostep.py.
"""
