"""The SQLite job store: round trips, queries, audio lifetime, schema versions."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import StoreSettings
from bot.domain.jobs import Job, JobRequest, JobState
from bot.domain.options import GenerationOptions, Variation
from bot.domain.results import GeneratedImage, SpeechResult
from bot.infra.store import MIGRATIONS, JobStore


def a_job(user: int = 1, *, audio: bytes | None = b"OggS\x00voice", **fields: object) -> Job:
    request = JobRequest(
        user_id=user,
        user_name="ada",
        guild_id=None,
        channel_id=42,
        options=GenerationOptions(prompt="", negative_prompt="blurry", seed=5, steps=3, count=2),
        audio=audio,
        audio_filename="voice-message.ogg",
        source="voice",
    )
    return Job(request, **fields)  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def opened(path: Path) -> AsyncIterator[JobStore]:
    store = JobStore(StoreSettings(path=path))
    await store.open()
    try:
        yield store
    finally:
        await store.close()


def audio_of(path: Path, job_id: str) -> bytes | None:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT audio FROM jobs WHERE id = ?", (job_id,)).fetchone()[0]


async def test_a_job_round_trips_and_its_audio_is_dropped_once_finished(tmp_path: Path) -> None:
    path = tmp_path / "data" / "jobs.sqlite3"
    job = a_job()
    async with opened(path) as store:
        await store.save(job)
        assert await store.load(job.id) == job
        assert audio_of(path, job.id) == b"OggS\x00voice"

        job.speech = SpeechResult("it", 0.93, "un gatto", "a cat", 2.5, "base")
        job.state = JobState.DONE
        job.started_at, job.finished_at = job.created_at + 1, job.created_at + 9
        job.images = [GeneratedImage(b"\x89PNG", 0, 5), GeneratedImage(b"\x89PNG", 1, 6, nsfw=True)]
        job.timings = {"queue_wait": 1.0, "listen": 0.5, "draw": 8.0}
        await store.save(job)
        loaded = await store.load(job.id)
        assert [i.png for i in loaded.images] == [b"\x89PNG", b"\x89PNG"]  # kept until delivered
        await store.release_images(job.id)
        loaded = await store.load(job.id)

    assert audio_of(path, job.id) is None
    assert loaded is not None
    assert loaded.speech == job.speech and loaded.options.prompt == "a cat"
    assert [(i.png, i.index, i.seed, i.nsfw) for i in loaded.images] == [
        (b"", 0, 5, False),
        (b"", 1, 6, True),
    ]
    assert (loaded.state, loaded.timings) == (JobState.DONE, job.timings)
    assert (loaded.started_at, loaded.finished_at) == (job.started_at, job.finished_at)
    assert loaded.request.audio is None and loaded.request.options == job.request.options


async def test_unfinished_and_recent_queries(tmp_path: Path) -> None:
    jobs = [
        a_job(1, state=JobState.DONE, created_at=1.0),
        a_job(1, state=JobState.DRAWING, created_at=2.0),
        a_job(2, state=JobState.QUEUED, created_at=3.0),
        a_job(1, state=JobState.CANCELLED, created_at=4.0),
        a_job(1, state=JobState.WAITING, created_at=5.0),
    ]
    async with opened(tmp_path / "jobs.sqlite3") as store:
        for job in reversed(jobs):
            await store.save(job)
        unfinished = await store.unfinished()
        recent = await store.recent(1, limit=3)
        assert await store.load("nope") is None

    assert [job.id for job in unfinished] == [jobs[1].id, jobs[2].id, jobs[4].id]
    assert unfinished[0].request.audio == b"OggS\x00voice"
    assert [job.id for job in recent] == [jobs[4].id, jobs[3].id, jobs[1].id]


async def test_guild_settings_are_a_small_key_value_table(tmp_path: Path) -> None:
    async with opened(tmp_path / "jobs.sqlite3") as store:
        assert await store.get_guild_settings(7) == {}
        await store.put_guild_settings(7, {"max_steps": 30, "channels": [1, 2]})
        await store.put_guild_settings(7, {"max_steps": 20})
        await store.put_guild_settings(8, {"nsfw": False})
        assert await store.get_guild_settings(7) == {"max_steps": 20}
        assert await store.get_guild_settings(8) == {"nsfw": False}
        assert (await store.all_guild_settings())[8] == {"nsfw": False}


async def test_the_schema_is_versioned_in_wal_mode_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    job = a_job(state=JobState.QUEUED)
    async with opened(path) as store:
        await store.save(job)
    async with opened(path) as store:
        assert await store.load(job.id) == job
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    store = JobStore(StoreSettings(path=path))
    with pytest.raises(RuntimeError, match="newer"):
        await store.open()
    await store.close()


async def test_an_unreadable_record_is_marked_failed_not_returned(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    good, bad = a_job(state=JobState.QUEUED), a_job(state=JobState.QUEUED)
    async with opened(path) as store:
        await store.save(good)
        await store.save(bad)
        with contextlib.closing(sqlite3.connect(path)) as db, db:
            db.execute("UPDATE jobs SET options = '{\"colour\": 1}' WHERE id = ?", (bad.id,))
        assert [job.id for job in await store.unfinished()] == [good.id]
        assert [job.id for job in await store.unfinished()] == [good.id]
    with contextlib.closing(sqlite3.connect(path)) as db:
        row = db.execute("SELECT state, error, audio FROM jobs WHERE id = ?", (bad.id,)).fetchone()
    assert row == ("failed", "unreadable record", None)


async def test_a_variation_is_stored_with_its_picture_until_it_finishes(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    job = a_job(audio=None)
    job.request.variation = Variation(image=b"\x89PNG source", strength=0.4, source="abc:2")
    job.request.safety_check = False
    async with opened(path) as store:
        await store.save(job)
        assert await store.load(job.id) == job
        job.state = JobState.DONE
        await store.save(job)
        loaded = await store.load(job.id)
    assert loaded is not None and loaded.request.safety_check is False
    assert loaded.request.variation == Variation(image=b"", strength=0.4, source="abc:2")
