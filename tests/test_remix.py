"""A reply to one of the bot's results remixes it, through real discord.py (simcord), real
Whisper and the tiny diffusion model: the same model, size, seed, steps and guidance, the heard
words as the prompt, a variation of the picture (one picture) or the same seed (several), with
auto mode on or off, the original's requester rule, typed replies only where a server allows
them, and without the Message Content intent where Discord sends the reply's attachments."""

from __future__ import annotations

import re
from typing import Any

import discord
import pytest

from bot.config import Settings
from bot.engines.pipelines import read_png_parameters
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import fields, final_state, job_id, latest, reply_to

pytestmark = pytest.mark.simcord(settle_timeout=120)

ADMIN = discord.Permissions(manage_guild=True, manage_messages=True)


def heard_the_apple(text: str) -> bool:
    """The words of "A big red apple sits on the kitchen table." (espeak) that Whisper base hears
    on every CPU instruction set and encoder window (the less certain ones differ: "Big Red
    Apple sit…" in the 30 s window on AVX2, "A big round apple sits…" in a fitted one)."""
    return {"apple", "kitchen", "table"} <= set(re.findall(r"[a-z]+", text.lower()))


async def result(h: DiscordHarness, actor: Any, **options: Any) -> tuple[discord.Message, str]:
    drawn = await h.slash(actor, "imagine", **options)
    done = final_state(h, drawn.response)
    assert done.embeds[0]["title"].startswith("✅ Done"), done.embeds[0]["title"]
    return latest(h, drawn.response.id), job_id(done)


async def test_a_voice_reply_remixes_a_picture_even_with_auto_mode_off(
    discord_harness: DiscordHarness, english_voice_message: bytes
):
    h = discord_harness
    admin, ann = h.member("admin", permissions=ADMIN), h.member("ann")
    await h.slash(admin, "settings", auto_voice=False)
    original, parent = await result(
        h, ann, prompt="a red fox", seed=40, steps=3, guidance=6.5, count=1
    )
    picture = await original.attachments[0].read()

    voice = await h.send_voice_message(ann, english_voice_message, duration=2.0, reply_to=original)
    answer = reply_to(h, voice)  # answered as a reply to the voice message
    done = final_state(h, answer)
    assert done.embeds[0]["title"].startswith("✅ Done"), done.embeds[0]["title"]
    shown = fields(done)
    assert shown[f"Remix of job {parent}"] == "a red fox"
    heard = done.embeds[0]["description"]
    assert heard_the_apple(heard), heard
    drawn = h.bot.engines.draws[-1]
    assert drawn["variation"].strength == h.bot.settings.defaults.remix_strength
    assert drawn["variation"].image == picture
    png = read_png_parameters(await latest(h, answer.id).attachments[0].read())
    assert png["parent_job"] == parent and png["prompt"] == heard
    assert (png["seed"], png["steps"], png["guidance"]) == (40, 3, 6.5)
    assert (png["width"], png["height"]) == (64, 64)

    plain = await h.send_voice_message(ann, english_voice_message, duration=2.0)
    assert not [m for m in h.messages() if m.reference and m.reference.message_id == plain.id]


async def test_a_remix_of_several_pictures_keeps_their_seed(
    discord_harness: DiscordHarness, english_voice_message: bytes
):
    h = discord_harness
    bea = h.member("bea")
    original, parent = await result(h, bea, prompt="two boats", seed=11, count=2)
    voice = await h.send_voice_message(bea, english_voice_message, duration=2.0, reply_to=original)
    done = final_state(h, reply_to(h, voice))
    assert fields(done)[f"Remix of job {parent}"] == "two boats"
    assert h.bot.engines.draws[-1]["variation"] is None
    assert done.filenames == ["image-0-seed-11.png", "image-1-seed-12.png"]


async def test_remixes_follow_the_requester_rule_and_typed_replies_need_the_server(
    discord_harness: DiscordHarness, english_voice_message: bytes
):
    h = discord_harness
    admin, cid, dee = h.member("admin", permissions=ADMIN), h.member("cid"), h.member("dee")
    original, parent = await result(h, cid, prompt="a castle", count=1)
    await h.slash(admin, "settings", requester_only_buttons=True)
    await h.send_voice_message(dee, english_voice_message, duration=2.0, reply_to=original)
    refusal = h.message_requests()[-1]  # private to her: a reply that deletes itself
    assert refusal.content == (
        "❌ On this server only cid can remix that picture. Start your own with /imagine."
    )

    typed = await cid.send(h.channel, "make it snow", reply_to=original)
    assert not [m for m in h.messages() if m.reference and m.reference.message_id == typed.id]
    await h.slash(admin, "settings", text_remixes=True)
    typed = await cid.send(h.channel, "make it snow", reply_to=original)
    done = final_state(h, reply_to(h, typed))
    assert done.embeds[0]["description"] == "make it snow"
    assert fields(done)[f"Remix of job {parent}"] == "a castle"


@pytest.fixture
def no_content_intent(settings: Settings) -> None:
    """The bot asks for no Message Content intent (auto mode off)."""
    settings.discord.auto_voice = False
    settings.discord.message_content_intent = False


async def test_a_reply_that_mentions_the_bot_remixes_without_the_content_intent(
    no_content_intent: None, discord_harness: DiscordHarness, english_voice_message: bytes, held
):
    """Discord sends a message's attachments to a bot without the intent when the message
    mentions it. A reply mentions the author of a message the bot posted itself, unless the
    replier turns the ping off; a reply to a slash command's answer does not count
    (discord/discord-api-docs#5395), so those remixes need the intent."""
    h = discord_harness
    assert not h.bot.intents.message_content
    eve, mod = h.member("eve"), h.member("mod", permissions=ADMIN)
    answered, _ = await result(h, eve, prompt="a kite", count=1)
    gate = held["gate"] = h.gate()
    drawn = await h.slash(eve, "imagine", prompt="a lamp", count=1)
    h.expire_interaction_tokens()
    await mod.delete(drawn.response)  # the result is then posted anew, by the bot, in the channel
    await gate.release()
    held["gate"] = None
    posted = next(m for m in reversed(h.messages()) if m.author.bot and m.attachments)
    assert posted.interaction_metadata is None

    for silent in (
        await h.send_voice_message(eve, english_voice_message, duration=2.0, reply_to=answered),
        await h.send_voice_message(
            eve, english_voice_message, duration=2.0, reply_to=posted, ping=False
        ),
    ):
        assert not [m for m in h.messages() if m.reference and m.reference.message_id == silent.id]
    voice = await h.send_voice_message(eve, english_voice_message, duration=2.0, reply_to=posted)
    done = final_state(h, reply_to(h, voice))
    assert done.embeds[0]["title"].startswith("✅ Done")
    assert heard_the_apple(done.embeds[0]["description"]), done.embeds[0]["description"]
