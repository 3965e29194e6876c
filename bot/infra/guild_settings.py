"""Per-server settings, read once from the store and cached; writes go through to it."""

from __future__ import annotations

from bot.domain.policy import GuildSettings
from bot.infra.store import JobStore


class GuildSettingsCache:
    """Reads each server's settings once from the store; writes go through to it."""

    def __init__(self, store: JobStore) -> None:
        self._store = store
        self._cache: dict[int, GuildSettings] = {}

    async def load_all(self) -> None:
        """Read every server's settings (at start-up, before resumed jobs are checked)."""
        for guild_id, data in (await self._store.all_guild_settings()).items():
            self._cache[guild_id] = GuildSettings.from_dict(data)

    async def get(self, guild_id: int | None) -> GuildSettings:
        if guild_id is None:
            return GuildSettings()
        if guild_id not in self._cache:
            self._cache[guild_id] = GuildSettings.from_dict(
                await self._store.get_guild_settings(guild_id)
            )
        return self._cache[guild_id]

    def cached(self, guild_id: int | None) -> GuildSettings:
        """Without waiting: the cached settings (defaults if not read yet)."""
        return self._cache.get(guild_id or 0, GuildSettings())

    async def put(self, guild_id: int, settings: GuildSettings) -> None:
        await self._store.put_guild_settings(guild_id, settings.to_dict())
        self._cache[guild_id] = settings
