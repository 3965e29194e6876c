"""A table of one text value per Discord user in the job store's database (``/remix`` settings,
remembered locales): read whole once at start, written through."""

from __future__ import annotations

import sqlite3

from bot.infra.store import JobStore


class UserRows:
    """``table (user_id INTEGER PRIMARY KEY, <column> TEXT)``, created on first read. ``table`` and
    ``column`` are the code's own names, never user input."""

    def __init__(self, store: JobStore, table: str, column: str) -> None:
        self._store = store
        self._table, self._column = table, column

    async def read_all(self) -> dict[int, str]:
        """Every user's value (once, after the store is open)."""

        def read(db: sqlite3.Connection) -> list[sqlite3.Row]:
            db.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} "
                f"(user_id INTEGER PRIMARY KEY, {self._column} TEXT NOT NULL)"
            )
            return db.execute(f"SELECT user_id, {self._column} FROM {self._table}").fetchall()

        return {row[0]: row[1] for row in await self._store.run(read)}

    async def put(self, user_id: int, value: str) -> None:
        def write(db: sqlite3.Connection) -> None:
            db.execute(
                f"INSERT INTO {self._table} VALUES (?, ?) ON CONFLICT (user_id) "
                f"DO UPDATE SET {self._column} = excluded.{self._column}",
                (user_id, value),
            )

        await self._store.run(write)
