"""
Two-step login (optional): after the password, a 6-digit code from an authenticator app, or
one of ten one-time recovery codes. Built on django-otp's TOTP and static devices.

- `devices`: turning it on and off, recovery codes, checking a code.
- `pending`: the half-done login between the password and the code, kept in the session.
- `forms`, `views` (the set-up pages under Settings), `login` (the second step of logging in).
"""
