"""Application commands are synced only when they changed.

Discord limits command syncs, and a global change takes a while to reach every client, so a bot
restarted often (rolling upgrades, crashes) should not sync on every start. The hash covers what
:meth:`discord.app_commands.CommandTree.sync` would send (:func:`command_payload`: each command,
translated by the tree's translator), so a new option, description or translation changes it.
It is kept in the job store per application and target (global or one server);
``python -m bot sync`` forces a sync.
"""

from __future__ import annotations

import hashlib
import json
import logging

import discord
from discord import app_commands

from bot.infra.store import JobStore
from cogs.i18n.translator import command_payload

log = logging.getLogger(__name__)


def digest(commands: list[dict]) -> str:
    return hashlib.sha256(json.dumps(commands, sort_keys=True).encode()).hexdigest()


async def sync_commands(
    client: discord.Client,
    tree: app_commands.CommandTree,
    store: JobStore,
    *,
    guild_id: int | None = None,
    force: bool = False,
) -> int | None:
    """Sync the commands globally, or to ``guild_id`` (a copy of the global ones: they show at
    once there, for development), unless they are what was synced last. The number of commands
    synced, or None when they were unchanged."""
    guild = None if guild_id is None else discord.Object(id=guild_id)
    if guild is not None:
        tree.copy_global_to(guild=guild)
    hashed = digest(await command_payload(tree, guild=guild))
    key = f"commands:{client.application_id}:{guild_id or 'global'}"
    if not force and await store.marker(key) == hashed:
        log.info("application commands unchanged since the last sync; not synced")
        return None
    synced = await tree.sync(guild=guild)
    await store.set_marker(key, hashed)
    where = "globally" if guild is None else f"to server {guild_id}"
    log.info("synced %d application commands %s", len(synced), where)
    return len(synced)
