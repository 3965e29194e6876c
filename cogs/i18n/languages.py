"""Which language each answer is in.

A private answer (a refusal, ``/help``, a button's reply) is in its reader's client language
(``interaction.locale``). A job's message, which everyone in the channel sees, is in the server's
choice (``/settings language``): the requester's language (the default), or one fixed language.
A voice message carries no locale, so each user's last interaction locale is remembered (in the
job store) and used for their voice messages; someone the bot never saw gets the server's
language (``guild.preferred_locale``).
"""

from __future__ import annotations

from bot.infra.guild_settings import GuildSettingsCache
from bot.infra.store import JobStore
from bot.infra.user_rows import UserRows
from cogs.i18n.catalog import ENGLISH, resolve


class Languages:
    def __init__(self, store: JobStore, guild_settings: GuildSettingsCache) -> None:
        self._rows = UserRows(store, "user_locales", "locale")
        self._guild_settings = guild_settings
        self._users: dict[int, str] = {}

    async def load(self) -> None:
        """Read the remembered locales (once, after the store is open)."""
        self._users = await self._rows.read_all()

    async def remember(self, user_id: int, locale: object) -> None:
        """The user's client language, as their latest interaction told it (kept when new)."""
        code = resolve(locale)
        if self._users.get(user_id) == code:
            return
        self._users[user_id] = code
        await self._rows.put(user_id, code)

    def of_user(self, user_id: int, fallback: object = ENGLISH) -> str:
        """The user's language as last seen, else ``fallback`` (the server's language)."""
        return self._users.get(user_id) or resolve(fallback)

    async def for_job(self, guild_id: int | None, requester: object) -> str:
        """The language of a job's public message: the server's fixed one, or the requester's."""
        fixed = (await self._guild_settings.get(guild_id)).language
        return resolve(fixed or requester)
