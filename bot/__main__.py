"""Command line: ``run`` (the Discord bot), ``worker`` (a GPU worker of the redis queue backend),
``doctor`` (whether the bot would start and serve, and what to fix), ``sync`` (the slash
commands, now) and ``imagine`` (one local job, no Discord)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.domain.errors import UserFacingError
from bot.domain.prompts import fit_prompt
from bot.domain.results import GeneratedImage, SpeechResult
from bot.infra.process import ExitCode, StartFailure, silence
from cogs.i18n.catalog import ENGLISH, render


def main(argv: list[str] | None = None) -> int:
    try:
        return _command(_parser().parse_args(argv))
    except KeyboardInterrupt:  # Ctrl-C before a stop's own handlers are installed
        print("interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED


def _command(args: argparse.Namespace) -> int:
    # transformers falls back to its PIL image processors without torchvision, as it should
    silence("transformers.utils.import_utils", "requires torchvision (not installed)")
    if args.command == "doctor":  # it reads the settings itself: a bad key is one of its findings
        from bot.doctor.run import run_doctor

        return run_doctor(worker=args.worker)
    try:
        settings = load_settings(**_overrides(args))
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return ExitCode.CONFIG
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.command == "imagine":
        return asyncio.run(_imagine(args, settings))
    try:
        return _serve(args, settings)
    except StartFailure as failure:
        print(f"error: {failure}", file=sys.stderr)
        return failure.code


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    """The commands that reach Discord, Redis or both."""
    if args.command == "worker":
        from bot.distributed.worker import run_worker

        return run_worker(settings)
    if args.command == "sync":
        from cogs.client import sync_now

        return sync_now(settings, args.guild)
    from cogs.client import run_bot

    run_bot(settings)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the Discord bot (DISCORD_TOKEN must be set)")
    sub.add_parser("worker", help='a GPU worker for queue.backend = "redis" (one per GPU)')
    doctor = sub.add_parser("doctor", help="check that the bot would start and serve; what to fix")
    doctor.add_argument("--worker", action="store_true", help="check a worker's machine instead")
    sync = sub.add_parser("sync", help="sync the slash commands now, changed or not")
    sync.add_argument("--guild", type=int, help="to this server only (at once; for development)")
    imagine = sub.add_parser("imagine", help="speech or text to images, locally, without Discord")
    source = imagine.add_mutually_exclusive_group(required=True)
    source.add_argument("--audio", type=Path, help="an audio file: its speech becomes the prompt")
    source.add_argument("--prompt", help="the text to draw")
    imagine.add_argument("--negative", help="negative prompt")
    imagine.add_argument("--seed", type=int, help="seed of the first image (random if unset)")
    imagine.add_argument("--guidance", type=float)
    imagine.add_argument("--steps", type=int)
    imagine.add_argument("--count", type=int, help="number of images")
    imagine.add_argument("--width", type=int)
    imagine.add_argument("--height", type=int)
    imagine.add_argument("--out", type=Path, default=Path("out"), help="output folder")
    imagine.add_argument("--whisper-model", help="Whisper model name or path")
    imagine.add_argument("--image-model", help="diffusers model id or folder")
    imagine.add_argument("--device", choices=["auto", "cpu", "cuda"])
    return parser


def _overrides(args: argparse.Namespace) -> dict[str, dict[str, object]]:
    """Command-line model choices, merged over the file and environment settings."""
    if args.command != "imagine":
        return {}
    overrides: dict[str, dict[str, object]] = {}
    for section, key, value in (
        ("speech", "model", args.whisper_model),
        ("image", "model", args.image_model),
        ("speech", "device", args.device),
        ("image", "device", args.device),
    ):
        if value is not None:
            overrides.setdefault(section, {})[key] = value
    return overrides


async def _imagine(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from bot.domain.options import GenerationOptions
    from bot.engines.audio import decode_audio
    from bot.engines.hub import ModelLoadError
    from bot.engines.runner import Engines

    engines = Engines(settings, speech=args.audio is not None)
    started = time.perf_counter()
    record: dict[str, object] = {}
    try:
        # Everything that can be refused is checked before any model loads.
        options = GenerationOptions.build(
            args.prompt or "",
            settings.defaults,
            settings.limits,
            negative_prompt=args.negative,
            seed=args.seed,
            guidance=args.guidance,
            steps=args.steps,
            count=args.count,
            width=args.width,
            height=args.height,
            prompt_required=args.audio is None,
        )
        audio = None
        if args.audio is not None:
            audio = decode_audio(args.audio.read_bytes(), settings.limits, filename=args.audio.name)
        engines.start_loading()
        if audio is not None:
            speech = await engines.hear(audio.samples)
            if speech.no_speech:
                raise UserFacingError("no-speech")
            prompt, cut = fit_prompt(speech.prompt, settings.limits.max_prompt_chars)
            _print_speech(speech, prompt, cut)
            record["speech"] = speech.__dict__ | {"prompt": prompt, "prompt_cut": cut}
            options = options.with_changes(prompt=prompt)
            options.validate(settings.limits)
        await engines.wait_ready()
        print(f"Drawing {options.count} × {options.width}×{options.height}, seed {options.seed}")
        with tqdm(total=options.steps * options.count, unit="step", desc="drawing") as bar:

            def on_step(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            images = await engines.draw(options, on_step, lambda: False)
    except ModelLoadError:
        return 1  # the engines logged it, with the fix
    except UserFacingError as error:
        print(f"error: {render(error.message, ENGLISH)}", file=sys.stderr)
        return 1
    finally:
        engines.close()
    paths = write_images(images, args.out)
    assert engines.generator is not None
    record |= {
        "options": options.to_dict(),
        "model": engines.generator.model_name,
        "images": [
            {"path": str(p), "seed": i.seed, "nsfw": i.nsfw}
            for p, i in zip(paths, images, strict=True)
        ],
        "seconds": round(time.perf_counter() - started, 3),
    }
    (args.out / "job.json").write_text(json.dumps(record, indent=2, ensure_ascii=False))
    for path in paths:
        print(path)
    print(args.out / "job.json")
    return 0


def write_images(images: list[GeneratedImage], folder: Path) -> list[Path]:
    """Write each PNG under its file name; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for image in images:
        path = folder / image.filename
        path.write_bytes(image.png)
        paths.append(path)
    return paths


def _print_speech(speech: SpeechResult, prompt: str, cut: bool) -> None:
    print(f"Language:    {speech.language} ({speech.language_probability:.0%})")
    print(f"Transcript:  {speech.transcript}")
    if speech.translation is not None:
        print(f"Translation: {speech.translation}")
    print(f"Prompt:      {prompt}" + (" (cut to fit limits.max_prompt_chars)" if cut else ""))


if __name__ == "__main__":
    sys.exit(main())
