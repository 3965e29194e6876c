"""Cross-request batching: ``generate_async`` calls that match are drawn in one pipeline call, and
every job gets the images, progress and outcome it would get alone."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from pydantic import ValidationError

from bot.config import ImageSettings, Settings
from bot.domain.options import GenerationOptions
from bot.domain.results import GeneratedImage
from bot.engines.imaging import ImageGenerator, JobCancelled
from bot.engines.runner import Engines
from tests.test_imaging import (
    GRADIENT,
    OutOfMemoryFrom,
    assert_same_up_to_rounding,
    options,
)


@pytest.fixture(scope="module")
def batching_settings(image_settings: ImageSettings) -> ImageSettings:
    return image_settings.model_copy(update={"batch_jobs": 4, "max_batch_images": 8})


@pytest.fixture(scope="module")
def generator(batching_settings: ImageSettings):
    generator = ImageGenerator(batching_settings)
    yield generator
    generator.close()


class CallSpy:
    """Stands in front of a real pipeline: records each call's prompts and seeds, then lets the
    real pipeline run with the same arguments."""

    def __init__(self, pipeline: Any, calls: list[dict[str, Any]]) -> None:
        self.pipeline = pipeline
        self.calls = calls

    def __call__(self, **kwargs: Any) -> Any:
        self.calls.append(
            {
                "prompts": list(kwargs["prompt"]),
                "seeds": [g.initial_seed() for g in kwargs["generator"]],
                "img2img": "image" in kwargs,
            }
        )
        return self.pipeline(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pipeline, name)


@pytest.fixture
def calls(generator: ImageGenerator, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every pipeline call of ``generator`` from now on (text to image and variations)."""
    recorded: list[dict[str, Any]] = []
    model = generator.models.get("")
    img2img = model.img2img  # made from the real pipeline, before the spy
    monkeypatch.setattr(model, "pipeline", CallSpy(model.pipeline, recorded))
    monkeypatch.setattr(model, "img2img", CallSpy(img2img, recorded))
    return recorded


@contextlib.asynccontextmanager
async def worker_busy(generator: ImageGenerator) -> AsyncIterator[None]:
    """Hold the worker thread in a job of its own, so that the calls started in the block all
    wait for it and find each other when it ends."""
    started, release = threading.Event(), threading.Event()

    def hold(done: int, total: int) -> None:
        started.set()
        release.wait(10)

    blocker = asyncio.create_task(
        generator.generate_async(options(prompt="the moon", count=1, steps=1), on_step=hold)
    )
    await asyncio.to_thread(started.wait, 10)
    try:
        yield
        await asyncio.sleep(0.05)  # the calls started in the block join the waiting list
    finally:
        release.set()
        await blocker


async def together(
    generator: ImageGenerator,
    jobs: list[GenerationOptions],
    on_step: list[Callable[[int, int], None]] | None = None,
    should_stop: list[Callable[[], bool]] | None = None,
    **keywords: Any,
) -> list[list[GeneratedImage] | BaseException]:
    """Start ``jobs`` while the worker is busy; each one's images, or its exception."""
    async with worker_busy(generator):
        tasks = [
            asyncio.create_task(
                generator.generate_async(
                    job,
                    on_step[i] if on_step else None,
                    should_stop[i] if should_stop else None,
                    **keywords,
                )
            )
            for i, job in enumerate(jobs)
        ]
    return await asyncio.gather(*tasks, return_exceptions=True)


def recorder() -> tuple[list[tuple[int, int]], Callable[[int, int], None]]:
    reports: list[tuple[int, int]] = []
    return reports, lambda done, total: reports.append((done, total))


THREE = [
    options(prompt="a red cat on the moon", seed=11, count=1),
    options(prompt="a blue dog in the city", seed=22, count=2),
    options(prompt="a green horse", seed=33, count=1),
]


async def test_matching_jobs_run_as_one_call_with_the_pixels_of_each_alone(
    generator: ImageGenerator, calls: list[dict[str, Any]]
) -> None:
    alone, alone_reports = [], []
    for job in THREE:
        reports, on_step = recorder()
        alone.append(generator.generate(job, on_step))
        alone_reports.append(reports)
    calls.clear()

    recorded = [recorder() for _ in THREE]
    results = await together(generator, THREE, on_step=[on_step for _, on_step in recorded])

    assert [call["prompts"] for call in calls] == [
        ["the moon"],  # the job that kept the worker busy
        [
            "a red cat on the moon",
            "a blue dog in the city",
            "a blue dog in the city",
            "a green horse",
        ],
    ]
    assert calls[1]["seeds"] == [11, 22, 23, 33]
    for job, images, expected in zip(THREE, results, alone, strict=True):
        assert isinstance(images, list)
        assert [image.seed for image in images] == [job.seed + i for i in range(job.count)]
        assert [image.index for image in images] == list(range(job.count))
        assert_same_up_to_rounding(images, expected)
    # PNDM runs steps + 1 timesteps, each counted once per image of the job: as when alone
    assert [reports for reports, _ in recorded] == alone_reports
    assert alone_reports[1] == [(2, 8), (4, 8), (6, 8), (8, 8)]


