"""PostgreSQL hub storage (psycopg 3): several hub processes can share one database.

Each thread gets its own connection. Writers that touch the same record take transaction-scoped
advisory locks in a fixed (sorted) order, so two hub processes never project the same record at
once and never deadlock on each other; event rows are inserted in id order for the same reason.
A deadlock or serialisation failure the server still reports (a lock taken outside that order, a
stricter isolation level set by an operator) is raised as :class:`BusyError`, which
:meth:`HubStore.atomic` retries.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from appliance.errors import StoreError
from sync.hub.merge import lock_id
from sync.hub.storage import BusyError, ConnectionLostError, HubStore

_SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class _PgTx:
    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
        cur = self.conn.execute(sql.replace("?", "%s"), tuple(params))
        return cur.fetchall() if cur.description else []

    def executemany(self, sql: str, rows: list[Any]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(sql.replace("?", "%s"), rows)

    def query_dicts(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql.replace("?", "%s"), tuple(params))
        cols = [c.name for c in cur.description or ()]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]

    def lock_keys(self, keys: list[str]) -> None:
        ids = sorted({lock_id(k) for k in keys})
        if ids:
            self.conn.execute("SELECT pg_advisory_xact_lock(h) FROM "
                              "(SELECT unnest(%s::bigint[]) AS h ORDER BY 1) AS s", (ids,))


class PostgresHubStore(HubStore):
    """``dsn`` as psycopg takes it; ``schema`` isolates one hub (or one test) in a database."""

    dialect = "postgresql"

    def __init__(self, dsn: str, schema: str = "lifeboat_hub") -> None:
        if not _SCHEMA_RE.match(schema):
            raise StoreError(f"Invalid PostgreSQL schema name {schema!r}.")
        self.dsn, self.schema = dsn, schema
        self._local = threading.local()
        self._all: list[Any] = []
        self._guard = threading.Lock()
        with self.transaction() as tx:
            tx.conn.execute("SELECT pg_advisory_xact_lock(7351001)")
            tx.conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            import psycopg

            try:
                conn = psycopg.connect(self.dsn, autocommit=True, connect_timeout=10)
            except psycopg.Error as exc:
                raise StoreError(f"Cannot connect to the hub database: {exc}.",
                                 hint="Check the postgresql:// address, that the server runs "
                                      "and that this hub may log in.") from exc
            conn.execute(f"SET search_path TO {self.schema}")
            # The locking above is designed for READ COMMITTED; under a SERIALIZABLE database
            # default, ids that share index pages make PostgreSQL abort most concurrent ingests.
            conn.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL "
                         "READ COMMITTED")
            self._local.conn = conn
            with self._guard:
                self._all.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[_PgTx]:
        import psycopg
        from psycopg import errors

        conn = self._conn()
        try:
            with conn.transaction():
                yield _PgTx(conn)
        except (errors.DeadlockDetected, errors.SerializationFailure) as exc:
            raise BusyError("The hub database was busy; the request was not applied.",
                            hint="The device retries automatically.") from exc
        except psycopg.OperationalError as exc:
            self._local.conn = None
            if conn.broken or conn.closed:
                raise ConnectionLostError("The connection to the hub database was lost.",
                                          hint="Check the database server and network.") \
                    from exc
            raise StoreError(f"The hub database connection failed: {exc}.") from exc
        except psycopg.Error as exc:
            raise StoreError(f"The hub database refused the change: {exc}.") from exc

    def drop_schema(self) -> None:
        """Remove everything this store created (tests)."""
        self.atomic(lambda tx: tx.conn.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"))

    def close(self) -> None:
        with self._guard:
            for conn in self._all:
                try:
                    conn.close()
                except Exception:  # noqa: BLE001 - closing is best effort
                    pass
            self._all.clear()
        self._local = threading.local()
