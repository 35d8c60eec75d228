"""Twitchlog's views, one module per area; diary/urls.py maps them."""
