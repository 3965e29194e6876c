"""Durable job records in SQLite, so that a restart loses no job and old buttons keep working.

One connection, used only by one dedicated thread: every public method is a coroutine that hands
its work to that thread, in call order, so the event loop never waits on the disk. A job's audio is
kept only until the job finishes (a restart needs it to listen again); a finished job's pictures
are kept until :meth:`JobStore.release_images` (their delivery is done), then only their seeds and
flags. Other records that share the database (the Discord layer's deliveries) use :meth:`run`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, replace
from typing import Any, TypeVar

from bot.config import StoreSettings
from bot.domain.jobs import Job, JobRequest, JobState
from bot.domain.messages import Message
from bot.domain.options import GenerationOptions, Variation
from bot.domain.results import GeneratedImage, SpeechResult
from bot.infra.process import ExitCode, StartFailure

log = logging.getLogger(__name__)
T = TypeVar("T")

MIGRATIONS = (
    """
    CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL,
        user_name TEXT NOT NULL,
        guild_id INTEGER,
        channel_id INTEGER,
        source TEXT NOT NULL,
        state TEXT NOT NULL,
        options TEXT NOT NULL,
        audio BLOB,
        audio_filename TEXT,
        reply TEXT NOT NULL,
        speech TEXT,
        result TEXT,
        error TEXT,
        error_kind TEXT,
        timings TEXT NOT NULL,
        created_at REAL NOT NULL,
        started_at REAL,
        finished_at REAL,
        updated_at REAL NOT NULL
    );
    CREATE INDEX jobs_by_user ON jobs (user_id, created_at);
    CREATE INDEX jobs_by_state ON jobs (state);
    CREATE TABLE guild_settings (guild_id INTEGER PRIMARY KEY, data TEXT NOT NULL);
    """,
    """
    ALTER TABLE jobs ADD COLUMN init_image BLOB;
    ALTER TABLE jobs ADD COLUMN variation TEXT;
    ALTER TABLE jobs ADD COLUMN safety_check INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE jobs ADD COLUMN speech_model TEXT;
    """,
    """
    ALTER TABLE jobs ADD COLUMN audio_url TEXT;
    ALTER TABLE jobs ADD COLUMN language TEXT;
    ALTER TABLE jobs ADD COLUMN transcribe_only INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN heard_prompt TEXT;
    ALTER TABLE jobs ADD COLUMN init_image_url TEXT;
    CREATE TABLE job_images (
        job_id TEXT NOT NULL, idx INTEGER NOT NULL, png BLOB NOT NULL, PRIMARY KEY (job_id, idx)
    );
    CREATE TABLE deliveries (
        job_id TEXT PRIMARY KEY, route TEXT NOT NULL, updated_at REAL NOT NULL
    );
    """,
    """
    CREATE TABLE markers (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    """
    ALTER TABLE jobs ADD COLUMN parameters TEXT NOT NULL DEFAULT '';
    ALTER TABLE jobs ADD COLUMN preview TEXT NOT NULL DEFAULT 'off';
    """,
)
"""Schema scripts; ``PRAGMA user_version`` counts those applied."""

_COLUMNS = [
    "id",
    "user_id",
    "user_name",
    "guild_id",
    "channel_id",
    "source",
    "state",
    "options",
    "audio_filename",
    "audio_url",
    "init_image_url",
    "language",
    "transcribe_only",
    "heard_prompt",
    "reply",
    "speech",
    "result",
    "error",
    "error_kind",
    "timings",
    "variation",
    "safety_check",
    "speech_model",
    "parameters",
    "preview",
    "created_at",
    "started_at",
    "finished_at",
    "updated_at",
]
_UPDATE = (
    f"UPDATE jobs SET {', '.join(f'{c} = :{c}' for c in _COLUMNS[1:])}, "
    "audio = CASE WHEN :finished THEN NULL ELSE audio END, "
    "init_image = CASE WHEN :finished THEN NULL ELSE init_image END WHERE id = :id"
)
_INSERT = (
    f"INSERT INTO jobs ({', '.join(_COLUMNS)}, audio, init_image) "
    f"VALUES ({', '.join(':' + c for c in _COLUMNS)}, :audio, :init_image)"
)
_UNFINISHED = tuple(state.value for state in JobState if not state.finished)


