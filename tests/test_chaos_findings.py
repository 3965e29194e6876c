"""The defects the chaos bench (``bench/chaos.py``) found, each reproduced alone through real
discord.py under simcord: a "thinking…" message must never be left thinking, and a delivery must
not be given up while Discord refuses the bot's own token for a while."""

from __future__ import annotations

from typing import Any

import pytest

from cogs.outbox import Outbox
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import final_state, retry_for

pytestmark = pytest.mark.simcord(settle_timeout=120)
JOB_WAIT = 240.0
"""Real seconds a tiny job may take to be drawn on a loaded 2-core machine (a generous limit)."""


def shows_done(h: DiscordHarness) -> bool:
    return any(m.embeds and (m.embeds[0].title or "").startswith("✅") for m in h.messages())


def assert_done_in(h: DiscordHarness, message: Any) -> None:
    done = final_state(h, message)
    assert not done.loading
    assert done.embeds[0]["title"].startswith("✅ Done"), done.embeds[0]["title"]
    assert len(done.filenames) == 1


async def test_a_bot_killed_between_the_acknowledgement_and_its_record_answers_in_the_placeholder(
    discord_harness: DiscordHarness, monkeypatch: pytest.MonkeyPatch
):
    """Found with a SIGKILL 20 ms after an acknowledgement: the stored route said "not
    acknowledged", so the restarted bot posted the job in the channel and left the "thinking…"
    placeholder thinking for ever. A slash command's route is stored as acknowledged before the
    acknowledgement is sent: after the restart the token reaches the placeholder."""
    h = discord_harness
    gate = h.gate()
    holding = True
    record = Outbox.record

    async def record_then_crash(self: Outbox, job_id: str, route: Any) -> None:
        if holding and h.last_interaction.acknowledged:
            await gate.wait()  # the crash comes here: the restart cancels this wait
        await record(self, job_id, route)

    monkeypatch.setattr(Outbox, "record", record_then_crash)
    h.env.inject_error("PATCH", "/webhooks/*", status=500, times=None)  # nothing edited before
    result = await h.slash(h.member("kai"), "imagine", prompt="an early crash", count=1)
    assert h.last_interaction.acknowledged and final_state(h, result.response).loading
    messages = len(h.messages())
    holding = False
    await h.restart_bot()  # Discord still failing: the old bot delivers nothing as it stops
    h.env.backend.faults.clear()
    await h.wait_for(lambda: shows_done(h), timeout=JOB_WAIT)  # the recovered job drawn again
    await retry_for(h, 10)
    assert_done_in(h, result.response)
    assert len(h.messages()) == messages  # answered in the placeholder, nothing posted anew


async def test_a_token_dead_before_the_first_edit_still_ends_the_thinking_message(
    discord_harness: DiscordHarness, held
):
    """Found by interaction tokens expiring right after the acknowledgement: the job went to a
    new channel message and the "thinking…" one stayed. The acknowledgement's answer names the
    placeholder, so once the token is gone it is edited through the channel."""
    h = discord_harness
    gate = held["gate"] = h.gate()
    h.expire_interaction_tokens()  # the acknowledgement goes through; no edit by token does
    result = await h.slash(h.member("lou"), "imagine", prompt="an early expiry", count=1)
    messages = len(h.messages())
    await gate.release()
    await retry_for(h, 10)
    assert_done_in(h, result.response)
    assert len(h.messages()) == messages and h.pings(result.response).none


async def test_a_bot_token_refused_for_a_while_delays_the_delivery_but_never_drops_it(
    discord_harness: DiscordHarness, held
):
    """Found by the bot's token being reset (every REST call answers 401, code 0): the outbox
    took the 401 for "this way is gone" and, the channel and the DMs refusing too, gave the job
    up. A 401 that is not an interaction token's is waited out like a 5xx."""
    h = discord_harness
    gate = held["gate"] = h.gate()
    result = await h.slash(h.member("max"), "imagine", prompt="a reset token", count=1)
    messages = len(h.messages())
    h.env.inject_error("*", "*", status=401, code=0, message="401: Unauthorized", times=6)
    await gate.release()
    await retry_for(h, 90)
    assert not h.env.backend.faults  # every 401 was met
    assert_done_in(h, result.response)
    assert len(h.messages()) == messages
