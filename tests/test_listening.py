"""What the voice-transcription bots offer, through real discord.py and the real Whisper base:
a language given by the user, "Wrong language?" on a voice job's message, transcription without
drawing (then "draw this"), and transcripts longer than a prompt cut to fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.engines.pipelines import read_png_parameters
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import (
    answer,
    bot_settings,
    fields,
    final_state,
    job_id,
    latest,
    pngs,
    reply_to,
    titles,
)

pytestmark = [pytest.mark.simcord(settle_timeout=120), pytest.mark.slow]

PROMPT_LIMIT = 24


@pytest.fixture
def settings(tiny_sd_dir: Path, whisper_base_dir: Path, tmp_path: Path) -> Settings:
    """The test bot, with prompts of at most 24 characters (transcripts get cut)."""
    limits = {"min_side": 64, "max_audio_seconds": 30, "max_prompt_chars": PROMPT_LIMIT}
    return bot_settings(
        tiny_sd_dir, whisper_base_dir, store={"path": tmp_path / "jobs.sqlite3"}, limits=limits
    )


def heard_as(state) -> str:
    return next(name for name in fields(state) if name.startswith("Heard ("))


async def test_the_language_option_forces_the_language(
    discord_harness: DiscordHarness, english_voice_message: bytes
):
    h = discord_harness
    result = await h.slash(
        h.member("ana"), "imagine", audio=("hi.ogg", english_voice_message), language="it"
    )
    done = final_state(h, result.response)
    assert done.embeds[0]["title"].startswith("✅ Done")
    assert heard_as(done).startswith("Heard (Italian")
    choices = await h.member("ana").autocomplete(h.channel, "imagine", "language", "ital")
    assert [c["value"] for c in choices] == ["it"]


async def test_wrong_language_listens_again_in_the_same_message_with_the_same_seed(
    discord_harness: DiscordHarness, english_voice_message: bytes
):
    h = discord_harness
    bea = h.member("bea")
    voice = await h.send_voice_message(bea, english_voice_message, duration=2.0)
    reply = reply_to(h, voice)
    first = final_state(h, reply)
    assert heard_as(first).startswith("Heard (English")
    seed = fields(first)["Seed"]
    messages = len(h.messages())
    await bea.select(latest(h, reply.id), ["es"], custom_id=f"s2i:lang:{job_id(first)}")
    again = final_state(h, reply)
    assert again.embeds[0]["title"].startswith("✅ Done") and job_id(again) != job_id(first)
    assert heard_as(again).startswith("Heard (Spanish") and fields(again)["Seed"] == seed
    assert len(h.messages()) == messages  # the same message, nothing new posted
    assert any(t.startswith("👂 Listening") for t in titles(h, reply)[-4:])


async def test_transcribe_answers_without_drawing_and_draw_this_draws_it(
    discord_harness: DiscordHarness, english_voice_message: bytes
):
    h = discord_harness
    cai = h.member("cai")
    message = await h.send_voice_message(cai, english_voice_message, duration=2.0)
    menu = await cai.context_menu(h.channel, "Transcribe voice message", message)
    done = final_state(h, menu.response)
    assert done.embeds[0]["title"].startswith("📝 Transcribed") and done.filenames == []
    heard = done.embeds[0]["description"]
    assert "apple" in heard.lower()
    drawn = await cai.click(latest(h, menu.response.id), custom_id=f"s2i:draw:{job_id(done)}")
    picture = final_state(h, answer(drawn))
    assert picture.embeds[0]["title"].startswith("✅ Done") and len(picture.filenames) == 2
    parameters = read_png_parameters((await pngs(latest(h, answer(drawn).id)))[0])
    assert parameters["prompt"] == heard


async def test_a_transcript_longer_than_a_prompt_is_cut_at_a_word_and_drawn(
    discord_harness: DiscordHarness, english_voice_message: bytes
):
    h = discord_harness
    result = await h.slash(h.member("dov"), "imagine", audio=("a.ogg", english_voice_message))
    done = final_state(h, result.response)
    assert done.embeds[0]["title"].startswith("✅ Done") and len(done.filenames) == 2
    prompt = done.embeds[0]["description"]
    assert 0 < len(prompt) <= PROMPT_LIMIT and "Prompt cut" in fields(done)
    transcript = fields(done)[heard_as(done)]
    assert transcript.startswith(prompt) and transcript[len(prompt)] in " ,.;"
