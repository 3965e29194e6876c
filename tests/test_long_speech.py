"""Speech longer than one window, heard once: each sentence of a long voice message once, in the
order spoken, nothing the audio does not hold, in the transcript and the translation, on both
backends (real Whisper base weights); and Whisper's long-form rules one by one.

What is asserted cannot drift with the machine: key words counted, repeated runs of words, the
word count against the speech's, not the exact text (int8 kernels differ per instruction set).
"""

from __future__ import annotations

import numpy as np
import pytest
from faster_whisper.tokenizer import Tokenizer

from bot.config import Limits, SpeechSettings
from bot.domain.results import SpeechResult
from bot.engines.audio import decode_audio
from bot.engines.long_form import Heard, attempts, cut, join
from bot.engines.speech import SpeechRecognizer, load_recognizer
from bot.engines.whisper import Attempt, Decoded
from tests.support.audio_clips import ENGLISH_SENTENCES, ITALIAN_SENTENCES
from tests.support.spoken import heard_once_in_order

ENGLISH_KEYS = [key for _, key in ENGLISH_SENTENCES]
ENGLISH_WORDS = sum(len(sentence.split()) for sentence, _ in ENGLISH_SENTENCES)
ITALIAN_KEYS = [key for _, key, _ in ITALIAN_SENTENCES]
ITALIAN_WORDS = sum(len(sentence.split()) for sentence, *_ in ITALIAN_SENTENCES)
TRANSLATED_KEYS = [key for *_, key in ITALIAN_SENTENCES]


@pytest.fixture(scope="module")
def english_sentences(english_sentences_voice_message: bytes) -> np.ndarray:
    return decode_audio(english_sentences_voice_message, Limits()).samples


@pytest.fixture(scope="module")
def italian_sentences(italian_sentences_voice_message: bytes) -> np.ndarray:
    return decode_audio(italian_sentences_voice_message, Limits()).samples


@pytest.fixture(scope="module")
def heard_in_english(recognizer: SpeechRecognizer, english_sentences: np.ndarray) -> SpeechResult:
    return recognizer.recognize(english_sentences)


@pytest.fixture(scope="module")
def heard_in_italian(recognizer: SpeechRecognizer, italian_sentences: np.ndarray) -> SpeechResult:
    return recognizer.recognize(italian_sentences)


@pytest.mark.slow
def test_a_long_english_message_is_heard_once_in_order(heard_in_english: SpeechResult) -> None:
    assert heard_in_english.duration > 60 and heard_in_english.language == "en"
    heard_once_in_order(heard_in_english.transcript, ENGLISH_KEYS, ENGLISH_WORDS)


@pytest.mark.slow
def test_a_long_italian_message_is_heard_and_translated_once_in_order(
    heard_in_italian: SpeechResult,
) -> None:
    assert heard_in_italian.duration > 60 and heard_in_italian.language == "it"
    heard_once_in_order(heard_in_italian.transcript, ITALIAN_KEYS, ITALIAN_WORDS)
    heard_once_in_order(heard_in_italian.translation, TRANSLATED_KEYS, ITALIAN_WORDS)


@pytest.mark.slow
def test_the_openai_whisper_backend_hears_a_long_message_once_in_order(
    openai_whisper_base, speech_settings: SpeechSettings, english_sentences: np.ndarray
) -> None:
    settings = speech_settings.model_copy(
        update={"backend": "openai-whisper", "model": str(openai_whisper_base)}
    )
    result = load_recognizer(settings).recognize(english_sentences)

    assert result.language == "en"
    heard_once_in_order(result.transcript, ENGLISH_KEYS, ENGLISH_WORDS)


# --- the rules, one by one -------------------------------------------------------------------


@pytest.fixture(scope="module")
def tokenizer(recognizer: SpeechRecognizer) -> Tokenizer:
    return recognizer.whisper.tokenizer(("transcribe", "en"))


def decoded(tokenizer: Tokenizer, *parts: str | float, avg_logprob: float = -0.2) -> Decoded:
    """Tokens of text and timestamps (seconds), as a decode gives them."""
    tokens: list[int] = []
    for part in parts:
        if isinstance(part, float):
            tokens.append(tokenizer.timestamp_begin + round(part / 0.02))
        else:
            tokens += tokenizer.encode(part)
    return Decoded(tuple(tokens), avg_logprob, 0.01)


