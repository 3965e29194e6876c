"""Speech benchmark: seconds per voice message, side by side on the same clips in one run.

(a) the original app's path, through openai-whisper on the same weights: ``load_model`` for each
    request, ``pad_or_trim`` to 30 s, ``log_mel_spectrogram``, ``decode`` (which detects the
    language), and a second ``decode(task="translate")`` when the speech is not English; fp32,
    greedy, without timestamps and at the same token cap as the others (``speech.max_new_tokens``).
(b) two plain faster-whisper ``transcribe()`` calls on a resident model (the second only
    for non-English speech) at (c)'s decoding settings: greedy, temperature 0, the same overall
    token cap (without (c)'s limits by the length of the speech).
(c) this project's recognizer, one clip at a time, encoder window fitted to the speech;
(r) the same with Whisper's full 30 s window, the quality reference;
(d) this project with 8 clips in flight at once (cross-request batching), measured before and
    after the serial runs.

Quality, (r) and (c) side by side (and (a)): the language named, against the truth and against
(r)'s; word error of the transcripts against the spoken text, pooled per language and over all
clips; translations equal to (r)'s. Clips and scoring: ``bench/speech_clips.py``.

    python bench/speech.py [--quick] [--model DIR] [--threads N]

The project runs as the bot does (``queue.speech_workers`` replicas, ``speech.cpu_threads`` 0:
the cores shared out among them); (b) on all cores (faster for it than one thread).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from faster_whisper import WhisperModel

from bench.speech_clips import CLIPS, QUICK, Clip, pooled_word_error, voice_message
from bot.config import QueueSettings, SpeechSettings
from bot.domain.results import SpeechResult
from bot.engines.audio import SAMPLE_RATE
from bot.engines.speech import SpeechRecognizer
from bot.engines.whisper import threads_per_worker
from tests.support.whisper_model import assemble_whisper_base, convert_to_openai_whisper

IN_FLIGHT = 8


@dataclass(frozen=True)
class Heard:
    """What one approach made of a clip."""

    language: str | None
    transcript: str
    translation: str | None


def original_app(checkpoint: Path, samples: np.ndarray, max_new_tokens: int) -> Heard:
    """The original app's request: a fresh openai-whisper model, one 30 s window, greedy fp32;
    at the others' decoding settings (no timestamps, the same token cap) rather than
    openai-whisper's defaults (timestamps, 224 tokens), which would only make it slower."""
    import whisper

    model = whisper.load_model(str(checkpoint), device="cpu")
    mel = whisper.log_mel_spectrogram(whisper.pad_or_trim(samples)).to(model.device)
    matched = {"fp16": False, "without_timestamps": True, "sample_len": max_new_tokens}
    heard = whisper.decode(model, mel, whisper.DecodingOptions(**matched))
    translation = None
    if heard.language != "en":
        options = whisper.DecodingOptions(task="translate", **matched)
        translation = whisper.decode(model, mel, options).text
    return Heard(heard.language, heard.text, translation)


def transcribe_pair(model: WhisperModel, samples: np.ndarray, **options: Any) -> Heard:
    """Two plain transcribe() calls (translate only for non-English), generators consumed."""
    segments, info = model.transcribe(samples, **options)
    transcript = "".join(segment.text for segment in segments).strip()
    translation = None
    if info.language != "en":
        segments, _ = model.transcribe(samples, task="translate", language=info.language, **options)
        translation = "".join(segment.text for segment in segments).strip()
    return Heard(info.language, transcript, translation)


def project(recognizer: SpeechRecognizer, samples: np.ndarray) -> Heard:
    result = recognizer.recognize(samples)
    return Heard(result.language, result.transcript, result.translation)


