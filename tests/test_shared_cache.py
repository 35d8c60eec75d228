"""The cache every app server shares: the database by default, others from CACHE_URL."""

import pytest
from django.core.cache import cache
from django.db import connection

from twitchlog.settings import cache_from_url


@pytest.mark.django_db
def test_default_cache_is_a_table_in_the_database():
    """Two gunicorn servers see the same entries because they live in the shared database."""
    cache.set("shared-key", "seen by every server", 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM twitchlog_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any(key.endswith("shared-key") for key in keys)
    assert cache.get("shared-key") == "seen by every server"


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("db://", "diary.lib.cache.DatabaseCache", "twitchlog_cache"),
        ("db://other_table", "diary.lib.cache.DatabaseCache", "other_table"),
        (
            "redis://127.0.0.1:6379/0",
            "django.core.cache.backends.redis.RedisCache",
            "redis://127.0.0.1:6379/0",
        ),
        ("locmem://one", "django.core.cache.backends.locmem.LocMemCache", "one"),
    ],
)
def test_cache_url_picks_the_backend(url, backend, location):
    assert cache_from_url(url) == {"BACKEND": backend, "LOCATION": location}


def test_cache_url_with_an_unknown_scheme_says_which_ones_work():
    with pytest.raises(RuntimeError, match="db://, redis://"):
        cache_from_url("memcached://127.0.0.1:11211")
