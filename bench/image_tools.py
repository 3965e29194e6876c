"""Image tools benchmark: seconds per operation on the tiny random-weight model, in one run.

Text to image (the reference), an upscale 2×, a zoom out 2×, a pan, an image prompt, a sampler
other than the model's own, a LoRA style, and the first use of a second model (its load). Each
figure is the median of ``--repeats`` runs on a 64×64 picture, and its ratio to text to image, so
the figures compare the operations' costs on this machine, not a real model's speed.

    python bench/image_tools.py [--steps N] [--repeats N] [--threads N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch

from bot.config import ImageSettings, Limits, LoraSettings, ModelSettings
from bot.domain.options import GenerationOptions, Variation
from bot.engines.imaging import ImageGenerator
from tests.support.tiny_diffusion import build_random_lora, build_tiny_sd


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as folder:
        base, narrow, lora = (Path(folder) / name for name in ("base", "narrow", "lora"))
        build_tiny_sd(base)
        build_tiny_sd(narrow, channels=(16, 32), seed=5)
        build_random_lora(base, lora)
        styled = ModelSettings(source=str(base), loras={"ink": LoraSettings(path=lora)})
        settings = ImageSettings(
            model=str(base),
            device="cpu",
            dtype="float32",
            local_files_only=True,
            models={"styled": styled, "narrow": ModelSettings(source=str(narrow))},
            max_resident_models=3,
        )
        generator = ImageGenerator(settings, Limits(min_side=64))
        job = GenerationOptions(
            "a lighthouse", seed=1, steps=args.steps, count=1, width=64, height=64
        )
        picture = generator.generate(job)[0].png
        operations: dict[str, Callable[[], object]] = {
            "text to image 64×64": lambda: generator.generate(job),
            "upscale 2× (→128×128, strength 0.35)": lambda: generator.generate(
                job, variation=Variation(picture, 0.35, kind="upscale")
            ),
            "zoom out 2× (→128×128 inpaint)": lambda: generator.generate(
                job, variation=Variation(picture, kind="zoom", factor=2.0)
            ),
            "pan left (→96×64 inpaint)": lambda: generator.generate(
                job, variation=Variation(picture, kind="pan", direction="left", factor=1.5)
            ),
            "image prompt (strength 0.75)": lambda: generator.generate(
                job, variation=Variation(picture, 0.75)
            ),
            "sampler dpm++2m-karras": lambda: generator.generate(
                job.with_changes(sampler="dpm++2m-karras")
            ),
            "LoRA style": lambda: generator.generate(job.with_changes(model="styled", style="ink")),
        }
        figures = {name: median_seconds(run, args.repeats) for name, run in operations.items()}
        load = median_seconds(lambda: generator.models.get("narrow"), 1)
        figures["first use of a second model (load)"] = load
        reference = figures["text to image 64×64"]
        print(f"tiny model, {args.steps} steps, {args.threads} thread(s), median of {args.repeats}")
        for name, seconds in figures.items():
            print(f"{name:40s} {seconds * 1000:8.1f} ms  {seconds / reference:5.2f}× text to image")
        generator.close()


if __name__ == "__main__":
    main()
