"""The defects the chaos bench (``bench/chaos.py``) found, each reproduced alone through real
discord.py under simcord: a "thinking…" message must never be left thinking, a button's or a
voice message's job never gets two messages, and a delivery must not be given up while Discord
refuses the bot's own token for a while."""

from __future__ import annotations

from typing import Any

import pytest

from cogs.outbox import Outbox
from cogs.routes import Deliveries
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import final_state, job_id, latest, reply_to, retry_for

JOB_WAIT = 240.0
"""Real seconds a tiny job may take to be drawn on a loaded 2-core machine (a generous limit)."""
# While a test Gate holds the bot (an external wait), simcord moves virtual time at the pace of
# real time: a delivery retrying Discord's injected 500s backs off up to MAX_BACKOFF (60 s) in
# real seconds, and a restart settles only after the stopping bot's last backoff and its
# bounded stop (draw grace, flush). 120 s was that on a quiet machine (a restart failed to
# settle in CI, 1 run of 4 here); a settle may take as long as a job.
pytestmark = pytest.mark.simcord(settle_timeout=JOB_WAIT)


def shows_done(h: DiscordHarness, besides: int | None = None) -> bool:
    """A message other than ``besides`` shows a finished job."""
    return any(
        m.id != besides and m.embeds and (m.embeds[0].title or "").startswith("✅")
        for m in h.messages()
    )


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
    holding = crash_after_acknowledging(h, monkeypatch)
    result = await h.slash(h.member("kai"), "imagine", prompt="an early crash", count=1)
    assert h.last_interaction.acknowledged and final_state(h, result.response).loading
    messages = len(h.messages())
    holding[0] = False
    await h.restart_bot()  # Discord still failing: the old bot delivers nothing as it stops
    h.env.backend.faults.clear()
    await h.wait_for(lambda: shows_done(h), timeout=JOB_WAIT)  # the recovered job drawn again
    await retry_for(h, 10)
    assert_done_in(h, result.response)
    assert len(h.messages()) == messages  # answered in the placeholder, nothing posted anew


def crash_after_acknowledging(h: DiscordHarness, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Hold the outbox's record of an acknowledged interaction's route until the bot is restarted
    (what a SIGKILL between the two does), while ``[0]`` is true; Discord edits nothing until
    the test clears its faults."""
    gate, holding, record = h.gate(), [True], Outbox.record

    async def record_then_crash(self: Outbox, job_id: str, route: Any) -> None:
        if holding[0] and h.last_interaction.acknowledged:
            await gate.wait()  # the crash comes here: the restart cancels this wait
        await record(self, job_id, route)

    monkeypatch.setattr(Outbox, "record", record_then_crash)
    h.env.inject_error("PATCH", "/webhooks/*", status=500, times=None)  # nothing edited before
    return holding


async def test_a_button_press_killed_after_its_answer_gets_one_message(
    discord_harness: DiscordHarness, monkeypatch: pytest.MonkeyPatch
):
    """Found with a SIGKILL while a press's job message, then a follow-up, was being created
    (Redis, seed 19): Discord made it, the bot died before it stored its id, and the restarted
    bot posted another; the first stayed "Queued" for ever. A follow-up has no address by
    token. A press that starts a job is now answered with the job's own "thinking…" message,
    recorded as acknowledged before it is sent: after the restart the token's @original, the
    one message Discord made, gets the job."""
    h = discord_harness
    first = await h.slash(h.member("ivo"), "imagine", prompt="a kite", count=1)
    done = final_state(h, first.response)
    holding = crash_after_acknowledging(h, monkeypatch)
    pressed = await h.member("ivo").click(
        latest(h, first.response.id), custom_id=f"s2i:reroll:{job_id(done)}"
    )
    assert not pressed.followups and pressed.response is not None
    assert final_state(h, pressed.response).loading  # its own "thinking…" message
    messages = len(h.messages())
    holding[0] = False
    await h.restart_bot()
    h.env.backend.faults.clear()
    await h.wait_for(lambda: shows_done(h, besides=first.response.id), timeout=JOB_WAIT)
    await retry_for(h, 10)
    assert_done_in(h, pressed.response)
    assert len(h.messages()) == messages  # nothing posted anew


async def test_a_voice_message_killed_after_its_reply_was_posted_gets_one_message(
    discord_harness: DiscordHarness, english_voice_message: bytes, monkeypatch: pytest.MonkeyPatch
):
    """Found with a SIGKILL 30 ms after Discord created a voice message's reply (Redis, seed
    19): the bot died before it stored its id, the restarted bot posted another, and the first
    stayed "Listening…" for ever. Every message the outbox creates carries a nonce that is the
    same after the restart: Discord answers the repeat with the message it made."""
    h = discord_harness
    gate, holding, put = h.gate(), [True], Deliveries.put

    async def post_then_crash(self: Deliveries, job: str, route: Any) -> None:
        if holding[0] and route.message_id is not None:
            await gate.wait()  # the crash comes here: the restart cancels this wait
        await put(self, job, route)

    monkeypatch.setattr(Deliveries, "put", post_then_crash)
    voice = await h.send_voice_message(h.member("pia"), english_voice_message, duration=2.0)
    assert gate.waiting == 1 and len(h.messages()) == 2  # the voice message and its reply
    holding[0] = False
    await h.restart_bot()
    await h.wait_for(lambda: shows_done(h), timeout=JOB_WAIT)
    await retry_for(h, 10)
    replies = [m for m in h.messages() if m.id != voice.id]
    assert [m.id for m in replies] == [reply_to(h, voice).id]
    done = final_state(h, replies[0])
    assert done.embeds[0]["title"].startswith("✅ Done"), done.embeds[0]["title"]
    assert len(done.filenames) == 2  # the voice message's default count


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
