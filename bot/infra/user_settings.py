"""Per-user settings (``/remix``), kept in the job store's database and cached: read once at
start, writes go through."""

from __future__ import annotations

import json
import sqlite3

from bot.domain.policy import UserSettings
from bot.infra.store import JobStore

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS user_settings (user_id INTEGER PRIMARY KEY, data TEXT NOT NULL)"
)


class UserSettingsCache:
    def __init__(self, store: JobStore) -> None:
        self._store = store
        self._cache: dict[int, UserSettings] = {}

    async def load(self) -> None:
        """Read every user's settings (once, after the store is open)."""

        def read(db: sqlite3.Connection) -> list[sqlite3.Row]:
            db.execute(SCHEMA)
            return db.execute("SELECT user_id, data FROM user_settings").fetchall()

        rows = await self._store.run(read)
        self._cache = {row[0]: UserSettings.from_dict(json.loads(row[1])) for row in rows}

    def get(self, user_id: int) -> UserSettings:
        return self._cache.get(user_id, UserSettings())

    async def put(self, user_id: int, settings: UserSettings) -> None:
        data = json.dumps(settings.to_dict())

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO user_settings VALUES (?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET data = excluded.data",
                (user_id, data),
            )

        await self._store.run(write)
        self._cache[user_id] = settings
