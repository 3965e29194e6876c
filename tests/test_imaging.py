"""The image stage on a tiny random-weight SD 1.5-style model, loaded by the production loader."""

from __future__ import annotations

import asyncio
import io
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image, ImageOps

from bot.config import ImageSettings, Limits
from bot.domain.options import GenerationOptions, Variation
from bot.domain.results import GeneratedImage
from bot.engines.imaging import ImageGenerator, JobCancelled
from bot.engines.pipelines import encode_png, read_png_parameters, resolve_device
from tests.support.refusals import refused

LIMITS = Limits(min_side=64)


def options(**changes: object) -> GenerationOptions:
    base = GenerationOptions(
        prompt="a red cat on the moon",
        seed=1234,
        guidance=7.0,
        steps=3,
        count=2,
        width=64,
        height=64,
    )
    result = base.with_changes(**changes)
    result.validate(LIMITS)
    return result


def pixels(image: GeneratedImage) -> np.ndarray:
    with Image.open(io.BytesIO(image.png)) as png:
        return np.asarray(png.convert("RGB"))


def same_pixels(a: list[GeneratedImage], b: list[GeneratedImage]) -> bool:
    return all(np.array_equal(pixels(x), pixels(y)) for x, y in zip(a, b, strict=True))


def assert_same_up_to_rounding(a: list[GeneratedImage], b: list[GeneratedImage]) -> None:
    """Same seeds in batches of another size: float maths may round a few values differently."""
    for x, y in zip(a, b, strict=True):
        diff = np.abs(pixels(x).astype(int) - pixels(y))
        assert diff.max() <= 1 and (diff > 0).mean() < 0.001, (diff.max(), (diff > 0).sum())


class OutOfMemoryFrom(ImageGenerator):
    """The real generator, except that a pipeline call for ``limit`` or more images runs out of
    GPU memory (which a CPU cannot do); records the batch sizes it was asked for."""

    def __init__(self, settings: ImageSettings, limit: int) -> None:
        super().__init__(settings)
        self.limit = limit
        self.batches: list[int] = []

    def _run_batch(self, part, step_end):
        size = sum(piece.size for piece in part)
        self.batches.append(size)
        if size >= self.limit:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory (simulated)")
        return super()._run_batch(part, step_end)


def test_count_size_seeds(image_generator: ImageGenerator) -> None:
    images = image_generator.generate(options(count=3, width=64, height=96))
    assert [image.index for image in images] == [0, 1, 2]
    assert [image.seed for image in images] == [1234, 1235, 1236]
    assert [pixels(image).shape for image in images] == [(96, 64, 3)] * 3
    assert not any(image.nsfw for image in images)
    assert len({pixels(image).tobytes() for image in images}) == 3, "each seed draws its own image"


def test_same_seed_same_pixels(image_generator: ImageGenerator) -> None:
    first = image_generator.generate(options())
    assert same_pixels(first, image_generator.generate(options()))
    assert not same_pixels(first, image_generator.generate(options(seed=99)))


def test_any_image_reproduced_alone(image_generator: ImageGenerator) -> None:
    batch = image_generator.generate(options(count=3))
    alone = image_generator.generate(options(count=1, seed=1234 + 2))
    assert alone[0].seed == batch[2].seed
    assert_same_up_to_rounding(alone, batch[2:])
    assert not same_pixels(alone, batch[1:2])


def test_options_change_the_pixels(image_generator: ImageGenerator) -> None:
    reference = image_generator.generate(options(count=1))
    for changed in (
        options(count=1, guidance=1.0),  # guidance ≤ 1 turns classifier-free guidance off
        options(count=1, negative_prompt="blurry"),
        options(count=1, prompt="a blue horse in the city"),
    ):
        assert not same_pixels(reference, image_generator.generate(changed)), changed


def test_progress_reports_every_step_of_the_job(image_generator: ImageGenerator) -> None:
    reports: list[tuple[int, int]] = []
    image_generator.generate(options(count=2, steps=3), on_step=lambda *r: reports.append(r))
    # SD 1.5's PNDM scheduler runs steps + 1 timesteps; each counts once per image in the batch.
    assert reports == [(2, 8), (4, 8), (6, 8), (8, 8)]


