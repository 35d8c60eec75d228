"""Settings that only apply when DATABASE_URL points at PostgreSQL (`make test-postgres`)."""

import pytest
from django.db import connection

ONLY_ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL-only settings; SQLite opens a fresh connection per request on purpose",
)


@ONLY_ON_POSTGRESQL
@pytest.mark.django_db
def test_postgresql_keeps_connections_and_checks_them_before_reuse():
    """Persistent connections save a connect per request; health checks drop dead ones."""
    assert connection.settings_dict["CONN_MAX_AGE"] == 600
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        assert cursor.fetchone()[0] == "UTF8"
