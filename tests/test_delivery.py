"""Every request ends in a message its user sees: failures injected at the real boundary (the
REST calls discord.py makes, the attachment CDN, a restart, SIGTERM), through real discord.py."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import discord
import pytest
from simcord.http.client import FakeHTTPClient, FakeWebhookAdapter

from bot.infra.process import StopSignals
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import (
    answer,
    final_state,
    latest,
    reply_to,
    retry_for,
    titles,
    told_privately,
)

pytestmark = pytest.mark.simcord(settle_timeout=120)


class _Response:
    status, reason, headers = 500, "Internal Server Error", {}


async def test_a_voice_reply_that_fails_five_times_still_lands(
    discord_harness: DiscordHarness, english_voice_message: bytes
):
    h = discord_harness
    h.env.inject_error("POST", "/channels/*/messages", status=500, times=5)
    voice = await h.send_voice_message(h.member("bob"), english_voice_message, duration=2.0)
    await retry_for(h, 60)
    done = final_state(h, reply_to(h, voice))
    assert done.embeds[0]["title"].startswith("✅ Done"), done.embeds[0]["title"]
    assert len(done.filenames) == 2


async def test_final_edits_failing_with_500s_and_a_429_deliver_the_pictures_once(
    discord_harness: DiscordHarness, held
):
    h = discord_harness
    gate = held["gate"] = h.gate()
    result = await h.slash(h.member("alice"), "imagine", prompt="a lighthouse", count=1)
    assert h.last_interaction.acknowledged
    h.env.inject_error("PATCH", "/webhooks/*", status=500, times=3)
    h.env.inject_error("PATCH", "/webhooks/*", status=429, times=1)
    await gate.release()
    await retry_for(h, 30)
    done = final_state(h, result.response)
    assert done.embeds[0]["title"].startswith("✅ Done") and len(done.filenames) == 1
    finals = [t for t in titles(h, result.response) if t.startswith("✅")]
    assert len(finals) == 1


async def test_a_failing_attachment_cdn_ends_in_a_clear_public_error(
    discord_harness: DiscordHarness, english_voice_message: bytes, monkeypatch
):
    h = discord_harness
    calls = []

    async def cdn_down(self, url: str) -> bytes:
        calls.append(url)
        raise discord.HTTPException(_Response(), "CDN down (injected)")  # type: ignore[arg-type]

    monkeypatch.setattr(type(h.bot.http), "get_from_cdn", cdn_down)
    result = await h.slash(h.member("carol"), "imagine", audio=("hi.ogg", english_voice_message))
    await retry_for(h, 30)
    title = final_state(h, result.response).embeds[0]["title"]
    assert title.startswith("❌") and "couldn't download your recording" in title
    assert len(calls) > 1  # retried before giving up


async def test_a_cdn_that_fails_twice_is_retried_and_the_job_runs(
    discord_harness: DiscordHarness, english_voice_message: bytes, monkeypatch
):
    h = discord_harness
    real = type(h.bot.http).get_from_cdn
    failures = [1, 1]

    async def flaky(self, url: str) -> bytes:
        if failures:
            failures.pop()
            raise OSError("connection reset (injected)")
        return await real(self, url)

    monkeypatch.setattr(type(h.bot.http), "get_from_cdn", flaky)
    result = await h.slash(h.member("dan"), "imagine", audio=("hi.ogg", english_voice_message))
    await retry_for(h, 30)
    assert final_state(h, result.response).embeds[0]["title"].startswith("✅ Done")


async def test_a_restart_between_a_failed_delivery_and_its_retry_completes_it(
    discord_harness: DiscordHarness,
):
    h = discord_harness
    h.env.inject_error("PATCH", "*", status=500, times=None)  # every edit fails…
    h.env.inject_error("POST", "/channels/*/messages", status=500, times=None)  # …and every post
    result = await h.slash(h.member("erin"), "imagine", prompt="a kept promise", seed=9, count=1)
    await retry_for(h, 10)
    assert final_state(h, result.response).loading  # still "thinking…": nothing got through
    h.env.backend.faults.clear()
    await h.restart_bot()
    await h.wait_for(lambda: bool(latest(h, result.response.id).attachments), timeout=60)
    done = final_state(h, result.response)
    assert done.embeds[0]["title"].startswith("✅ Done") and len(done.filenames) == 1


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_a_signal_mid_draw_finishes_it_answers_once_and_keeps_new_requests(
    discord_harness: DiscordHarness, held, signum: int
):
    h = discord_harness
    gate = held["gate"] = h.gate()
    alice, bob = h.member("alice"), h.member("bob")
    drawing = await h.slash(alice, "imagine", prompt="a last picture", count=1)
    bound = h.bot.settings.shutdown.bound_seconds
    with StopSignals(bound, on_stop=lambda: asyncio.ensure_future(h.bot.close())):
        os.kill(os.getpid(), signum)
        for _ in range(50):  # the handler runs on a later turn of the loop
            await asyncio.sleep(0.01)
        await h.env.settle()
        during = await h.slash(bob, "imagine", prompt="asked during the stop", count=1)
        assert titles(h, during.response)[-1].startswith("💾 Saved")
        await gate.release()
        await h.wait_for(lambda: h.bot.is_closed(), timeout=30)
    done = final_state(h, drawing.response)
    assert done.embeds[0]["title"].startswith("✅ Done") and len(done.filenames) == 1
    after = held["gate"] = h.gate()  # the restart settles before the kept request draws
    await h.restart_bot()
    await after.release()
    await h.wait_for(lambda: bool(latest(h, during.response.id).attachments), timeout=60)
    assert titles(h, during.response)[-1].startswith("✅ Done")
    assert len([t for t in titles(h, drawing.response) if t.startswith("✅")]) == 1


async def test_a_banned_word_heard_in_a_voice_message_is_never_shown(
    discord_harness: DiscordHarness, english_voice_message: bytes
):
    h = discord_harness
    h.bot.settings.policy.banned_words.append("apple")
    voice = await h.send_voice_message(h.member("fay"), english_voice_message, duration=2.0)
    done = final_state(h, reply_to(h, voice))
    assert done.embeds[0]["title"].startswith("❌") and "isn't allowed" in done.embeds[0]["title"]
    shown = str(done.embeds).lower()
    assert "apple" not in shown and "heard" not in shown


async def test_no_message_shows_a_path_of_this_machine(
    discord_harness: DiscordHarness, tiny_sd_dir: Path, whisper_base_dir: Path
):
    h = discord_harness
    gus = h.member("gus")
    await h.slash(gus, "imagine", prompt="a map", count=1)
    await h.slash(gus, "status")
    await h.slash(gus, "help")
    await h.slash(gus, "queue")
    roots = {str(tiny_sd_dir.parent), str(whisper_base_dir), str(Path.cwd()), str(Path.home())}
    sent = [str(request.body) for request in h.message_requests()]
    assert sent and not [text for text in sent for root in roots if root in text]


async def test_a_button_is_acknowledged_before_its_picture_is_downloaded(
    discord_harness: DiscordHarness, monkeypatch
):
    h = discord_harness
    ida = h.member("ida")
    result = await h.slash(ida, "imagine", prompt="a tree", count=1)
    done = final_state(h, result.response)

    acknowledged_first: list[bool] = []

    async def cdn_down(self, url: str) -> bytes:
        acknowledged_first.append(h.last_interaction.acknowledged)
        raise discord.HTTPException(_Response(), "CDN down (injected)")  # type: ignore[arg-type]

    monkeypatch.setattr(type(h.bot.http), "get_from_cdn", cdn_down)
    job = done.embeds[0]["footer"]["text"].split()[1]
    varied = await ida.click(latest(h, result.response.id), custom_id=f"s2i:vary:{job}:0:strong")
    await retry_for(h, 30)
    assert acknowledged_first and all(acknowledged_first)  # each download after the click's answer
    title = final_state(h, answer(varied)).embeds[0]["title"]
    assert title.startswith("❌") and "couldn't download the picture" in title


async def test_a_refused_click_does_not_count_as_a_click(discord_harness: DiscordHarness):
    h = discord_harness
    jo, kim = h.member("jo"), h.member("kim", permissions=discord.Permissions(manage_guild=True))
    result = await h.slash(jo, "imagine", prompt="a boat", count=1)
    job = final_state(h, result.response).embeds[0]["footer"]["text"].split()[1]
    await h.slash(kim, "settings", requester_only_buttons=True)
    message = latest(h, result.response.id)
    refused = await kim.click(message, custom_id=f"s2i:reroll:{job}")
    assert "only jo can use" in (told_privately(refused) or "")
    await h.slash(kim, "settings", requester_only_buttons=False)
    allowed = await kim.click(message, custom_id=f"s2i:reroll:{job}")  # within 5 s
    assert told_privately(allowed) is None
    assert final_state(h, answer(allowed)).embeds[0]["title"].startswith("✅ Done")


async def test_a_message_discord_refuses_is_sent_plain_instead_of_retried_for_ever(
    discord_harness: DiscordHarness, held
):
    h = discord_harness
    gate = held["gate"] = h.gate()
    result = await h.slash(h.member("max"), "imagine", prompt="a refused layout", count=1)
    h.env.inject_error("PATCH", "/webhooks/*", status=400, code=50035, times=1)
    await gate.release()
    await retry_for(h, 10)
    assert not h.env.backend.faults  # the 400 was met…
    done = final_state(h, result.response)  # …and the job still ended in its pictures
    title = done.embeds[0]["title"] if done.embeds else done.content
    assert title.startswith("✅ Done") and len(done.filenames) == 1


WRITES = (
    ("POST", "/channels/*/messages"),
    ("PATCH", "/channels/*/messages/*"),
    ("*", "/webhooks/*"),
)
"""Every call by which the bot writes a job's message: posts and edits, by channel or token."""


