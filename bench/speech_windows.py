"""Which fitted encoder windows (``speech.fit_context``, off by default) keep the 30 s window's
quality: a sweep on the benchmark's clips.

For each candidate (window sizes a clip's speech is fitted to, and the silence needed after the
speech) this project's recognizer hears every clip of ``bench/speech_clips.py``; printed per
language: word error pooled over its clips, its difference to the full 30 s window in points, the
language right, and the median seconds per clip (one pass, noisy: ``bench/speech.py`` times the
approaches interleaved). Results are deterministic, so one pass is enough for the quality.

    python bench/speech_windows.py [--model DIR] [--threads N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from bench.speech_clips import SYNTHETIC as CLIPS
from bench.speech_clips import pooled_word_error, voice_message
from bot.config import SpeechSettings
from bot.domain.results import SpeechResult
from bot.engines import windows
from bot.engines.speech import SpeechRecognizer
from tests.support.whisper_model import assemble_whisper_base

CANDIDATES: tuple[tuple[tuple[int, ...], float], ...] = (
    ((10, 20, 30), 1.0),
    ((10, 20, 30), 2.0),
    ((10, 20, 30), 4.0),
    ((15, 20, 30), 1.0),
    ((15, 20, 30), 2.0),
    ((20, 30), 1.0),
)
"""(window sizes in s, silence after the speech in s); the recognizer's own is the first."""


def hear_all(
    recognizer: SpeechRecognizer, audio: Sequence[np.ndarray]
) -> tuple[list[SpeechResult], float]:
    """Every clip's result and the median seconds per clip."""
    results: list[SpeechResult] = []
    seconds = []
    for samples in audio:
        started = time.perf_counter()
        results.append(recognizer.recognize(samples))
        seconds.append(time.perf_counter() - started)
    return results, float(np.median(seconds))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="CTranslate2 Whisper folder (default: the test base model)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)

    model_dir = Path(args.model) if args.model else assemble_whisper_base()
    settings = SpeechSettings(model=str(model_dir), device="cpu", cpu_threads=args.threads)
    fitted = SpeechRecognizer(settings.model_copy(update={"fit_context": True}))
    full = SpeechRecognizer(settings.model_copy(update={"fit_context": False}))
    audio = [voice_message(clip) for clip in CLIPS]
    for warm_up in (fitted, full):
        warm_up.recognize(audio[0])

    reference, full_median = hear_all(full, audio)
    reference_wer = pooled_word_error(CLIPS, [r.transcript for r in reference])
    languages = [*sorted({clip.language for clip in CLIPS}), "all"]
    print(f"{len(CLIPS)} clips; word error pooled per language, (fitted - 30 s) in points")
    print(f"{'window':22}" + "".join(f"{lang:>13}" for lang in languages) + "  right  median")
    rows = [("30 s (reference)", reference, full_median)]
    for sizes, margin in CANDIDATES:
        with (
            mock.patch.object(windows, "CONTEXT_SECONDS", sizes),
            mock.patch.object(windows, "CONTEXT_MARGIN_SECONDS", margin),
        ):
            results, median = hear_all(fitted, audio)
        rows.append((f"{'/'.join(map(str, sizes))} s, +{margin:g} s", results, median))
    for name, results, median in rows:
        wer = pooled_word_error(CLIPS, [r.transcript for r in results])
        cells = [
            f"{wer[lang]:6.1%} {100 * (wer[lang] - reference_wer[lang]):+5.1f}"
            for lang in languages
        ]
        right = sum(r.language == clip.language for r, clip in zip(results, CLIPS, strict=True))
        print(
            f"{name:22}"
            + "".join(f"{cell:>13}" for cell in cells)
            + f"  {right:>2}/{len(CLIPS)}  {median:.2f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
