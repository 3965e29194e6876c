"""A voice message of a minute or more through the bot (real discord.py under simcord, real
Whisper base): its reply holds each sentence once, in the order spoken, in the transcript and
in the translation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.engines.runner import Engines
from tests.support.audio_clips import ENGLISH_SENTENCES, ITALIAN_SENTENCES
from tests.support.discord_harness import DiscordHarness
from tests.support.speech_bot import bot_settings, fields, final_state, reply_to
from tests.support.spoken import heard_once_in_order

pytestmark = [pytest.mark.simcord(settle_timeout=240), pytest.mark.slow]


LIMITS = {"min_side": 64, "max_audio_seconds": 120}
"""Voice messages of up to two minutes."""


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


@pytest.mark.parametrize(
    ("clip", "spoken", "heard", "translated"),
    [
        pytest.param(
            "english_sentences_voice_message",
            sum(len(sentence.split()) for sentence, _ in ENGLISH_SENTENCES),
            [key for _, key in ENGLISH_SENTENCES],
            None,
            id="english",
        ),
        pytest.param(
            "italian_sentences_voice_message",
            sum(len(sentence.split()) for sentence, *_ in ITALIAN_SENTENCES),
            [key for _, key, _ in ITALIAN_SENTENCES],
            [key for *_, key in ITALIAN_SENTENCES],
            id="italian",
        ),
    ],
)
async def test_a_long_voice_message_is_answered_with_each_sentence_once_in_order(
    discord_harness: DiscordHarness,
    request: pytest.FixtureRequest,
    clip: str,
    spoken: int,
    heard: list[str],
    translated: list[str] | None,
) -> None:
    h = discord_harness
    audio = request.getfixturevalue(clip)
    voice = await h.send_voice_message(h.member("lena"), audio, duration=70.0)

    done = final_state(h, reply_to(h, voice))
    assert done.embeds[0]["title"].startswith("✅ Done")
    shown = fields(done)
    transcript = next(value for name, value in shown.items() if name.startswith("Heard ("))
    heard_once_in_order(transcript, heard, spoken)
    if translated is not None:
        heard_once_in_order(shown["Translation"], translated, spoken)
        assert done.embeds[0]["description"] == shown["Translation"]  # what was drawn
