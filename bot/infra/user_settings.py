"""Per-user settings (``/remix``), kept in the job store's database and cached: read once at
start, writes go through."""

from __future__ import annotations

import json

from bot.domain.policy import UserSettings
from bot.infra.store import JobStore
from bot.infra.user_rows import UserRows


class UserSettingsCache:
    def __init__(self, store: JobStore) -> None:
        self._rows = UserRows(store, "user_settings", "data")
        self._cache: dict[int, UserSettings] = {}

    async def load(self) -> None:
        """Read every user's settings (once, after the store is open)."""
        rows = await self._rows.read_all()
        self._cache = {
            user: UserSettings.from_dict(json.loads(data)) for user, data in rows.items()
        }

    def get(self, user_id: int) -> UserSettings:
        return self._cache.get(user_id, UserSettings())

    async def put(self, user_id: int, settings: UserSettings) -> None:
        await self._rows.put(user_id, json.dumps(settings.to_dict()))
        self._cache[user_id] = settings
