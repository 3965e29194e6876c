"""Live previews' cost: the same draw with and without previews, per model family and decoder.

For each family (SD 1.5, SDXL, SD3, FLUX.1) and each preview decoder (the family's linear
latent → RGB map; a tiny autoencoder of TAESD's real layout with random weights: the arithmetic
of TAESD, TAESDXL, TAESD3, TAEF1), one job of ``--count`` pictures is drawn ``--rounds`` times
without previews and with them, alternately (so a busy machine slows both alike), through this
project's :class:`~bot.engines.imaging.ImageGenerator`, in turns (off-on, then on-off).
Printed per row: the median draw without and with previews; the overhead (the median of each
round's with/without ratio: on a busy machine its noise is larger than the cost); the previews
made per draw (the 5 % budget allows fewer where one costs more); one preview's cost (decode,
grid, JPEG, timed alone); ``share``, the drawing time those previews took (previews × cost ÷
draw); and what previews every 2 s (``image.preview_seconds``' default) would cost.

On CUDA the family's random-weight pipeline of its real configuration is drawn at its native
size (``bench/real_models.py``, nothing downloaded); without CUDA the tests' tiny pipeline, at
``--size`` (128) with ``--interval`` between previews (a tiny draw is over before 2 s). Previews
never take more than 5 % of the drawing time by construction (``bot/engines/previews.py``):
the overhead column measures what they cost all the same.

    python bench/previews.py [--families sd15,sdxl,sd3,flux] [--size 128] [--steps 30]
                             [--count 4] [--interval 0.25] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch
from diffusers import AutoencoderTiny

from bench.real_models import build_real
from bot.config import ImageSettings
from bot.domain.families import FAMILIES
from bot.domain.options import GenerationOptions
from bot.engines.imaging import ImageGenerator
from bot.engines.previews import LatentDecoder, grid
from tests.support.tiny_families import build_tiny

DEFAULT_INTERVAL = 2.0
"""``image.preview_seconds``' default."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--size", type=int, help="side (default: native on CUDA, 128 on CPU)")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--count", type=int, default=4, help="pictures per job (a grid)")
    parser.add_argument("--interval", type=float, help="preview_seconds (CUDA: 2, CPU: 0.25)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (CPU only)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    args = parse_args(argv)
    cuda = torch.cuda.is_available()
    if not cuda:
        torch.set_num_threads(args.threads)
    interval = args.interval or (DEFAULT_INTERVAL if cuda else 0.25)
    print(f"device: {torch.cuda.get_device_name() if cuda else 'CPU'}; preview every {interval} s")
    print(
        f"\n{'family':<7} {'decoder':<17} {'size':>9} {'off s':>7} {'on s':>7} {'overhead':>9}"
        f" {'previews':>8} {'ms each':>8} {'share':>6} {'at 2 s':>7}"
    )
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.families.split(","):
            family = FAMILIES[name]
            model = Path(scratch) / name
            (build_real if cuda else build_tiny)(name, model, Path(scratch) / "tokenizers")
            taesd = Path(scratch) / f"taesd-{name}"
            AutoencoderTiny(latent_channels=len(family.preview.latent_rgb)).save_pretrained(taesd)
            size = args.size or ((family.native or 512) if cuda else 128)
            for decoder in (None, str(taesd)):
                row = _measure(args, name, model, decoder, size, interval, cuda)
                rows.append(row)
                print(
                    f"{name:<7} {row['decoder']:<17} {f'{size}²×{args.count}':>9}"
                    f" {row['off_s']:>7.2f} {row['on_s']:>7.2f} {row['overhead']:>8.1%}"
                    f" {row['previews']:>8.1f} {row['ms_each']:>8.1f} {row['share']:>6.1%}"
                    f" {row['at_2s']:>6.1%}",
                    flush=True,
                )
    return rows


def _measure(
    args: argparse.Namespace,
    family: str,
    model: Path,
    decoder: str | None,
    size: int,
    interval: float,
    cuda: bool,
) -> dict[str, Any]:
    settings = ImageSettings(
        model=str(model),
        family=family,  # type: ignore[arg-type]
        device="cuda" if cuda else "cpu",
        local_files_only=True,
        preview_decoder=decoder,
        preview_seconds=interval,
        safety_checker=False,
    )
    generator = ImageGenerator(settings)
    options = GenerationOptions(
        "a lighthouse on a cliff at dusk",
        seed=1,
        steps=args.steps,
        count=args.count,
        width=size,
        height=size,
        guidance=4.0,
    )
    try:
        generator.generate(options.with_changes(steps=2))  # warm-up
        off, on, made = [], [], []
        for round_ in range(args.rounds):
            previews: list[bytes] = []
            for with_previews in (False, True) if round_ % 2 == 0 else (True, False):
                started = time.perf_counter()
                generator.generate(options, on_preview=previews.append if with_previews else None)
                (on if with_previews else off).append(time.perf_counter() - started)
            made.append(len(previews))
        decoder = generator.models.get(generator.model_name).decoder
        kind, each = decoder.kind, _one_preview(decoder, family, args.count, size)
    finally:
        generator.close()
    off_s, on_s = statistics.median(off), statistics.median(on)
    count = statistics.mean(made)
    ratios = [with_ / without for with_, without in zip(on, off, strict=True)]
    return {
        "family": family,
        "decoder": "linear map" if kind == "linear" else "tiny autoencoder",
        "size": size,
        "off_s": off_s,
        "on_s": on_s,
        "overhead": statistics.median(ratios) - 1,
        "previews": count,
        "ms_each": each * 1000,
        "share": count * each / on_s,
        "at_2s": each / DEFAULT_INTERVAL,
    }


def _one_preview(decoder: LatentDecoder, family: str, count: int, size: int) -> float:
    """The median seconds of one preview of ``count`` pictures: decode, grid, JPEG."""
    channels = len(FAMILIES[family].preview.latent_rgb)
    if FAMILIES[family].preview.packed:
        latents = torch.randn(count, (size // 16) ** 2, channels * 4)
    else:
        latents = torch.randn(count, channels, size // 8, size // 8)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        pictures = decoder.pictures(latents, (size, size))
        grid(dict(enumerate(pictures)), count)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


if __name__ == "__main__":
    main()
