"""The NSFW policy through real discord.py, on a model whose real safety checker flags every
picture: withheld or spoilered outside NSFW channels, and the checker off where admins allow it."""

from __future__ import annotations

import io
from pathlib import Path

import discord
import numpy as np
import pytest
from PIL import Image

from bot.engines.runner import Engines
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import bot_settings, fields, final_state, previews_in, titles, watch

pytestmark = pytest.mark.simcord(settle_timeout=120)

ADMIN = discord.Permissions(manage_guild=True)


@pytest.fixture(scope="module")
def engines(tiny_sd_nsfw_dir: Path, whisper_base_dir: Path):
    """Overrides the session's engines: the flagging model, images only."""
    engines = Engines(bot_settings(tiny_sd_nsfw_dir, whisper_base_dir), speech=False)
    engines.start_loading().result()
    yield engines
    engines.close()


@pytest.fixture
def settings(tiny_sd_nsfw_dir: Path, whisper_base_dir: Path, tmp_path: Path):
    """The bot's settings name the same model as its engines (jobs name their model)."""
    store = {"path": tmp_path / "jobs.sqlite3"}
    return bot_settings(tiny_sd_nsfw_dir, whisper_base_dir, store=store)


async def test_flagged_pictures_are_withheld_outside_nsfw_channels(discord_harness: DiscordHarness):
    h = discord_harness
    result = await h.slash(h.member("olga"), "imagine", prompt="a beach", count=2)
    done = final_state(h, result.response)
    assert done.embeds[0]["title"].startswith("✅ Done")
    assert done.filenames == []
    assert fields(done)["Safety checker"] == "2 pictures flagged as NSFW: withheld."
    assert [draw["safety_check"] for draw in h.bot.engines.draws] == [True]


async def test_a_server_may_send_them_as_spoilers(discord_harness: DiscordHarness):
    h = discord_harness
    await h.slash(h.member("admin", permissions=ADMIN), "settings", nsfw_action="spoiler")
    result = await h.slash(h.member("pat"), "imagine", prompt="a beach", count=2, seed=1)
    done = final_state(h, result.response)
    assert done.filenames == ["SPOILER_image-0-seed-1.png", "SPOILER_image-1-seed-2.png"]
    assert fields(done)["Safety checker"] == "2 pictures flagged as NSFW: sent as spoilers."


async def test_in_nsfw_channels_the_checker_can_be_turned_off(discord_harness: DiscordHarness):
    h = discord_harness
    lounge = h.create_channel("lounge", nsfw=True)
    quinn = h.member("quinn")
    checked = await h.slash(quinn, "imagine", prompt="a beach", count=1, at=lounge)
    done = final_state(h, checked.response)
    assert len(done.filenames) == 1  # NSFW channel: shown, though the checker flagged it
    assert "flagged" in fields(done)["Safety checker"]

    await h.slash(
        h.member("admin", permissions=ADMIN), "settings", checker_off_in_nsfw_channels=True
    )
    unchecked = await h.slash(quinn, "imagine", prompt="a beach", count=1, at=lounge)
    done = final_state(h, unchecked.response)
    assert h.bot.engines.draws[-1]["safety_check"] is False
    assert len(done.filenames) == 1 and "Safety checker" not in fields(done)
    [attachment] = next(m for m in h.messages(lounge) if m.id == unchecked.response.id).attachments
    pixels = np.asarray(Image.open(io.BytesIO(await attachment.read())))
    assert pixels.any()  # not blacked out

    outside = await h.slash(quinn, "imagine", prompt="a beach", count=1)  # not in general
    assert final_state(h, outside.response).filenames == []


async def test_no_preview_shows_a_picture_the_checker_withholds(
    discord_harness: DiscordHarness, slow_draws: None
):
    """Outside NSFW channels each preview passes the checker first (it flags all here): none is
    shown, as the result is withheld; in an NSFW channel, where it is shown, so are previews."""
    h = discord_harness
    rae = h.member("rae")
    withheld = await h.slash(rae, "imagine", prompt="a beach", steps=20, count=1)
    await watch(h, lambda: not h.bot.outbox.pending())
    assert final_state(h, withheld.response).filenames == []
    assert h.bot.engines.draws[-1]["preview_check"] is True
    assert previews_in(h, h.edits_of(withheld.response)) == []
    assert any(t.startswith("🎨 Drawing — step") for t in titles(h, withheld.response))

    lounge = h.create_channel("lounge", nsfw=True)
    shown = await h.slash(rae, "imagine", prompt="a beach", steps=20, count=1, at=lounge)
    await watch(h, lambda: not h.bot.outbox.pending())
    assert len(final_state(h, shown.response).filenames) == 1
    assert h.bot.engines.draws[-1]["preview_check"] is False
    assert previews_in(h, h.edits_of(shown.response))