class JobStore:
    def __init__(self, settings: StoreSettings) -> None:
        self.path = settings.path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="job-store")
        self._db: sqlite3.Connection | None = None

    async def open(self) -> None:
        """Open (or create) the database and check that it can be written; a store that cannot
        raises :class:`StartFailure` saying why and what to do."""
        try:
            await self._run(self._open)
        except (OSError, sqlite3.Error) as error:
            raise StartFailure(
                f"The job store {self.path} cannot be written ({error})",
                f"make {self.path.parent} writable by this user (uid {os.getuid()}), or set "
                "store.path to a file in a folder that is",
                ExitCode.STORE_NOT_WRITABLE,
            ) from error

    async def close(self) -> None:
        await self._run(self._close)
        self._executor.shutdown(wait=False)

    async def save(self, job: Job) -> None:
        """Insert or update a job, as it is when this coroutine starts running; a job done now
        keeps its pictures until :meth:`release_images`."""
        variation = job.request.variation
        blobs = (job.request.audio, variation.image if variation else None)
        images = [(i.index, i.png) for i in job.images if i.png] if job.finished else []
        await self._run(self._save, _to_row(job), *blobs, images)

    async def load(self, job_id: str) -> Job | None:
        """A job, with the pictures still kept for it."""
        jobs = await self._run(self._select, "WHERE id = ?", (job_id,))
        if not jobs:
            return None
        pngs = dict(await self._run(self._images, job_id))
        job = jobs[0]
        job.images = [replace(i, png=pngs.get(i.index, b"")) for i in job.images]
        return job

    async def release_images(self, job_id: str) -> None:
        """Forget a finished job's pictures (they have been delivered)."""
        await self._run(
            lambda: self._conn.execute("DELETE FROM job_images WHERE job_id = ?", (job_id,))
        )

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work(connection)`` on the store's thread, in order with every other call."""
        return await self._run(lambda: work(self._conn))

    async def unfinished(self) -> list[Job]:
        """Jobs a previous run left unfinished, oldest first."""
        marks = ", ".join("?" * len(_UNFINISHED))
        return await self._run(
            self._select, f"WHERE state IN ({marks}) ORDER BY created_at", _UNFINISHED
        )

    async def recent(self, user_id: int, limit: int = 10) -> list[Job]:
        """The user's latest jobs, newest first."""
        return await self._run(
            self._select, "WHERE user_id = ? ORDER BY created_at DESC LIMIT ?", (user_id, limit)
        )

    async def marker(self, key: str) -> str | None:
        """A small value kept across restarts (the hash of the commands last synced), or None."""
        row = await self._run(
            lambda: self._conn.execute("SELECT value FROM markers WHERE key = ?", (key,)).fetchone()
        )
        return None if row is None else row["value"]

    async def set_marker(self, key: str, value: str) -> None:
        await self._run(
            lambda: self._conn.execute(
                "INSERT INTO markers (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
        )

    async def get_guild_settings(self, guild_id: int) -> dict[str, Any]:
        return await self._run(self._get_guild, guild_id)

    async def put_guild_settings(self, guild_id: int, data: dict[str, Any]) -> None:
        await self._run(self._put_guild, guild_id, json.dumps(data))

    async def all_guild_settings(self) -> dict[int, dict[str, Any]]:
        return await self._run(self._all_guilds)

    # ---- on the store's thread -------------------------------------------------------------

    async def _run(self, work: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, work, *args)

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("the job store is not open")
        return self._db

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None)
        try:
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("BEGIN IMMEDIATE")  # a write lock: a read-only store fails now, not later
            db.execute("ROLLBACK")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise RuntimeError(f"{self.path} has schema {version}, newer than this bot knows")
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                db.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")
        except BaseException:
            db.close()
            raise
        self._db = db

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _save(
        self,
        row: dict[str, Any],
        audio: bytes | None,
        init_image: bytes | None,
        images: list[tuple[int, bytes]],
    ) -> None:
        """Insert or update; the audio and the variation's picture are kept until it finishes."""
        if self._conn.execute(_UPDATE, row).rowcount == 0:
            blobs = {"audio": audio, "init_image": init_image}
            if row["finished"]:
                blobs = dict.fromkeys(blobs)
            self._conn.execute(_INSERT, {**row, **blobs})
        self._conn.executemany(
            "INSERT OR REPLACE INTO job_images (job_id, idx, png) VALUES (?, ?, ?)",
            [(row["id"], index, png) for index, png in images],
        )

    def _images(self, job_id: str) -> list[tuple[int, bytes]]:
        rows = self._conn.execute("SELECT idx, png FROM job_images WHERE job_id = ?", (job_id,))
        return [(row["idx"], row["png"]) for row in rows]

    def _select(self, where: str, args: tuple[Any, ...]) -> list[Job]:
        rows = self._conn.execute(f"SELECT * FROM jobs {where}", args).fetchall()
        jobs = []
        for row in rows:
            try:
                jobs.append(_from_row(row))
            except (ValueError, TypeError, KeyError):
                log.exception("job %s cannot be read; marking it failed", row["id"])
                self._conn.execute(
                    "UPDATE jobs SET state = ?, error = ?, audio = NULL, init_image = NULL WHERE id = ?",
                    (JobState.FAILED.value, "unreadable record", row["id"]),
                )
        return jobs

    def _get_guild(self, guild_id: int) -> dict[str, Any]:
        row = self._conn.execute(
            "SELECT data FROM guild_settings WHERE guild_id = ?", (guild_id,)
        ).fetchone()
        return json.loads(row["data"]) if row else {}

    def _all_guilds(self) -> dict[int, dict[str, Any]]:
        rows = self._conn.execute("SELECT guild_id, data FROM guild_settings").fetchall()
        return {row["guild_id"]: json.loads(row["data"]) for row in rows}

    def _put_guild(self, guild_id: int, data: str) -> None:
        self._conn.execute(
            "INSERT INTO guild_settings (guild_id, data) VALUES (?, ?) "
            "ON CONFLICT (guild_id) DO UPDATE SET data = excluded.data",
            (guild_id, data),
        )


