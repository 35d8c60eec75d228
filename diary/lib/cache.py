"""
Django's database cache with an atomic `incr`, so rate-limit counters are exact when several
requests (on several app servers) count at once. The stock `incr` is a read then a write: two
requests could both read 4 and both write 5.

`migrate` creates the configured cache tables (`create_cache_tables`, run after every
migrate), so a deploy that runs only `migrate` has them; `createcachetable` is idempotent.
"""

from __future__ import annotations

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.management import call_command
from django.db import connections, router, transaction


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            # SQLite's IMMEDIATE transactions (settings) already hold the write lock from BEGIN;
            # PostgreSQL needs a lock on the key until the increment commits.
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_xact_lock(hashtext(%s))",
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)


def create_cache_tables(sender, using: str = "default", verbosity: int = 1, **kwargs) -> None:
    """post_migrate receiver: the tables of every database cache in CACHES (none for Redis)."""
    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))
