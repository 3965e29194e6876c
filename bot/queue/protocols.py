"""The queue's two faces: the stage runner it drives (the engines, local or remote) and the
backend interface the Discord layer and the command line use."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.domain.jobs import Job, JobEvent, JobRequest, QueueSnapshot
from bot.domain.options import GenerationOptions, Variation
from bot.domain.results import GeneratedImage, PreviewCallback, SpeechResult, StepCallback

Subscriber = Callable[[JobEvent], Awaitable[None] | None]
PromptCheck = Callable[[JobRequest, str], None]
"""Raises :class:`UserFacingError` for a prompt a server does not allow (banned words)."""


class StageRunner(Protocol):
    """The engines, as the queue sees them."""

    async def listen(
        self,
        audio: bytes,
        filename: str | None,
        *,
        model: str | None = None,
        language: str | None = None,
        job_id: str,
    ) -> SpeechResult:
        """Decode and transcribe (with ``model``, or the default; in ``language``, or detecting
        it); blocking work runs in threads. ``job_id``: the queue's job, which a remote runner
        keys the stage by (to adopt it)."""
        ...

    async def draw(
        self,
        options: GenerationOptions,
        on_step: StepCallback,
        should_stop: Callable[[], bool],
        *,
        variation: Variation | None = None,
        safety_check: bool = True,
        job_id: str,
        on_preview: PreviewCallback | None = None,
        preview_check: bool = False,
    ) -> list[GeneratedImage]:
        """Draw one job (``job_id``, as for :meth:`listen`) (never more at once than the queue's
        draw slots); raise when ``should_stop()`` turns true. ``on_preview(jpeg)`` gets its live
        previews, each passing the safety checker first with ``preview_check``."""
        ...


class JobBackend(Protocol):
    """The queue's public face: the embedded :class:`JobQueue`, or the distributed
    :class:`bot.distributed.remote.RedisJobQueue` (the same queue, its stages run by GPU workers)."""

    async def start(self) -> None: ...
    async def stop(self, *, grace: float = 0.0) -> None: ...
    async def recover(self) -> list[Job]: ...
    def check_admission(self, user_id: int, *, user_limit: int | None = None) -> None: ...
    def hold(self) -> None: ...
    async def submit(
        self, request: JobRequest, *, job_id: str | None = None, user_limit: int | None = None
    ) -> Job: ...
    async def cancel(self, job_id: str, by_user_id: int | None, *, force: bool = False) -> bool: ...
    async def wait(self, job_id: str) -> Job: ...
    def position(self, job_id: str) -> tuple[int, int] | None: ...
    def subscribe(self, callback: Subscriber) -> Callable[[], None]: ...
    def get(self, job_id: str) -> Job | None: ...
    def event(self, job_id: str) -> JobEvent | None: ...
    def jobs_of(self, user_id: int) -> list[Job]: ...
    def snapshot(self) -> QueueSnapshot: ...