def test_segments_that_start_after_the_audio_are_dropped(tokenizer: Tokenizer) -> None:
    heard = cut(
        decoded(tokenizer, 0.0, " A red boat.", 2.0, 2.0, " A red boat again.", 4.0),
        tokenizer,
        samples=round(1.9 * 16000),  # the audio ends before the second segment starts
    )

    assert heard.text == "A red boat."
    assert heard.whole_text == "A red boat. A red boat again."
    assert heard.done_at is None


def test_a_decode_that_stops_early_goes_on_from_its_last_timestamp(tokenizer: Tokenizer) -> None:
    cut_off = decoded(tokenizer, 0.0, " One.", 2.0, 2.0, " Two.", 4.0, 4.0, " Three, and")
    skipped = decoded(tokenizer, 0.0, " One.", 2.0, 2.0, " Two.", 4.0, 4.0)
    ended = decoded(tokenizer, 0.0, " One.", 2.0, 2.0, " Two.", 4.0)

    for row in (cut_off, skipped):
        heard = cut(row, tokenizer, samples=20 * 16000)
        assert heard.text == "One. Two." and heard.done_at == pytest.approx(4.0)
    assert cut(ended, tokenizer, samples=20 * 16000).done_at is None


def test_more_words_than_seconds_of_speech_hold_are_decoded_again(tokenizer: Tokenizer) -> None:
    words = " ".join(["word"] * 30)
    too_many = cut(decoded(tokenizer, 0.0, " " + words, 4.0), tokenizer, 4 * 16000)
    enough = cut(decoded(tokenizer, 0.0, " " + words, 9.0), tokenizer, 10 * 16000)

    assert too_many.too_many_words() and not too_many.passes(0.6)
    assert not enough.too_many_words()


@pytest.mark.parametrize(
    ("text", "avg_logprob", "no_speech", "passes"),
    [
        (" A cat sleeps on the red sofa.", -0.3, 0.01, True),
        (" A cat, a red" + "-red" * 40, -0.3, 0.01, False),  # a loop: compression ratio
        (" A cat sleeps on the red sofa.", -1.3, 0.01, False),  # unlikely
        (" Thank you.", -1.3, 0.9, True),  # silence: not decoded again, dropped later
    ],
)
def test_whispers_guards(
    tokenizer: Tokenizer, text: str, avg_logprob: float, no_speech: float, passes: bool
) -> None:
    row = decoded(tokenizer, 0.0, text, 3.0, avg_logprob=avg_logprob)
    heard = cut(Decoded(row.tokens, avg_logprob, no_speech), tokenizer, 9 * 16000)

    assert heard.passes(no_speech_threshold=0.6) is passes


def test_the_fallback_is_beam_search_then_the_temperatures_set() -> None:
    whispers = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    assert attempts(SpeechSettings(temperatures=whispers)) == [
        Attempt(),
        Attempt(beam_size=5),
        *(Attempt(temperature=t, best_of=5) for t in whispers[1:]),
    ]
    assert attempts(SpeechSettings()) == [Attempt(), Attempt(beam_size=5)]


@pytest.mark.parametrize(
    ("texts", "joined"),
    [
        (
            ["A red boat floats.", "Tall green mountains."],
            "A red boat floats. Tall green mountains.",
        ),
        (
            ["A red boat floats on the lake.", "on the lake. Tall mountains rise."],
            "A red boat floats on the lake. Tall mountains rise.",
        ),
        (["No, no.", "No, no, never."], "No, no. No, no, never."),  # two words: said twice
        (["", "Only this."], "Only this."),
    ],
)
def test_windows_are_joined_without_the_words_repeated_at_a_boundary(
    texts: list[str], joined: str
) -> None:
    assert join(texts) == joined


def test_when_every_attempt_fails_the_likeliest_without_a_loop_is_kept(
    tokenizer: Tokenizer,
) -> None:
    from bot.engines.long_form import best

    def attempt(text: str, avg_logprob: float) -> Heard:
        row = decoded(tokenizer, 0.0, text, 3.0, avg_logprob=avg_logprob)
        return cut(row, tokenizer, 3 * 16000)

    loop = attempt(" red" + "-red" * 40, -0.5)
    tried = [attempt(" A cat.", -1.6), loop, attempt(" A dog.", -1.2)]

    assert best(tried).text == "A dog."
    assert best([loop]) is loop
