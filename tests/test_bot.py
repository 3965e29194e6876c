"""The bot end to end through real discord.py (simcord): real Whisper base, the tiny diffusion
model, the real queue and SQLite store. Only a test Gate is added, to hold a draw in place."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from bot.engines.pipelines import read_png_parameters
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import fields, final_state, job_id, latest, pngs, reply_to, titles

pytestmark = pytest.mark.simcord(settle_timeout=120)


async def test_imagine_with_every_option(discord_harness: DiscordHarness, tiny_sd_dir: Path):
    h = discord_harness
    alice = h.member("alice")
    result = await h.slash(
        alice, "imagine", prompt="a red cat on the moon", seed=123, guidance=5.5, steps=3,
        count=3, negative="blurry", size="landscape",
    )  # fmt: skip
    trace = h.last_interaction
    assert trace.deferred
    message = result.response
    done = final_state(h, message)
    assert done.embeds[0]["title"].startswith("✅ Done")
    seen = titles(h, message)
    assert any(title.startswith("🎨 Drawing") for title in seen), seen
    assert done.filenames == [f"image-{i}-seed-{123 + i}.png" for i in range(3)]
    values = fields(done)
    assert values["Seed"] == "123 (+0…2)" and values["Guidance"] == "5.5"
    assert values["Steps"] == "3" and values["Size"] == "96×64 (3:2)" and values["Images"] == "3"
    assert values["Negative"] == "blurry"
    assert values["Model"] == tiny_sd_dir.name  # the folder's name, not its server path
    for index, png in enumerate(await pngs(latest(h, message.id))):
        parameters = read_png_parameters(png)
        assert parameters["seed"] == 123 + index and parameters["guidance"] == 5.5
        assert parameters["prompt"] == "a red cat on the moon"
        assert Image.open(io.BytesIO(png)).size == (96, 64)
    sent = h.sent_allowed_mentions()
    assert sent and all(mentions == {"parse": []} for mentions in sent)


@pytest.mark.slow
async def test_voice_message_and_context_menu(
    discord_harness: DiscordHarness, italian_voice_message
):
    h = discord_harness
    bob = h.member("bob")
    voice = await h.send_voice_message(bob, italian_voice_message, duration=3.0)
    reply = reply_to(h, voice)
    done = final_state(h, reply)
    assert done.embeds[0]["title"].startswith("✅ Done"), done.embeds[0]["title"]
    heard = fields(done)
    assert any(name.startswith("Heard (Italian") for name in heard)
    translation = heard["Translation"].lower()
    assert "cat" in translation  # the noun the base model keeps on every machine tried
    assert done.embeds[0]["description"] == heard["Translation"]
    assert len(done.filenames) == 2
    assert any(title.startswith("👂 Listening") for title in titles(h, reply))

    menu = await bob.context_menu(h.channel, "Imagine from voice message", voice)
    assert h.last_interaction.deferred
    again = final_state(h, menu.response)
    assert fields(again)["Translation"] == heard["Translation"]
    assert len(again.filenames) == 2


async def test_three_users_are_served_fairly(discord_harness: DiscordHarness, held):
    h = discord_harness
    gate = held["gate"] = h.gate()
    alice, bob, carol = h.member("alice"), h.member("bob"), h.member("carol")
    jobs = {}
    for name, actor in [("a1", alice), ("a2", alice), ("a3", alice), ("b", bob), ("c", carol)]:
        jobs[name] = (await h.slash(actor, "imagine", prompt=f"job {name}", steps=1)).response
    refused = await h.slash(alice, "imagine", prompt="one too many")
    assert refused.ephemeral and "already have 3 jobs" in refused.response.content

    def place(name: str) -> str:
        return titles(h, jobs[name])[-1]

    assert place("a1").startswith("🎨 Drawing")
    assert [place(name) for name in ("b", "c", "a2", "a3")] == [
        f"⏳ Queued — position {n} of 4" for n in (1, 2, 3, 4)
    ]
    await gate.release(5)
    started = {}
    for name, message in jobs.items():
        done = final_state(h, message)
        assert done.embeds[0]["title"].startswith("✅ Done"), name
        started[name] = h.bot.queue.get(job_id(done)).started_at
    assert sorted(started, key=started.__getitem__) == ["a1", "b", "c", "a2", "a3"]


async def test_bad_inputs_get_clear_answers_and_the_bot_keeps_serving(
    discord_harness: DiscordHarness, silence_voice_message, long_english_voice_message
):
    h = discord_harness
    dave = h.member("dave")
    png = io.BytesIO()
    Image.new("RGB", (8, 8)).save(png, "PNG")
    not_audio = await h.slash(dave, "imagine", audio=("picture.png", png.getvalue()))
    assert not_audio.ephemeral and "isn't audio" in not_audio.response.content

    for options, named in [
        ({"prompt": "x", "seed": 2**40}, "`seed`"),
        ({"prompt": "x", "guidance": 0.5}, "`guidance`"),
        ({"prompt": "x", "steps": 500}, "`steps`"),
        ({"prompt": "x", "count": 50}, "`count`"),
    ]:
        raw = await h.slash_raw(dave, "imagine", **options)
        assert raw.ephemeral and named in raw.response.content, raw.response.content
    nothing = await h.slash(dave, "imagine")
    assert nothing.ephemeral and "Tell me what to draw" in nothing.response.content

    silent = await h.send_voice_message(dave, silence_voice_message, duration=5.0)
    assert "didn't hear any speech" in final_state(h, reply_to(h, silent)).embeds[0]["title"]

    long = await h.slash(dave, "imagine", audio=("long.ogg", long_english_voice_message))
    assert "too long" in final_state(h, long.response).embeds[0]["title"]

    works = await h.slash(dave, "imagine", prompt="still alive", count=1)
    done = final_state(h, works.response)
    assert done.filenames == [f"image-0-seed-{fields(done)['Seed']}.png"]


async def test_nobody_is_pinged_by_user_text(discord_harness: DiscordHarness):
    h = discord_harness
    erin, frank = h.member("erin"), h.member("frank")
    text = f"@everyone @here look <@{frank.id}> <@&{h.guild.id}>"
    result = await h.slash(erin, "imagine", prompt=text, count=1)
    assert final_state(h, result.response).embeds[0]["description"] == text
    assert h.pings(result.response).none
    sent = h.sent_allowed_mentions()
    assert sent and all(mentions == {"parse": []} for mentions in sent)


async def test_result_after_the_interaction_token_died_lands_in_the_same_message(
    discord_harness: DiscordHarness, held
):
    h = discord_harness
    gate = held["gate"] = h.gate()
    grace = h.member("grace")
    result = await h.slash(grace, "imagine", prompt="a slow painting", count=1)
    before = len(h.messages())
    h.expire_interaction_tokens()
    await gate.release()
    done = final_state(h, result.response)  # edited through the channel once the token died
    assert done.embeds[0]["title"].startswith("✅ Done") and len(done.filenames) == 1
    assert len(h.messages()) == before and h.pings(result.response).none


async def test_a_restart_resumes_the_jobs_it_interrupted(discord_harness: DiscordHarness, held):
    h = discord_harness
    held["gate"] = h.gate()
    heidi, ivan = h.member("heidi"), h.member("ivan")
    drawing = await h.slash(heidi, "imagine", prompt="interrupted mid-draw", seed=5, count=1)
    queued = await h.slash(ivan, "imagine", prompt="waiting in line", seed=6, count=1)
    assert titles(h, drawing.response)[-1].startswith("🎨 Drawing")
    assert titles(h, queued.response)[-1] == "⏳ Queued — position 1 of 1"
    messages = len(h.messages())
    held["gate"] = None
    await h.restart_bot()  # the old bot's tasks are cancelled, as in a crash
    for original, seed in ((drawing.response, 5), (queued.response, 6)):
        await h.wait_for(lambda o=original: bool(latest(h, o.id).attachments), timeout=60)
        assert titles(h, original)[-1].startswith("✅ Done")  # in place, by the stored token
        png = await latest(h, original.id).attachments[0].read()
        assert read_png_parameters(png)["seed"] == seed
    assert len(h.messages()) == messages  # nothing posted anew, nobody pinged
