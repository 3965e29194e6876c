"""The fast speech path on the real Whisper base model: the encoder window fitted to the speech
(``speech.fit_context``, off by default) against Whisper's 30 s one, clips batched across requests
(each with its own result and cancellation), a forced language."""

from __future__ import annotations

import asyncio
import itertools
import string
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.config import Limits, Settings, SpeechSettings
from bot.domain.results import SpeechResult
from bot.engines.audio import decode_audio
from bot.engines.runner import Engines
from bot.engines.speech import SpeechRecognizer
from bot.engines.speech_batch import RecognizeMany, Request
from bot.engines.whisper import Attempt, Prompt
from bot.engines.windows import speech_windows, token_limit

pytestmark = pytest.mark.slow


def words(text: str | None) -> set[str]:
    return set((text or "").lower().translate(str.maketrans("", "", string.punctuation)).split())


def assert_heard_alike(
    got: Sequence[SpeechResult | None], expected: Sequence[SpeechResult | None]
) -> None:
    """The same whatever else is in the batch: the text exactly; the probabilities (detected
    over batches of other sizes) up to the float rounding of the CPU's kernels."""

    def facts(r: SpeechResult | None, near: Callable[[float], object]) -> object:
        if r is None:
            return None
        languages = [(code, near(p)) for code, p in r.languages]
        return (r.language, r.transcript, r.translation, r.no_speech, languages)

    assert [facts(r, float) for r in got] == [
        facts(r, lambda p: pytest.approx(p, abs=1e-4)) for r in expected
    ]


@pytest.fixture(scope="module")
def clips(
    english_voice_message: bytes,
    italian_voice_message: bytes,
    spanish_voice_message: bytes,
    silence_voice_message: bytes,
    noise_voice_message: bytes,
) -> dict[str, np.ndarray]:
    audio = {
        "en": english_voice_message,
        "it": italian_voice_message,
        "es": spanish_voice_message,
        "silence": silence_voice_message,
        "noise": noise_voice_message,
    }
    return {name: decode_audio(clip, Limits()).samples for name, clip in audio.items()}


def count_batches(recognizer: SpeechRecognizer) -> tuple[list[int], RecognizeMany]:
    """The size of every batch ``recognizer`` will run (filled as it runs them), and its own
    ``recognize_many``."""
    batches: list[int] = []
    recognize_many = recognizer.recognize_many

    def counted(requests: Sequence[Request]) -> list[SpeechResult | None]:
        batches.append(len(requests))
        return recognize_many(requests)

    recognizer.recognize_many = counted  # type: ignore[method-assign]
    return batches, recognize_many


@pytest.mark.parametrize(
    ("clip", "heard", "english"),
    [("en", {"apple", "table"}, {"apple", "table"}), ("it", {"gatto", "divano"}, {"cat"})],
)
def test_fitted_window_hears_what_the_full_window_hears(
    recognizer: SpeechRecognizer,
    fitted_recognizer: SpeechRecognizer,
    clips: dict[str, np.ndarray],
    clip: str,
    heard: set[str],
    english: set[str],
) -> None:
    assert not recognizer.settings.fit_context and fitted_recognizer.settings.fit_context
    full, fitted = recognizer.recognize(clips[clip]), fitted_recognizer.recognize(clips[clip])

    assert fitted.language == full.language == clip
    for result in (fitted, full):
        assert heard <= words(result.transcript)
        assert english <= words(result.prompt)


@pytest.mark.parametrize("clip", ["silence", "noise"])
def test_fitted_and_full_window_hear_nothing_in_silence_and_noise(
    recognizer: SpeechRecognizer,
    fitted_recognizer: SpeechRecognizer,
    speech_settings: SpeechSettings,
    clips: dict[str, np.ndarray],
    clip: str,
) -> None:
    without_vad = SpeechRecognizer(speech_settings.model_copy(update={"vad": False}))
    for whisper in (recognizer, fitted_recognizer, without_vad):
        assert whisper.recognize(clips[clip]).no_speech


@pytest.mark.parametrize("window", ["recognizer", "fitted_recognizer"])
def test_a_batch_gives_every_clip_what_it_gets_alone(
    window: str, clips: dict[str, np.ndarray], request: pytest.FixtureRequest
) -> None:
    """In the 30 s window, and in windows fitted to each clip's speech (``fit_context``)."""
    recognizer = request.getfixturevalue(window)
    names = ["en", "it", "silence", "es", "it", "noise", "en"]
    alone = {name: recognizer.recognize(clips[name]) for name in set(names)}

    together = recognizer.recognize_many([Request.of(clips[name]) for name in names])

    assert_heard_alike(together, [alone[name] for name in names])
    assert [result.language for result in together] == ["en", "it", None, "es", "it", None, "en"]


def test_a_clip_cancelled_mid_batch_leaves_the_others_whole(
    recognizer: SpeechRecognizer, clips: dict[str, np.ndarray]
) -> None:
    checks = itertools.count()
    gives_up = Request.of(clips["es"], cancelled=lambda: next(checks) > 0)  # after its encoding

    results = recognizer.recognize_many(
        [Request.of(clips["en"]), gives_up, Request.of(clips["it"])]
    )

    assert next(checks) > 2  # asked again after the first check
    alone = [recognizer.recognize(clips["en"]), None, recognizer.recognize(clips["it"])]
    assert_heard_alike(results, alone)


