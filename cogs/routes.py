"""Where a job's answer goes (its route), recorded in the job store before any Discord call that
can fail, so that a restart can finish every delivery."""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import asdict, dataclass

import discord

from bot.infra.store import JobStore

TOKEN_SECONDS = 15 * 60
"""An interaction token lets the bot edit its reply for 15 minutes."""
TOKEN_MARGIN = 60.0
"""The token is not used in its last minute."""


@dataclass
class Route:
    """The requester, the channel, the job's message once posted, and for an interaction its
    token: the deliverer edits through the token while it lives, then through the channel."""

    user_id: int
    channel_id: int
    nsfw_action: str = "show"
    """How flagged pictures are shown here: ``show``, ``spoiler`` or ``withhold``."""
    message_id: int | None = None
    application_id: int | None = None
    token: str | None = None
    token_expires: float = 0.0
    """Wall-clock time (``time.time()``) at which the token dies."""
    acknowledged: bool = False
    """The interaction was acknowledged: its token can post and edit."""
    followup: bool = False
    """The job's message is a follow-up, not the interaction's own reply (an interaction its
    caller acknowledged before the intake saw it; routes stored by an older version)."""
    reply_to: int | None = None
    """The voice message this job answers."""
    extra_sent: int = 0
    """Result messages posted after the job's message (pictures beyond one upload)."""
    locale: str = "en-US"
    """The language the job's message is shown in (the server's choice; see ``cogs.i18n``)."""
    deleted: bool = False
    """Someone deleted the job's message: no progress until the result, posted anew."""

    @classmethod
    def for_interaction(cls, interaction: discord.Interaction, nsfw_action: str) -> Route:
        return cls(
            user_id=interaction.user.id,
            channel_id=interaction.channel_id or 0,
            nsfw_action=nsfw_action,
            application_id=interaction.application_id,
            token=interaction.token,
            token_expires=time.time()
            + TOKEN_SECONDS,  # from now: received a moment after it was made
        )

    @property
    def token_usable(self) -> bool:
        return (
            self.token is not None
            and self.acknowledged
            and time.time() < self.token_expires - TOKEN_MARGIN
        )


class Deliveries:
    """The routes of the deliveries not finished yet, in the job store's database."""

    def __init__(self, store: JobStore) -> None:
        self._store = store

    async def put(self, job_id: str, route: Route) -> None:
        row = (job_id, json.dumps(asdict(route)), time.time())

        def put(db: sqlite3.Connection) -> None:
            db.execute("INSERT OR REPLACE INTO deliveries VALUES (?, ?, ?)", row)

        await self._store.run(put)

    async def pending(self) -> dict[str, Route]:
        def read(db: sqlite3.Connection) -> list[sqlite3.Row]:
            return db.execute("SELECT job_id, route FROM deliveries ORDER BY updated_at").fetchall()

        known = set(Route.__dataclass_fields__)
        return {
            row["job_id"]: Route(
                **{k: v for k, v in json.loads(row["route"]).items() if k in known}
            )
            for row in await self._store.run(read)
        }

    async def done(self, job_id: str) -> None:
        """The delivery is finished: forget its route and the pictures kept for it."""

        def delete(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM deliveries WHERE job_id = ?", (job_id,))

        await self._store.run(delete)
        await self._store.release_images(job_id)
