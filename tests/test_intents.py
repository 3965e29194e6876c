"""A bot that does not ask for the Message Content intent says exactly what its owner must do
when a server tries to turn auto mode on."""

from __future__ import annotations

from pathlib import Path

import discord
import pytest

from bot.config import Settings
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import bot_settings, told_privately

pytestmark = pytest.mark.simcord(settle_timeout=60)


@pytest.fixture
def settings(tiny_sd_dir: Path, whisper_base_dir: Path, tmp_path: Path) -> Settings:
    return bot_settings(
        tiny_sd_dir,
        whisper_base_dir,
        store={"path": tmp_path / "jobs.sqlite3"},
        discord={"auto_voice": False, "message_content_intent": False},
    )


async def test_auto_mode_without_the_intent_says_what_to_enable(discord_harness: DiscordHarness):
    h = discord_harness
    admin = h.member("lea", permissions=discord.Permissions(manage_guild=True))
    assert not h.bot.intents.message_content
    refused = await h.slash(admin, "settings", auto_voice=True)
    said = told_privately(refused) or ""
    assert "Message Content Intent" in said and "message_content_intent = true" in said
    assert (await h.bot.guild_settings.get(h.guild.id)).auto_voice is None  # nothing saved
