"""GPU benchmark: images per second of diffusers' plain defaults against this project's engine.

(a) diffusers' defaults: ``AutoPipelineForText2Image.from_pretrained(model)`` as it comes (float32,
    no channels-last, the default attention processor), moved to the device, drawing one job of
    one image at a time;
(b) this project's :class:`~bot.engines.imaging.ImageGenerator`: float16 on CUDA, SDPA attention,
    channels-last UNet and VAE, VAE slicing, and cross-request batching: N one-image jobs
    submitted together through ``generate_async``, which it draws as one batch.

For each N in ``--batches`` both draw N images (the same prompt, seeds 0 … N-1) after an untimed
warm-up of the same shape, ``--rounds`` times; printed: images/s of each (its best round) and the
ratio b/a. (b) runs with
``image.batch_jobs`` = the largest N, so a smaller N pays the engine's short wait for more jobs
(``GATHER_SECONDS``), as it would in the bot.

``--family`` (sd15, sdxl, sd3, flux) picks the architecture: on CUDA, without ``--model``, a
random-weight pipeline of its real configuration (SD 1.5, SDXL, SD3.5 Medium, FLUX.1-schnell:
``bench/real_models.py``) is built and saved first, so the arithmetic is the real model's with
nothing downloaded; SD3 and FLUX run in bfloat16 on both sides (nobody runs them in float32).
Without CUDA it builds the family's tiny random-weight pipeline of the tests and runs at 64² in
float32 on both sides, so that CI keeps the script working; those figures say nothing about a GPU.

    python bench/gpu.py [--family sd15] [--model ID_OR_DIR] [--steps 25] [--size 512]
                        [--batches 1,4,8] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch
from diffusers import AutoPipelineForText2Image

from bench.real_models import build_real
from bot.config import ImageSettings
from bot.domain.families import FAMILIES
from bot.domain.options import GenerationOptions
from bot.engines.imaging import ImageGenerator
from tests.support.tiny_families import build_tiny

PROMPT = "a photo of an astronaut riding a horse on the moon"
GUIDANCE = 7.5
"""diffusers' default, used by both sides."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", choices=tuple(FAMILIES), default="sd15")
    parser.add_argument("--model", help="model id or folder (default: the family's real config)")
    parser.add_argument("--steps", type=int, default=25)
    parser.add_argument("--size", type=int, help="width and height (default: 512; 64 on CPU)")
    parser.add_argument("--batches", default="1,4,8", help="images per batch, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs per batch (best counts)")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="torch CPU threads (CPU only). The baseline draws on this thread and the engine on "
        "its worker thread: with more than one, their two OpenMP teams slow each other ~3x here",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    cuda = torch.cuda.is_available()
    device = "cuda" if cuda else "cpu"
    batches = [int(n) for n in args.batches.split(",")]
    family = FAMILIES[args.family]
    size = args.size or (family.native or 512 if cuda else 64)
    if not cuda:
        torch.set_num_threads(args.threads)
    plain = getattr(torch, family.cuda_dtype) if cuda and family.flow else torch.float32
    with tempfile.TemporaryDirectory() as scratch:
        model = args.model or _random_model(family.name, Path(scratch), real=cuda)
        print(f"device: {device} ({_device_name()}), {family.title}, model: {model}")
        print(f"{size}×{size}, {args.steps} steps, guidance {GUIDANCE}, batches {batches}")
        baseline = _baseline(model, device, plain, size, args.steps, batches, args.rounds)
        ours = _ours(model, family.name, device, size, args.steps, batches, args.rounds)
    results = []
    print(f"\n{'batch':>5}  {'diffusers img/s':>15}  {'this engine img/s':>17}  {'ratio':>6}")
    for n in batches:
        (plain_images, plain_s), (our_images, our_s) = baseline[n], ours[n]
        row = {
            "batch": n,
            "baseline_images": plain_images,
            "ours_images": our_images,
            "baseline_images_per_s": plain_images / plain_s,
            "ours_images_per_s": our_images / our_s,
        }
        row["speedup"] = row["ours_images_per_s"] / row["baseline_images_per_s"]
        results.append(row)
        print(
            f"{n:>5}  {row['baseline_images_per_s']:>15.2f}  {row['ours_images_per_s']:>17.2f}"
            f"  {row['speedup']:>5.2f}×"
        )
    return {
        "device": device,
        "device_name": _device_name(),
        "family": family.name,
        "model": model,
        "size": size,
        "steps": args.steps,
        "baseline_dtype": str(plain).removeprefix("torch."),
        "ours_dtype": "float16" if cuda else "float32",
        "results": results,
    }