def fail_every_write(h: DiscordHarness, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each way of writing a message answers 500 three times and 429 once, and discord.py's REST
    client and its webhook adapter each time out once; returns the timeouts not met yet."""
    for method, path in WRITES:
        h.env.inject_error(method, path, status=500, times=3)
        h.env.inject_error(method, path, status=429, times=1)
    timeouts = ["rest", "webhook"]
    for name, client in (("rest", FakeHTTPClient), ("webhook", FakeWebhookAdapter)):
        real = client.request

        async def request(self, route, *args, _real=real, _name=name, **kwargs):  # type: ignore[no-untyped-def]
            if _name in timeouts and route.method in ("POST", "PATCH"):
                timeouts.remove(_name)
                raise TimeoutError("no answer (injected)")
            return await _real(self, route, *args, **kwargs)

        monkeypatch.setattr(client, "request", request)
    return timeouts


@pytest.mark.parametrize("entry", ["slash", "context", "voice", "reroll", "modal"])
async def test_every_entry_point_ends_in_its_pictures_whatever_discord_answers(
    discord_harness: DiscordHarness,
    english_voice_message: bytes,
    monkeypatch: pytest.MonkeyPatch,
    entry: str,
):
    h = discord_harness
    una = h.member("una")
    if entry in ("reroll", "modal"):  # a result to click on, made before anything fails
        first = await h.slash(una, "imagine", prompt="a red kite")
        job = final_state(h, first.response).embeds[0]["footer"]["text"].split()[1]
        on = latest(h, first.response.id)
    elif entry == "context":
        voice = await h.send_voice_message(una, english_voice_message, duration=2.0)
        final_state(h, reply_to(h, voice))
    timeouts = fail_every_write(h, monkeypatch)
    if entry == "slash":
        message = (await h.slash(una, "imagine", prompt="a red kite")).response
    elif entry == "context":
        message = (await una.context_menu(h.channel, "Imagine from voice message", voice)).response
    elif entry == "voice":
        message = None
        voice = await h.send_voice_message(una, english_voice_message, duration=2.0)
    elif entry == "reroll":
        clicked = await una.click(on, custom_id=f"s2i:reroll:{job}")
    else:
        shown = await una.click(on, custom_id=f"s2i:edit:{job}")
        clicked = await una.submit_modal(shown, {"prompt": "a blue kite", "negative": ""})
    await retry_for(h, 120)
    if entry == "voice":
        message = reply_to(h, voice)
    elif entry in ("reroll", "modal"):
        message = answer(clicked)
    done = final_state(h, message)
    assert done.embeds[0]["title"].startswith("✅ Done"), (entry, done.embeds[0]["title"])
    assert len(done.filenames) == 2
    met = 2 * len(WRITES) - len(h.env.backend.faults)
    assert met >= 2 and len(timeouts) < 2  # the faults of its way were met, and a timeout


async def test_a_channel_that_takes_no_message_any_more_gets_the_result_by_dm(
    discord_harness: DiscordHarness, held
):
    h = discord_harness
    gate = held["gate"] = h.gate()
    vic = h.member("vic")
    result = await h.slash(vic, "imagine", prompt="a lost channel", count=1)
    h.expire_interaction_tokens()  # the token is gone, and the channel refuses the bot
    for method in ("POST", "PATCH"):
        h.env.inject_error(
            method, f"/channels/{h.channel.id}/messages*", status=403, code=50013, times=None
        )
    await gate.release()
    await retry_for(h, 30)
    elsewhere = [
        r
        for r in h.message_requests()
        if r.method == "POST"
        and r.path.startswith("/channels/")
        and str(h.channel.id) not in r.path
    ]
    assert elsewhere, "nothing was sent outside the channel"
    titles_sent = [e.get("title", "") for r in elsewhere for e in r.body.get("embeds", [])]
    assert any(title.startswith("✅ Done") for title in titles_sent)
    assert result.response is None  # the stale progress message was deleted, not left behind
