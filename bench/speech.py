"""Speech benchmark: seconds per voice message, three ways, on the same clips in one run.

(a) the original web app's way: load the model for each request, then ``transcribe()`` and a
    separate ``transcribe(task="translate")`` with faster-whisper's default settings (beam 5,
    temperature fallback, no VAD): two full decodes, three encoder passes, a fresh model each time;
(b) this project's resident recognizer: one encoder pass shared by language detection,
    transcription and translation (no translation for English), temperature 0, capped length;
(c) two plain ``transcribe()`` calls (task transcribe, then task translate) with default settings on
    a resident model; (d) the same two calls with (b)'s decoding settings, which isolates what the
    shared encoder pass saves.

All use the same model, device, compute type and threads. Accuracy per language: word error rate of
(b)'s transcript against the spoken text, and how many key nouns its English prompt contains.

    python bench/speech.py [--model DIR] [--clips N] [--threads N]
"""

from __future__ import annotations

import argparse
import os
import string
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from faster_whisper import WhisperModel

from bot.config import Limits, SpeechSettings
from bot.engines.audio import decode_audio
from bot.engines.speech import SpeechRecognizer
from tests.support.audio_clips import Engine, speak, to_voice_message
from tests.support.whisper_model import assemble_whisper_base


@dataclass(frozen=True)
class Clip:
    language: str
    text: str
    voice: str
    keywords: tuple[str, ...]
    """English nouns the prompt should contain."""
    engine: Engine = "espeak"


CLIPS = (
    Clip(
        "en",
        "A big red apple sits on the kitchen table. "
        "Next to it, a small grey cat sleeps in the warm afternoon sun.",
        "en",
        ("apple", "table", "cat", "sun"),
    ),
    Clip(
        "it",
        "Un gatto nero dorme sul divano rosso. "
        "Il cane bianco gioca nel giardino con una palla gialla.",
        "lp_diphone",
        ("cat", "sofa", "dog", "garden", "ball"),
        engine="festival",
    ),
    Clip(
        "es",
        "Un perro grande corre en el parque verde. "
        "Los niños juegan con una pelota azul cerca del lago.",
        "es",
        ("dog", "park", "children", "ball", "lake"),
    ),
    Clip(
        "de",
        "Der Hund schläft auf dem roten Sofa im Wohnzimmer. "
        "Die Katze sitzt am Fenster und schaut in den Garten.",
        "de",
        ("dog", "sofa", "cat", "window", "garden"),
    ),
    Clip(
        "fr",
        "Le chat noir dort sur le canapé rouge. Une petite fille mange une pomme dans le jardin.",
        "fr",
        ("cat", "sofa", "girl", "apple", "garden"),
    ),
)


def words(text: str | None) -> list[str]:
    return (text or "").lower().translate(str.maketrans("", "", string.punctuation)).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance divided by the reference length."""
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, guess in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != guess))
    return row[-1] / len(ref)


def timed(run: Callable[[np.ndarray], object], samples: np.ndarray) -> float:
    started = time.perf_counter()
    run(samples)
    return time.perf_counter() - started


def transcribe_and_translate(model: WhisperModel, audio: np.ndarray, **options: object) -> None:
    """Two plain transcribe() calls; their segment generators are consumed, as a caller must."""
    for task in ("transcribe", "translate"):
        segments, _ = model.transcribe(audio, task=task, **options)
        "".join(segment.text for segment in segments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="CTranslate2 Whisper folder (default: the test base model)")
    parser.add_argument("--clips", type=int, default=3, choices=range(1, len(CLIPS) + 1))
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    model_dir = args.model or str(assemble_whisper_base())
    settings = SpeechSettings(model=model_dir, device="cpu", cpu_threads=args.threads)
    recognizer = SpeechRecognizer(settings)
    loaded = recognizer.whisper.model.model
    model_options = {
        "device": loaded.device,
        "compute_type": loaded.compute_type,
        "cpu_threads": args.threads,
    }
    matched = {
        "beam_size": settings.beam_size,
        "temperature": 0.0,
        "without_timestamps": True,
        "vad_filter": settings.vad,
        "max_new_tokens": 2 * settings.max_new_tokens - 4,  # CTranslate2 decodes half of it
    }
    resident = WhisperModel(model_dir, **model_options)

    clips = CLIPS[: args.clips]
    audio = {clip.language: _voice_message(clip) for clip in clips}
    recognizer.recognize(audio[clips[0].language])  # warm up both resident models
    transcribe_and_translate(resident, audio[clips[0].language])

    approaches: dict[str, Callable[[np.ndarray], object]] = {
        "a": lambda s: transcribe_and_translate(WhisperModel(model_dir, **model_options), s),
        "b": recognizer.recognize,
        "c": lambda s: transcribe_and_translate(resident, s),
        "d": lambda s: transcribe_and_translate(resident, s, **matched),
    }
    print(f"model {model_dir} ({loaded.device}, {loaded.compute_type}, {args.threads} threads)")
    totals = dict.fromkeys("abcd", 0.0)
    for clip in clips:
        samples = audio[clip.language]
        seconds = {key: timed(run, samples) for key, run in approaches.items()}
        for key, value in seconds.items():
            totals[key] += value
        result = recognizer.recognize(samples)
        found = [word for word in clip.keywords if word in words(result.prompt)]
        print(
            f"{clip.language} {len(samples) / 16000:4.1f} s audio | "
            + "  ".join(f"{key} {value:5.2f} s" for key, value in seconds.items())
            + f" | heard {result.language} p={result.language_probability:.2f}"
            f" WER {word_error_rate(clip.text, result.transcript):.0%}"
            f" keywords {len(found)}/{len(clip.keywords)}",
            flush=True,
        )
        print(f"     transcript:  {result.transcript}")
        if result.translation is not None:
            print(f"     translation: {result.translation}")

    per_clip = {key: total / len(clips) for key, total in totals.items()}
    print(
        "seconds per clip: "
        + "  ".join(f"{key} {value:.2f}" for key, value in per_clip.items())
        + f"  | a/b {per_clip['a'] / per_clip['b']:.1f}x"
        f"  c/b {per_clip['c'] / per_clip['b']:.1f}x"
        f"  d/b {per_clip['d'] / per_clip['b']:.1f}x"
    )


def _voice_message(clip: Clip) -> np.ndarray:
    """The clip spoken, sent as a Discord voice message, decoded as the bot decodes it."""
    ogg = to_voice_message(speak(clip.text, clip.voice, engine=clip.engine))
    return decode_audio(ogg, Limits()).samples


if __name__ == "__main__":
    main()