def test_png_parameters_round_trip(image_generator: ImageGenerator, tiny_sd_dir: Path) -> None:
    job = options(count=2, negative_prompt="blurry", width=64, height=80)
    second = image_generator.generate(job)[1]
    assert image_generator.model_name == tiny_sd_dir.name
    assert read_png_parameters(second.png) == {
        "prompt": "a red cat on the moon",
        "negative_prompt": "blurry",
        "seed": 1235,
        "guidance": 7.0,
        "steps": 3,
        "width": 64,
        "height": 80,
        "model": tiny_sd_dir.name,
        "sampler": "PNDMScheduler",
        "index": 1,
    }
    bare = io.BytesIO()
    Image.new("RGB", (8, 8)).save(bare, format="PNG")
    assert read_png_parameters(bare.getvalue()) == {}
    assert read_png_parameters(encode_png(Image.new("RGB", (8, 8)), {"seed": 7})) == {"seed": 7}


def test_should_stop_cancels_and_the_pipeline_stays_usable(
    image_generator: ImageGenerator,
) -> None:
    reports: list[tuple[int, int]] = []
    with pytest.raises(JobCancelled):
        image_generator.generate(
            options(count=2, steps=10),
            on_step=lambda *r: reports.append(r),
            should_stop=lambda: len(reports) >= 2,
        )
    assert reports == [(2, 22), (4, 22)]
    expected = image_generator.generate(options())
    assert same_pixels(image_generator.generate(options(), should_stop=lambda: False), expected)


def test_out_of_memory_splits_the_batch(
    image_generator: ImageGenerator, image_settings: ImageSettings
) -> None:
    unsplit = image_generator.generate(options(count=4))
    generator = OutOfMemoryFrom(image_settings, limit=3)
    reports: list[tuple[int, int]] = []
    split = generator.generate(options(count=4), on_step=lambda *r: reports.append(r))
    assert generator.batches == [4, 2, 2]
    assert_same_up_to_rounding(split, unsplit)
    assert [image.index for image in split] == [0, 1, 2, 3]
    assert reports == [(2, 16), (4, 16), (6, 16), (8, 16), (10, 16), (12, 16), (14, 16), (16, 16)]

    generator.limit = 2
    generator.batches.clear()
    assert_same_up_to_rounding(generator.generate(options(count=3)), unsplit[:3])
    assert generator.batches == [3, 1, 1, 1]
    generator.close()


def test_out_of_memory_for_one_image_is_a_user_facing_error(image_settings: ImageSettings) -> None:
    generator = OutOfMemoryFrom(image_settings, limit=1)
    with refused(r"Not enough GPU memory for 2 images at 64x96"):
        generator.generate(options(count=2, width=64, height=96))
    assert generator.batches == [2, 1]
    generator.close()


