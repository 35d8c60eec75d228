"""
The few plain-SQL reads of the insights (the ORM's building of these queries cost more than
running them): rows whose first column is a date, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date

from django.db import connection

DATE = '"date"'  # the column, quoted: a type's name too


def dated_rows(sql: str, params: list) -> list[tuple]:
    """Rows of `sql`; date parameters adapted, and the first column read as a date (SQLite
    answers dates as text)."""
    params = [connection.ops.adapt_datefield_value(p) if isinstance(p, date) else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if rows and not isinstance(rows[0][0], date):
        return [(date.fromisoformat(row[0]), *row[1:]) for row in rows]
    return rows