def _random_model(family: str, scratch: Path, *, real: bool) -> str:
    """A random-weight pipeline of ``family``: its real configuration, or the tests' tiny one."""
    folder = scratch / family
    if real:
        print(f"building a random-weight {family} pipeline of the real configuration")
        build_real(family, folder, scratch / "tokenizers")
    else:
        print(f"no CUDA: building the tiny random-weight {family} pipeline of the tests")
        build_tiny(family, folder, scratch / "tokenizers")
    return str(folder)


def _device_name() -> str:
    return torch.cuda.get_device_name() if torch.cuda.is_available() else "CPU"


def _best(rounds: int, run: Callable[[], int]) -> tuple[int, float]:
    """Images drawn by ``run`` and its fastest time in seconds, over ``rounds`` runs."""
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        images = run()
        timings.append(time.perf_counter() - started)
    return images, min(timings)


def _baseline(
    model: str,
    device: str,
    dtype: torch.dtype,
    size: int,
    steps: int,
    batches: list[int],
    rounds: int,
) -> dict[int, tuple[int, float]]:
    """(a): per N, images drawn one job at a time, and the best seconds it took."""
    print("(a) diffusers' defaults: loading")
    pipeline = AutoPipelineForText2Image.from_pretrained(model, torch_dtype=dtype).to(device)
    pipeline.set_progress_bar_config(disable=True)

    def draw(seed: int) -> int:
        generator = torch.Generator("cpu").manual_seed(seed)
        output = pipeline(
            PROMPT,
            height=size,
            width=size,
            num_inference_steps=steps,
            guidance_scale=GUIDANCE,
            generator=generator,
        )
        return len(output.images)

    draw(0)  # warm-up: one image, the only shape this side draws
    timed = {}
    for n in batches:
        timed[n] = _best(rounds, lambda n=n: sum(draw(seed) for seed in range(n)))
        print(f"(a) {n} images one by one: {timed[n][1]:.2f} s")
    return timed  # the pipeline goes with this frame: its memory is free for (b)


def _ours(
    model: str, family: str, device: str, size: int, steps: int, batches: list[int], rounds: int
) -> dict[int, tuple[int, float]]:
    """(b): per N, images drawn as N jobs submitted together, and the best seconds it took."""
    print("(b) this engine: loading")
    settings = ImageSettings(
        model=model,
        family=family,  # type: ignore[arg-type]
        device=device,  # type: ignore[arg-type]
        local_files_only=Path(model).is_dir(),
        batch_jobs=max(batches),
        max_batch_images=max(batches),
    )
    generator = ImageGenerator(settings)
    timed = {}
    try:
        for n in batches:

            def together(n: int = n) -> int:
                return asyncio.run(_together(generator, n, size, steps))

            together()  # warm-up at this batch size
            timed[n] = _best(rounds, together)
            print(f"(b) {n} jobs together: {timed[n][1]:.2f} s")
    finally:
        generator.close()
    return timed


async def _together(generator: ImageGenerator, jobs: int, size: int, steps: int) -> int:
    """Submit ``jobs`` one-image jobs at once; the number of images they return."""
    options = [
        GenerationOptions(
            PROMPT, seed=seed, guidance=GUIDANCE, steps=steps, count=1, width=size, height=size
        )
        for seed in range(jobs)
    ]
    drawn = await asyncio.gather(*(generator.generate_async(job) for job in options))
    return sum(len(images) for images in drawn)


if __name__ == "__main__":
    main()
