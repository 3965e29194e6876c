"""/help, /queue (with cancel buttons) and /status through real discord.py."""

from __future__ import annotations

import pytest

from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import final_state, job_id, titles, told_privately

pytestmark = pytest.mark.simcord(settle_timeout=120)


async def test_help_explains_the_options(discord_harness: DiscordHarness):
    h = discord_harness
    shown = await h.slash(h.member("rae"), "help")
    assert shown.ephemeral
    for word in ("/imagine", "seed", "guidance", "steps", "count", "negative", "voice message"):
        assert word in shown.response.content
    more = {field.name: field.value for field in shown.response.embeds[0].fields}
    assert list(more) == ["Buttons on a result", "Prompt parameters", "Remix mode"]
    for button in ("Vary", "Upscale", "Custom Zoom", "Make Square", "V1…", "U1…"):
        assert button in more["Buttons on a result"]
    for parameter in ("--ar", "--no", "--seed", "--steps", "--chaos", "--stylize", "say aloud"):
        assert parameter in more["Prompt parameters"]
    assert "`/remix`" in more["Remix mode"] and "`/settings`" in more["Remix mode"]


async def test_queue_lists_your_jobs_with_cancel_buttons(discord_harness: DiscordHarness, held):
    h = discord_harness
    gate = held["gate"] = h.gate()
    sam, tia = h.member("sam"), h.member("tia")
    await h.slash(sam, "imagine", prompt="first", count=1)
    second = await h.slash(tia, "imagine", prompt="second in line", count=1)
    listed = await h.slash(tia, "queue")
    assert listed.ephemeral
    assert "Queue: 1 waiting, 1 drawing." in listed.response.content
    assert "#1 — second in line" in listed.response.content
    job = job_id(final_state(h, second.response))
    cancelled = await tia.click(listed.response, custom_id=f"s2i:cancel:{job}")
    assert told_privately(cancelled) == "Cancelled."
    assert titles(h, second.response)[-1] == "🚫 Cancelled"
    await gate.release()
    assert "no jobs in the queue" in (await h.slash(tia, "queue")).response.content


async def test_status_shows_models_device_and_speed(discord_harness: DiscordHarness):
    h = discord_harness
    uma = h.member("uma")
    await h.slash(uma, "imagine", prompt="a tree", count=1)
    status = (await h.slash(uma, "status")).response.content
    assert "image model: `" in status and "ready" in status
    assert "Device: cpu" in status
    assert "Jobs done: 1" in status and "Average drawing:" in status


@pytest.mark.parametrize(
    ("command", "told"), [("help", "/imagine"), ("queue", "Queue:"), ("status", "Whisper:")]
)
async def test_an_answer_that_discord_fails_once_is_sent_again(
    discord_harness: DiscordHarness, command: str, told: str
):
    h = discord_harness
    h.env.inject_error("POST", "/interactions/*", status=500, times=1)
    shown = await h.slash(h.member("rae"), command)
    assert not h.env.backend.faults  # the answer met the 500…
    assert shown.ephemeral and told in shown.response.content  # …and came through all the same