def _to_row(job: Job) -> dict[str, Any]:
    request = job.request
    images = [{"index": i.index, "seed": i.seed, "nsfw": i.nsfw} for i in job.images]
    return {
        "id": job.id,
        "user_id": request.user_id,
        "user_name": request.user_name,
        "guild_id": request.guild_id,
        "channel_id": request.channel_id,
        "source": request.source,
        "state": job.state.value,
        "options": json.dumps(request.options.to_dict()),
        "audio_filename": request.audio_filename,
        "audio_url": request.audio_url,
        "language": request.language,
        "transcribe_only": request.transcribe_only,
        "heard_prompt": job.heard_prompt,
        "init_image_url": request.variation.image_url if request.variation else None,
        "reply": "{}",  # a column of schema 1; routing now lives in the deliveries table
        "speech": json.dumps(asdict(job.speech)) if job.speech else None,
        "result": json.dumps({"images": images}) if images else None,
        "error": json.dumps(job.error.to_dict()) if job.error else None,
        "error_kind": job.error_kind,
        "timings": json.dumps(job.timings),
        "variation": json.dumps(
            {k: v for k, v in asdict(request.variation).items() if k not in ("image", "image_url")}
        )
        if request.variation
        else None,
        "safety_check": request.safety_check,
        "speech_model": request.speech_model,
        "parameters": request.parameters,
        "preview": request.preview,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "updated_at": time.time(),
        "finished": job.finished,
    }


def _from_row(row: sqlite3.Row) -> Job:
    request = JobRequest(
        user_id=row["user_id"],
        user_name=row["user_name"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        options=GenerationOptions(**json.loads(row["options"])),
        audio=row["audio"],
        audio_url=row["audio_url"],
        language=row["language"],
        transcribe_only=bool(row["transcribe_only"]),
        audio_filename=row["audio_filename"],
        source=row["source"],
        variation=_variation(row),
        safety_check=bool(row["safety_check"]),
        speech_model=row["speech_model"],
        parameters=row["parameters"],
        preview=row["preview"],
    )
    result = json.loads(row["result"]) if row["result"] else {"images": []}
    return Job(
        request=request,
        id=row["id"],
        state=JobState(row["state"]),
        created_at=row["created_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        speech=SpeechResult.from_dict(json.loads(row["speech"])) if row["speech"] else None,
        images=[GeneratedImage(png=b"", **image) for image in result["images"]],
        error=_error(row["error"]),
        error_kind=row["error_kind"],
        timings=json.loads(row["timings"]),
        heard_prompt=row["heard_prompt"],
    )


def _error(stored: str | None) -> Message | None:
    """A job's error: a message as JSON, or (written before messages had keys) its text."""
    if not stored:
        return None
    try:
        return Message.from_dict(json.loads(stored))
    except (ValueError, TypeError, KeyError, AttributeError):
        return Message.text(stored)


def _variation(row: sqlite3.Row) -> Variation | None:
    """The variation of a stored job; its picture is only there while the job is unfinished."""
    if row["variation"] is None:
        return None
    return Variation(
        image=row["init_image"] or b"",
        image_url=row["init_image_url"],
        **json.loads(row["variation"]),
    )
