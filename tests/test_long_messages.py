"""Voice messages of one and two minutes through the bot (real discord.py under simcord, real
Whisper base): the reply holds each sentence once, in the order spoken, in the transcript and
in the translation, and shows them whole however long they are."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.engines.runner import Engines
from tests.support.audio_clips import ENGLISH_SENTENCES, ITALIAN_SENTENCES
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import (
    bot_settings,
    final_state,
    heard_texts,
    job_id,
    reply_to,
)
from tests.support.spoken import heard_once_in_order

pytestmark = [pytest.mark.simcord(settle_timeout=240), pytest.mark.slow]


LIMITS = {"min_side": 64, "max_audio_seconds": 130}
"""Voice messages of about two minutes."""


@pytest.fixture
def settings(tiny_sd_dir: Path, whisper_base_dir: Path, tmp_path: Path) -> Settings:
    store = {"path": tmp_path / "jobs.sqlite3"}
    return bot_settings(tiny_sd_dir, whisper_base_dir, store=store, limits=LIMITS)


@pytest.fixture(scope="module")
def engines(tiny_sd_dir: Path, whisper_base_dir: Path) -> Iterator[Engines]:
    """The engines decode audio under the limits too."""
    engines = Engines(bot_settings(tiny_sd_dir, whisper_base_dir, limits=LIMITS))
    engines.start_loading().result()
    yield engines
    engines.close()


async def test_a_long_voice_message_is_answered_with_each_sentence_once_in_order(
    discord_harness: DiscordHarness, english_sentences_voice_message: bytes
) -> None:
    h = discord_harness
    voice = await h.send_voice_message(
        h.member("lena"), english_sentences_voice_message, duration=70.0
    )

    done = final_state(h, reply_to(h, voice))
    assert done.embeds[0]["title"].startswith("✅ Done")
    transcript = next(text for name, text in heard_texts(done).items() if name.startswith("Heard"))
    spoken = sum(len(sentence.split()) for sentence, _ in ENGLISH_SENTENCES)
    heard_once_in_order(transcript, [key for _, key in ENGLISH_SENTENCES], spoken)


async def test_a_two_minute_message_is_shown_whole_transcript_and_translation(
    discord_harness: DiscordHarness, italian_sentences_twice_voice_message: bytes
) -> None:
    """The Italian sentences twice over (two minutes): the transcript and the translation, both
    longer than an embed field, are shown exactly as heard, and each half of the transcript
    holds every sentence once, in order; the prompt drawn is the translation's start."""
    h = discord_harness
    audio = italian_sentences_twice_voice_message
    voice = await h.send_voice_message(h.member("lena"), audio, duration=124.0)

    done = final_state(h, reply_to(h, voice))
    assert done.embeds[0]["title"].startswith("✅ Done")
    heard = h.bot.queue.get(job_id(done)).speech
    shown = heard_texts(done)
    transcript = next(value for name, value in shown.items() if name.startswith("Heard (Italian"))
    assert (transcript, shown["Translation"]) == (heard.transcript, heard.translation)
    assert min(len(transcript), len(shown["Translation"])) > 1024
    spoken = sum(len(sentence.split()) for sentence, *_ in ITALIAN_SENTENCES)
    keys = [key for _, key, _ in ITALIAN_SENTENCES]
    for half in halves(transcript, keys[0]):
        heard_once_in_order(half, keys, spoken)
    assert shown["Translation"].startswith(done.embeds[0]["description"].removesuffix("…"))


def halves(text: str, first: str) -> tuple[str, str]:
    """``text`` cut where ``first``, the first sentence's key word, is heard the second time."""
    found = [match.start() for match in re.finditer(rf"\b{first}\b", text, re.IGNORECASE)]
    assert len(found) == 2, f"{first!r} heard {len(found)} times in {text!r}"
    return text[: found[1]], text[found[1] :]