async def test_clips_in_flight_share_a_batch_and_cancel_alone(
    speech_settings: SpeechSettings, clips: dict[str, np.ndarray]
) -> None:
    recognizer = SpeechRecognizer(speech_settings.model_copy(update={"batch_wait_ms": 2000}))
    batches, recognize_many = count_batches(recognizer)
    names = ["en", "it", "es", "en"]
    tasks = [asyncio.create_task(recognizer.recognize_async(clips[name])) for name in names]
    await asyncio.sleep(0.05)
    tasks[2].cancel()
    done = await asyncio.gather(*tasks, return_exceptions=True)

    assert batches == [3]  # one batch, without the clip cancelled while it waited
    assert isinstance(done[2], asyncio.CancelledError)
    for name, result in zip(names, done, strict=True):
        if name != "es":
            assert_heard_alike([result], recognize_many([Request.of(clips[name])]))


async def test_clips_in_flight_are_shared_out_among_the_idle_workers(
    speech_settings: SpeechSettings, clips: dict[str, np.ndarray]
) -> None:
    settings = speech_settings.model_copy(update={"batch_wait_ms": 200})
    recognizer = SpeechRecognizer(settings, workers=2)
    batches, _ = count_batches(recognizer)
    names = ["en", "it", "es", "en", "it"]
    done = await asyncio.gather(*(recognizer.recognize_async(clips[name]) for name in names))

    assert sorted(batches) == [2, 3]  # both replicas at work, neither waiting on the other
    assert [result.language for result in done] == ["en", "it", "es", "en", "it"]


def test_each_row_stops_at_its_own_limit_as_it_would_alone(
    recognizer: SpeechRecognizer, clips: dict[str, np.ndarray]
) -> None:
    whisper = recognizer.whisper
    encoded = whisper.encode(speech_windows(clips["it"]), 1000)
    prompts: list[Prompt] = [("transcribe", "it"), ("translate", "it")]
    greedy = Attempt()
    alone = [whisper.decode(encoded, [prompt], [64], greedy)[0] for prompt in prompts]

    together = whisper.decode(encoded[[0, 0]], prompts, [64, 64], greedy)
    # The translation goes on after the transcript's stop at 4 tokens, from where it was.
    short, longer = whisper.decode(encoded[[0, 0]], prompts, [4, 64], greedy)

    assert [w.tokens for w in together] == [w.tokens for w in alone]
    assert longer.tokens == alone[1].tokens
    assert longer.avg_logprob == pytest.approx(alone[1].avg_logprob, abs=1e-3)
    assert len(short.tokens) <= 4 and alone[0].tokens[: len(short.tokens)] == short.tokens
    assert short.no_speech_prob == pytest.approx(alone[0].no_speech_prob, abs=1e-3)
    # Beam search (the first retry) keeps each row to its own limit too.
    beam = Attempt(beam_size=5)
    beam_short, beam_longer = whisper.decode(encoded[[0, 0]], prompts, [4, 64], beam)
    assert beam_longer.tokens == whisper.decode(encoded, prompts[1:], [64], beam)[0].tokens
    assert len(beam_short.tokens) <= 4


def test_token_limits_follow_the_speech_and_the_task() -> None:
    two_seconds = 2 * 16_000
    assert token_limit("translate", two_seconds) == 48  # 10 a second + 16, in steps of 16
    assert token_limit("transcribe", two_seconds) == 80  # 25 a second + 16
    assert token_limit("transcribe", 30 * 16_000) > 224  # a long window: speech.max_new_tokens


def test_a_forced_language_skips_detection(
    recognizer: SpeechRecognizer, clips: dict[str, np.ndarray]
) -> None:
    detected = recognizer.recognize(clips["it"])
    forced = recognizer.recognize(clips["it"], language="it")
    as_english = recognizer.recognize(clips["it"], language="en")

    assert detected.languages[0] == ("it", detected.language_probability)
    assert len(detected.languages) == 3
    assert [p for _, p in detected.languages] == sorted(
        (p for _, p in detected.languages), reverse=True
    )
    assert (forced.language, forced.language_probability, forced.languages) == (
        "it",
        1.0,
        (("it", 1.0),),
    )
    assert forced.transcript == detected.transcript and forced.translation == detected.translation
    assert as_english.language == "en" and as_english.translation is None


async def test_engines_listen_in_a_given_language_with_speech_workers(
    whisper_base_dir: Path, italian_voice_message: bytes
) -> None:
    settings = Settings(
        speech={"model": str(whisper_base_dir), "device": "cpu", "local_files_only": True},
        queue={"speech_workers": 2},
    )
    engines = Engines(settings, images=False)
    try:
        heard = await engines.listen(italian_voice_message, "voice.ogg", language="it")
        with engines.recognizer() as recognizer:
            workers = recognizer.whisper.model.model.num_workers  # type: ignore[attr-defined]
    finally:
        engines.close()

    assert heard.language == "it" and heard.languages == (("it", 1.0),)
    assert "cat" in words(heard.translation)
    assert workers == 2
