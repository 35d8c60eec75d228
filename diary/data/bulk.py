"""
Reading and writing many rows of an import in plain SQL: the ORM's lookups, converters and
bulk_create cost several times more per row than the queries themselves (50,000 episodes).
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from datetime import UTC, datetime
from functools import partial

from django.db import DEFAULT_DB_ALIAS, connections, models

BATCH = 900  # under SQLite's 999 bound variables of old builds


def uuid_from_int(value: int) -> uuidlib.UUID:
    """UUID(int=value) for a value known to fit 128 bits, without the constructor's checks."""
    made = object.__new__(uuidlib.UUID)
    object.__setattr__(made, "int", value)
    object.__setattr__(made, "is_safe", uuidlib.SafeUUID.unknown)
    return made


def uuid_rows(model, column: str, uuids: list[uuidlib.UUID]) -> dict[uuidlib.UUID, int]:
    """
    uuid -> `column` of the rows (anyone's) with one of these uuids. Plain SQL with the
    uuids in the database's own form, mapped back without building a UUID per row: the ORM's
    lookup and converters cost more than the query.
    """
    db = connections[DEFAULT_DB_ALIAS]
    quote = db.ops.quote_name
    found: dict[uuidlib.UUID, int] = {}
    if db.vendor == "postgresql":
        # One query for all of them, as text both ways: an IN list of 900 per query costs the
        # server more to plan than to run, and psycopg would build a UUID per row.
        wanted = {str(u): u for u in uuids}
        sql = "SELECT {}::text, {} FROM {} WHERE {} = ANY(%s::uuid[])".format(
            quote("uuid"), quote(column), quote(model._meta.db_table), quote("uuid")
        )
        with db.cursor() as cursor:
            cursor.execute(sql, [list(wanted)])
            for value, other in cursor.fetchall():
                found[wanted[value]] = other
        return found
    prep = model._meta.get_field("uuid").get_db_prep_value
    with db.cursor() as cursor:
        for start in range(0, len(uuids), BATCH):
            chunk = {prep(u, db, prepared=True): u for u in uuids[start : start + BATCH]}
            sql = "SELECT {}, {} FROM {} WHERE {} IN ({})".format(
                quote("uuid"),
                quote(column),
                quote(model._meta.db_table),
                quote("uuid"),
                ", ".join(["%s"] * len(chunk)),
            )
            cursor.execute(sql, list(chunk))
            for value, other in cursor.fetchall():
                found[chunk[value]] = other
    return found


def reserve_ids(model, count: int) -> list[int]:
    """
    The ids the next `count` rows of `model` would get, to insert them with their ids (their
    links then need no look-up of the ids written). Inside the import's transaction: on
    PostgreSQL drawn from the table's sequence; on SQLite (AUTOINCREMENT) those after the
    highest id ever given, the write lock being held (BEGIN IMMEDIATE).
    """
    if not count:
        return []
    db = connections[DEFAULT_DB_ALIAS]
    table = model._meta.db_table
    pk = model._meta.pk.column
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quote = db.ops.quote_name
        cursor.execute(
            f"SELECT MAX(n) FROM (SELECT MAX({quote(pk)}) AS n FROM {quote(table)} UNION ALL "
            "SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        last = cursor.fetchone()[0] or 0
    return list(range(last + 1, last + 1 + count))


def insert_rows(model, columns: list[str], rows: Iterable[list], cursor=None) -> None:
    """
    INSERT rows of Python values through the fields' own database preparation: the ORM's
    bulk_create costs several times more per row, and it would stamp created_at/updated_at
    with now. Each row is prepared in place as it is taken from `rows`, which may be a
    generator: the rows of a whole import need not be held at once. SQLite takes them in one
    executemany; PostgreSQL in one COPY (single-row INSERTs cost it a round trip and a
    statement each; a COPY it works through as the rows come). `cursor`: one the caller holds
    open (else one is opened for these rows).
    """
    fields = [model._meta.get_field(name) for name in columns]
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-attribute proxy
    quote = db.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    # Text, booleans, integers and ids go to the driver as they are (checked before); uuids,
    # dates, times and durations need the backend's own form. The values are of the field's
    # type already (`prepared`): what is left is the backend's adaptation alone.
    as_text = utc_text(db)

    def prep_for(f):
        if f.is_relation or isinstance(f, PLAIN_FIELDS):
            return None
        if isinstance(f, models.DateTimeField) and as_text is not None:
            return as_text
        return partial(f.get_db_prep_value, connection=db, prepared=True)

    # Only the columns that need it, in place: most of a row goes as it is.
    prep = [(i, p) for i, f in enumerate(fields) if (p := prep_for(f)) is not None]
    width = len(fields)

    def prepared() -> Iterator[list]:
        for row in rows:
            if len(row) != width:
                raise ValueError(f"a row of {len(row)} values for {width} columns")
            for i, p in prep:
                row[i] = p(row[i])
            yield row

    with nullcontext(cursor) if cursor is not None else db.cursor() as cursor:
        if db.vendor == "postgresql":
            # The driver's own cursor: its errors raised as Django's (IntegrityError...).
            with (
                db.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in prepared():
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * width)
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", prepared())


PROBES = (datetime(2001, 2, 3, 4, 5, 6, 7, tzinfo=UTC), datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC))


def _naive_utc_text(value: datetime) -> str:
    if value.tzinfo is UTC:  # what an import reads: the same text, fewer steps
        return value.replace(tzinfo=None).isoformat(" ")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def utc_text(db):
    """
    _naive_utc_text if this backend writes an aware datetime as naive UTC text (SQLite does:
    its adapter is a quarter of an import's time at 150,000 values), else None. Checked
    against the backend's own adapter, so another backend or setting keeps the adapter.
    """
    adapt = db.ops.adapt_datetimefield_value
    same = all(adapt(probe) == _naive_utc_text(probe) for probe in PROBES)
    return _naive_utc_text if same else None


PLAIN_FIELDS = (models.CharField, models.TextField, models.BooleanField, models.IntegerField)