def test_concurrent_calls_are_serialised(image_generator: ImageGenerator) -> None:
    jobs = [options(seed=1), options(seed=2, steps=4), options(seed=3, count=1)]
    expected = [image_generator.generate(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(image_generator.generate, jobs))
    assert all(same_pixels(r, e) for r, e in zip(results, expected, strict=True))


async def test_generate_async_leaves_the_loop_free(image_generator: ImageGenerator) -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    started = time.perf_counter()
    images = await image_generator.generate_async(options(count=4, steps=8))
    elapsed = time.perf_counter() - started
    task.cancel()
    assert len(images) == 4
    # A blocked loop would not tick at all before the images came back.
    assert ticks >= max(3, elapsed / 0.005 / 10), (ticks, elapsed)


def test_safety_checker_kept_or_removed(tiny_sd_nsfw_dir: Path) -> None:
    settings = ImageSettings(
        model=str(tiny_sd_nsfw_dir), device="cpu", dtype="float32", local_files_only=True
    )
    flagged = ImageGenerator(settings)
    images = flagged.generate(options())
    assert [image.nsfw for image in images] == [True, True]
    assert all(pixels(image).max() == 0 for image in images), "diffusers blacks flagged images out"
    flagged.close()

    unchecked = ImageGenerator(settings.model_copy(update={"safety_checker": False}))
    assert unchecked.pipeline.safety_checker is None
    images = unchecked.generate(options())
    assert [image.nsfw for image in images] == [False, False]
    assert all(pixels(image).max() > 0 for image in images)
    unchecked.close()


def test_resolve_device_auto_and_explicit() -> None:
    assert resolve_device(ImageSettings(device="cpu")) == ("cpu", torch.float32)
    assert resolve_device(ImageSettings(device="cuda")) == ("cuda", torch.float16)
    assert resolve_device(ImageSettings(device="cuda", dtype="bfloat16")) == (
        "cuda",
        torch.bfloat16,
    )
    expected = ("cuda", torch.float16) if torch.cuda.is_available() else ("cpu", torch.float32)
    assert resolve_device(ImageSettings()) == expected


# --- Variations (image to image) and the per-call safety switch -----------------------------


def png_of(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array.astype(np.uint8), "RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def gradient_png(width: int = 64, height: int = 64) -> bytes:
    x = np.linspace(0, 255, width)[None, :].repeat(height, 0)
    y = np.linspace(0, 255, height)[:, None].repeat(width, 1)
    return png_of(np.stack([x, y, 255 - x], axis=-1))


def checker_png(width: int = 64, height: int = 64) -> bytes:
    cells = (np.indices((height, width)) // 8).sum(axis=0) % 2
    return png_of(np.stack([cells * 255, cells * 40, 255 - cells * 255], axis=-1))


GRADIENT = Variation(image=gradient_png(), strength=0.7, source="job 7 image 1")


def decoded(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGB"))


class PipelineSpy:
    """Stands in front of the real img2img pipeline: records each call's ``image`` and
    ``strength``, then lets the real pipeline run with the same arguments."""

    def __init__(self, pipeline) -> None:
        self.pipeline = pipeline
        self.calls: list[dict[str, object]] = []

    def __call__(self, **kwargs):
        self.calls.append({"image": kwargs["image"].copy(), "strength": kwargs["strength"]})
        return self.pipeline(**kwargs)

    def __getattr__(self, name: str):
        return getattr(self.pipeline, name)


def test_variation_count_size_seeds_and_determinism(image_generator: ImageGenerator) -> None:
    job = options(count=3, steps=4, width=64, height=96)  # the 64×64 picture is resized
    images = image_generator.generate(job, variation=GRADIENT)
    assert [image.index for image in images] == [0, 1, 2]
    assert [image.seed for image in images] == [1234, 1235, 1236]
    assert [pixels(image).shape for image in images] == [(96, 64, 3)] * 3
    assert len({pixels(image).tobytes() for image in images}) == 3, "each seed draws its own image"
    assert same_pixels(images, image_generator.generate(job, variation=GRADIENT))
    alone = image_generator.generate(job.with_changes(count=1, seed=1236), variation=GRADIENT)
    assert_same_up_to_rounding(alone, images[2:])
    assert not same_pixels(
        images, image_generator.generate(job.with_changes(seed=99), variation=GRADIENT)
    )
    assert not same_pixels(images, image_generator.generate(job)), "differs from text to image"


def test_variation_depends_on_the_picture_and_the_strength(
    image_generator: ImageGenerator,
) -> None:
    job = options(count=2, steps=4)
    reference = image_generator.generate(job, variation=GRADIENT)
    other_picture = Variation(image=checker_png(), strength=GRADIENT.strength)
    assert not same_pixels(reference, image_generator.generate(job, variation=other_picture))
    weaker = Variation(image=GRADIENT.image, strength=0.3)
    assert not same_pixels(reference, image_generator.generate(job, variation=weaker))


def test_variation_hands_the_picture_and_strength_to_the_pipeline(
    image_generator: ImageGenerator, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = options(count=2, steps=4)
    unobserved = image_generator.generate(job, variation=GRADIENT)
    spy = PipelineSpy(image_generator.img2img_pipeline)
    monkeypatch.setattr(image_generator.models.get(""), "img2img", spy)

    assert same_pixels(image_generator.generate(job, variation=GRADIENT), unobserved)
    [call] = spy.calls
    assert call["strength"] == GRADIENT.strength
    first, second = call["image"]  # one per image drawn (SD3 encodes one per generator)
    assert first is second and first.mode == "RGB"
    assert np.array_equal(np.asarray(first), decoded(GRADIENT.image))

    small = Variation(image=checker_png(32, 48), strength=0.5)
    image_generator.generate(job.with_changes(width=64, height=80), variation=small)
    resized = ImageOps.fit(
        Image.fromarray(decoded(small.image)), (64, 80), Image.Resampling.LANCZOS
    )
    assert spy.calls[1]["image"][0].size == (64, 80)
    assert np.array_equal(np.asarray(spy.calls[1]["image"][0]), np.asarray(resized))
    assert spy.calls[1]["strength"] == 0.5


def test_variation_pipeline_shares_the_weights(image_generator: ImageGenerator) -> None:
    img2img = image_generator.img2img_pipeline
    text2img = image_generator.pipeline
    assert type(img2img).__name__ == "StableDiffusionImg2ImgPipeline"
    for name in ("unet", "vae", "text_encoder", "tokenizer"):  # each call sets its scheduler
        assert getattr(img2img, name) is getattr(text2img, name), name
    assert image_generator.img2img_pipeline is img2img, "built once"


def test_variation_progress_and_cancel(image_generator: ImageGenerator) -> None:
    reports: list[tuple[int, int]] = []
    job = options(count=2, steps=4)
    image_generator.generate(job, variation=GRADIENT, on_step=lambda *r: reports.append(r))
    # PNDM draws steps + 1 = 5 timesteps; strength 0.7 keeps int(4 × 0.7) = 2 steps, i.e. the
    # last 3 timesteps, for each of the 2 images (text to image would report a total of 10).
    assert reports == [(2, 6), (4, 6), (6, 6)]

    reports.clear()
    with pytest.raises(JobCancelled):
        image_generator.generate(
            job,
            variation=GRADIENT,
            on_step=lambda *r: reports.append(r),
            should_stop=lambda: len(reports) >= 1,
        )
    assert reports == [(2, 6)]


def test_variation_png_parameters(image_generator: ImageGenerator, tiny_sd_dir: Path) -> None:
    second = image_generator.generate(options(count=2, steps=4), variation=GRADIENT)[1]
    assert read_png_parameters(second.png) == {
        "prompt": "a red cat on the moon",
        "negative_prompt": "",
        "seed": 1235,
        "guidance": 7.0,
        "steps": 4,
        "width": 64,
        "height": 64,
        "model": tiny_sd_dir.name,
        "sampler": "PNDMScheduler",
        "index": 1,
        "variation_of": "job 7 image 1",
        "kind": "vary",
        "strength": 0.7,
    }
    plain = image_generator.generate(options(count=1))[0]
    assert "variation_of" not in read_png_parameters(plain.png)


def test_variation_out_of_memory_splits_the_batch(
    image_generator: ImageGenerator, image_settings: ImageSettings
) -> None:
    job = options(count=3, steps=4)
    unsplit = image_generator.generate(job, variation=GRADIENT)
    generator = OutOfMemoryFrom(image_settings, limit=2)
    split = generator.generate(job, variation=GRADIENT)
    assert generator.batches == [3, 1, 1, 1]
    assert_same_up_to_rounding(split, unsplit)
    generator.close()


def test_variation_user_errors(image_generator: ImageGenerator) -> None:
    with refused("not a PNG, JPEG or WebP"):
        image_generator.generate(options(), variation=Variation(image=b"not a png"))
    with refused(r"strength 0\.3 a picture needs at least 4 steps"):
        image_generator.generate(options(steps=3), variation=Variation(GRADIENT.image, 0.3))


async def test_generate_async_passes_variation_and_safety_switch(
    nsfw_generator: ImageGenerator,
) -> None:
    job = options(count=1, steps=4)
    expected = nsfw_generator.generate(job, variation=GRADIENT, safety_check=False)
    images = await nsfw_generator.generate_async(job, variation=GRADIENT, safety_check=False)
    assert same_pixels(images, expected)
    assert not images[0].nsfw  # the checker (which flags everything) was skipped
    checked = await nsfw_generator.generate_async(job, variation=GRADIENT)
    assert checked[0].nsfw


@pytest.fixture(scope="module")
def nsfw_generator(tiny_sd_nsfw_dir: Path):
    settings = ImageSettings(
        model=str(tiny_sd_nsfw_dir), device="cpu", dtype="float32", local_files_only=True
    )
    generator = ImageGenerator(settings)
    yield generator
    generator.close()


def test_safety_check_can_be_skipped_per_call(nsfw_generator: ImageGenerator) -> None:
    checker = nsfw_generator.pipeline.safety_checker
    assert checker is not None
    for variation in (None, GRADIENT):
        job = options(steps=4)
        unchecked = nsfw_generator.generate(job, variation=variation, safety_check=False)
        assert [image.nsfw for image in unchecked] == [False, False]
        assert all(pixels(image).max() > 0 for image in unchecked)
        assert nsfw_generator.pipeline.safety_checker is checker
        assert nsfw_generator.img2img_pipeline.safety_checker is checker

        checked = nsfw_generator.generate(job, variation=variation)
        assert [image.nsfw for image in checked] == [True, True]
        assert all(pixels(image).max() == 0 for image in checked), "blacked out"


def test_safety_checker_restored_after_a_cancelled_call(nsfw_generator: ImageGenerator) -> None:
    checker = nsfw_generator.pipeline.safety_checker
    asked: list[bool] = []

    def stop_mid_draw() -> bool:  # let the pipeline run (checker off) for two steps, then stop
        asked.append(nsfw_generator.pipeline.safety_checker is None)
        return len(asked) > 2

    with pytest.raises(JobCancelled):
        nsfw_generator.generate(options(), should_stop=stop_mid_draw, safety_check=False)
    assert any(asked)  # the checker really was off during the call
    assert nsfw_generator.pipeline.safety_checker is checker
    assert all(image.nsfw for image in nsfw_generator.generate(options(count=1)))