async def test_jobs_with_another_key_and_variations_are_not_merged(
    generator: ImageGenerator, calls: list[dict[str, Any]]
) -> None:
    base = options(count=1)
    others = {
        "size": base.with_changes(height=96),
        "steps": base.with_changes(steps=4),
        "guidance": base.with_changes(guidance=5.0),
        "negative": base.with_changes(negative_prompt="blurry"),
    }
    jobs = [base, *others.values(), base.with_changes(seed=99)]
    async with worker_busy(generator):
        tasks = [asyncio.create_task(generator.generate_async(job)) for job in jobs]
        tasks.append(asyncio.create_task(generator.generate_async(base, variation=GRADIENT)))
        tasks.append(asyncio.create_task(generator.generate_async(base, safety_check=False)))
    results = await asyncio.gather(*tasks)

    drawn = [(len(call["seeds"]), call["seeds"], call["img2img"]) for call in calls[1:]]
    assert drawn == [
        (2, [1234, 99], False),  # the first job with the last one that matches it
        (1, [1234], False),  # each other key alone, in order
        (1, [1234], False),
        (1, [1234], False),
        (1, [1234], False),
        (1, [1234], True),  # the variation
        (1, [1234], False),  # no safety check
    ]
    assert [len(images) for images in results] == [1] * 8
    assert_same_up_to_rounding(results[0], generator.generate(base))


async def test_batch_limits(
    generator: ImageGenerator, calls: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        generator, "settings", generator.settings.model_copy(update={"max_batch_images": 4})
    )
    counts = [3, 3, 2, 1]
    jobs = [options(seed=100 * i, count=count) for i, count in enumerate(counts)]
    results = await together(generator, jobs)
    # the oldest job takes the later ones that still fit: 3 + 1, then 3, then 2
    assert [call["seeds"] for call in calls[1:]] == [
        [0, 1, 2, 300],
        [100, 101, 102],
        [200, 201],
    ]
    assert [len(images) for images in results] == counts  # type: ignore[arg-type]

    calls.clear()
    alone = generator.generate(options(count=6))
    assert [len(call["seeds"]) for call in calls] == [4, 2], "one job larger than a call: in parts"
    assert [image.seed for image in alone] == list(range(1234, 1240))

    calls.clear()
    await together(generator, [options(seed=i, count=1) for i in range(5)])
    assert [call["seeds"] for call in calls[1:]] == [[0, 1, 2, 3], [4]], "batch_jobs = 4"


async def test_a_cancelled_job_leaves_the_batch_and_the_others_finish(
    generator: ImageGenerator, calls: list[dict[str, Any]]
) -> None:
    alone = [generator.generate(job) for job in THREE]
    calls.clear()
    recorded = [recorder() for _ in THREE]
    stop_second = [lambda: False, lambda: len(recorded[1][0]) >= 2, lambda: False]
    results = await together(
        generator,
        THREE,
        on_step=[on_step for _, on_step in recorded],
        should_stop=stop_second,
    )
    assert isinstance(results[1], JobCancelled)
    assert [reports for reports, _ in recorded][1] == [(2, 8), (4, 8)]
    for index in (0, 2):
        assert_same_up_to_rounding(results[index], alone[index])  # type: ignore[arg-type]
        assert recorded[index][0][-1] == (4, 4), "ran to the end"
    assert len(calls) == 2, "one call for the three: not interrupted"

    # stopped before the batch starts: left out of the call
    calls.clear()
    results = await together(
        generator, THREE, should_stop=[lambda: False, lambda: True, lambda: False]
    )
    assert isinstance(results[1], JobCancelled)
    assert calls[1]["seeds"] == [11, 33]

    # every job in the batch stopped: the call is interrupted at once
    calls.clear()
    recorded = [recorder() for _ in THREE]
    results = await together(
        generator,
        THREE,
        on_step=[on_step for _, on_step in recorded],
        should_stop=[lambda r=r: bool(r[0]) for r in recorded],
    )
    assert all(isinstance(outcome, JobCancelled) for outcome in results)
    assert [reports for reports, _ in recorded] == [[(1, 4)], [(2, 8)], [(1, 4)]]
    assert len(calls) == 2


async def test_out_of_memory_halves_the_combined_batch(batching_settings: ImageSettings) -> None:
    generator = OutOfMemoryFrom(batching_settings, limit=3)
    try:
        alone = [generator.generate(job) for job in THREE]
        generator.batches.clear()
        recorded = [recorder() for _ in THREE]
        results = await together(generator, THREE, on_step=[on_step for _, on_step in recorded])
    finally:
        generator.close()
    assert generator.batches == [1, 4, 2, 2]  # the busy job, then the three: 4 → 2 + 2
    for images, expected in zip(results, alone, strict=True):
        assert_same_up_to_rounding(images, expected)  # type: ignore[arg-type]
    # the second job's two images are drawn in the two halves; its progress goes on rising
    assert recorded[1][0] == [(i, 8) for i in range(1, 9)]
    assert recorded[0][0] == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_batch_jobs_auto_is_four_on_cuda_and_one_on_cpu() -> None:
    assert ImageSettings().jobs_per_batch("cuda") == 4
    assert ImageSettings().jobs_per_batch("cpu") == 1
    assert ImageSettings(batch_jobs=2).jobs_per_batch("cpu") == 2
    with pytest.raises(ValidationError):
        ImageSettings(batch_jobs=0)
    # the queue hands the engines this many jobs at once
    assert Engines(Settings(image={"device": "cpu"})).draw_slots == 1
    assert Engines(Settings(image={"device": "cuda"})).draw_slots == 4
    assert Engines(Settings(image={"device": "cuda", "batch_jobs": 6})).draw_slots == 6