def in_flight(recognizer: SpeechRecognizer, clips: Sequence[np.ndarray]) -> tuple[float, int]:
    """Seconds for all clips submitted ``IN_FLIGHT`` at a time (cycling), and the clips done."""
    rounds = -(-len(clips) // IN_FLIGHT)
    batch = [clips[i % len(clips)] for i in range(rounds * IN_FLIGHT)]

    async def run() -> list[SpeechResult]:
        results = []
        for start in range(0, len(batch), IN_FLIGHT):
            chunk = batch[start : start + IN_FLIGHT]
            results += await asyncio.gather(*(recognizer.recognize_async(c) for c in chunk))
        return results

    started = time.perf_counter()
    asyncio.run(run())
    return time.perf_counter() - started, len(batch)


def timed(run: Callable[[np.ndarray], Heard], samples: np.ndarray) -> tuple[float, Heard]:
    started = time.perf_counter()
    heard = run(samples)
    return time.perf_counter() - started, heard


def main(argv: Sequence[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK} clips (CI)")
    parser.add_argument("--model", help="CTranslate2 Whisper folder (default: the test base model)")
    parser.add_argument(
        "--threads",
        type=int,
        default=os.cpu_count() or 1,
        help="PyTorch threads of the original app (default: all cores, as PyTorch takes them)",
    )
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(args.threads)
    model_dir = Path(args.model) if args.model else assemble_whisper_base()
    folder = Path(tempfile.mkdtemp(prefix="bench-speech-"))
    checkpoint = convert_to_openai_whisper(model_dir, folder / "whisper.pt")
    # As the bot runs it: queue.speech_workers replicas, the cores shared out among them.
    workers = QueueSettings().speech_workers
    settings = SpeechSettings(model=str(model_dir), device="cpu")
    fitted = SpeechRecognizer(settings, workers)
    full = SpeechRecognizer(settings.model_copy(update={"fit_context": False}), workers)
    loaded = fitted.whisper.model.model
    resident = WhisperModel(
        str(model_dir),
        device=loaded.device,
        compute_type=loaded.compute_type,
        cpu_threads=args.threads,  # its best here: 2.4 s a clip on one thread, 1.9 s on two
    )
    matched = {
        "beam_size": settings.beam_size,
        "temperature": 0.0,
        "without_timestamps": True,
        "vad_filter": settings.vad,
        "max_new_tokens": 2 * settings.max_new_tokens - 4,  # CTranslate2 decodes half of it
    }
    clips = CLIPS[:QUICK] if args.quick else CLIPS
    audio = [voice_message(clip) for clip in clips]
    approaches: dict[str, Callable[[np.ndarray], Heard]] = {
        "a": lambda s: original_app(checkpoint, s, settings.max_new_tokens),
        "b": lambda s: transcribe_pair(resident, s, **matched),
        "c": lambda s: project(fitted, s),
        "r": lambda s: project(full, s),
    }
    for run in approaches.values():  # warm up: imports, resident models, first-call setup
        run(audio[0])
    in_flight(fitted, audio[:1])

    print(
        f"model {model_dir.name} ({loaded.device}, {loaded.compute_type}); original app on"
        f" {args.threads} PyTorch threads, (b) on {args.threads}; (c), (r), (d) on"
        f" {threads_per_worker(workers)} thread(s) a replica, {workers} replicas;"
        f" {len(clips)} clips, {IN_FLIGHT} in flight for (d)"
    )
    flight_before = in_flight(fitted, audio)
    seconds: dict[str, list[float]] = defaultdict(list)
    heard: dict[str, list[Heard]] = defaultdict(list)
    for clip, samples in zip(clips, audio, strict=True):
        for key, run in approaches.items():
            elapsed, result = timed(run, samples)
            seconds[key].append(elapsed)
            heard[key].append(result)
        print(
            f"{clip.language} {samples.size / SAMPLE_RATE:4.1f} s | "
            + "  ".join(f"{key} {values[-1]:5.2f}" for key, values in seconds.items())
            + f" | r: {heard['r'][-1].language}, c: {heard['c'][-1].language}"
            + f" {heard['c'][-1].transcript!r}"
            + (f" → {heard['c'][-1].translation!r}" if heard["c"][-1].translation else ""),
            flush=True,
        )
    flight_after = in_flight(fitted, audio)
    flight = (flight_before[0] + flight_after[0]) / (flight_before[1] + flight_after[1])

    figures = {f"{key}_s_per_clip": float(np.mean(values)) for key, values in seconds.items()}
    figures.update({f"{key}_median_s": float(np.median(v)) for key, v in seconds.items()})
    figures["d_s_per_clip"] = flight
    figures["speedup_serial"] = figures["a_s_per_clip"] / figures["c_s_per_clip"]
    figures["speedup_in_flight"] = figures["a_s_per_clip"] / flight
    voice = [i for i, samples in enumerate(audio) if 3 <= samples.size / SAMPLE_RATE <= 10]
    if voice:  # the target: voice messages of 3-10 s
        a, c = (np.mean([seconds[key][i] for i in voice]) for key in "ac")
        figures["speedup_serial_3_to_10_s"] = float(a / c)
    figures["flight_spread"] = (
        abs(flight_before[0] / flight_before[1] - flight_after[0] / flight_after[1]) / flight
    )
    figures.update(_quality(clips, heard))
    _print(figures, clips)
    return figures


def _quality(clips: Sequence[Clip], heard: dict[str, list[Heard]]) -> dict[str, float]:
    """Language right and equal to (r)'s, per language and over all clips (``all``); word error
    pooled the same way; translations equal to (r)'s."""
    figures: dict[str, float] = {}
    for key in ("a", "r", "c"):
        for language in [*sorted({clip.language for clip in clips}), "all"]:
            picked = [i for i, clip in enumerate(clips) if language in (clip.language, "all")]
            figures[f"{key}_language_right_{language}"] = sum(
                heard[key][i].language == clips[i].language for i in picked
            )
            figures[f"{key}_language_agrees_{language}"] = sum(
                heard[key][i].language == heard["r"][i].language for i in picked
            )
        wer = pooled_word_error(clips, [h.transcript for h in heard[key]])
        figures.update({f"wer_{language}_{key}": value for language, value in wer.items()})
        figures[f"wer_{key}"] = wer["all"]
        figures[f"{key}_language_right"] = figures[f"{key}_language_right_all"]
    figures["c_translation_equal"] = sum(
        h.translation == r.translation for h, r in zip(heard["c"], heard["r"], strict=True)
    )
    return figures


def _print(figures: dict[str, float], clips: Sequence[Clip]) -> None:
    print(
        "seconds per clip: "
        + "  ".join(f"{key} {figures[f'{key}_s_per_clip']:.2f}" for key in "abcrd")
        + f"  (d: spread before/after {figures['flight_spread']:.0%}); median "
        + "  ".join(f"{key} {figures[f'{key}_median_s']:.2f}" for key in "abcr")
    )
    print(
        f"original app / this project: serial {figures['speedup_serial']:.1f}x (target 4x; "
        f"medians {figures['a_median_s'] / figures['c_median_s']:.1f}x, clips of 3-10 s "
        f"{figures.get('speedup_serial_3_to_10_s', float('nan')):.1f}x), "
        f"{IN_FLIGHT} in flight {figures['speedup_in_flight']:.1f}x (target 8x); "
        f"b/c {figures['b_s_per_clip'] / figures['c_s_per_clip']:.1f}x, "
        f"r/c {figures['r_s_per_clip'] / figures['c_s_per_clip']:.1f}x"
    )
    print(
        f"translations of the fitted window equal to the 30 s window's "
        f"{figures['c_translation_equal']:.0f}/{len(clips)}"
    )
    languages = [*sorted({clip.language for clip in clips}), "all"]
    count = {lang: sum(lang in (clip.language, "all") for clip in clips) for lang in languages}
    print(f"{'':32}" + "".join(f"{lang:>7}" for lang in languages))
    print(f"{'clips':32}" + "".join(f"{count[lang]:>7}" for lang in languages))
    rows = {"a": "original app", "r": "30 s window (r)", "c": "fitted (c)"}
    for test, label in (("right", "language right"), ("agrees", "language = (r)")):
        for key, name in rows.items():
            if test == "right" or key != "r":
                cells = [
                    f"{figures[f'{key}_language_{test}_{lang}']:.0f}/{count[lang]}"
                    for lang in languages
                ]
                print(f"{label + ' ' + name:32}" + "".join(f"{cell:>7}" for cell in cells))
    for key, name in rows.items():
        cells = [f"{figures[f'wer_{lang}_{key}']:.1%}" for lang in languages]
        print(f"{'word error rate ' + name:32}" + "".join(f"{cell:>7}" for cell in cells))
    points = [100 * (figures[f"wer_{lang}_c"] - figures[f"wer_{lang}_r"]) for lang in languages]
    print(f"{'word error rate (c) - (r)':32}" + "".join(f"{p:>+6.1f}p" for p in points))


if __name__ == "__main__":
    main()
