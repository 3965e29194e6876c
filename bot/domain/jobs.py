"""A job as data: what a user asked for, its state, and the events that show it."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from bot.domain.messages import Message
from bot.domain.options import GenerationOptions, Variation
from bot.domain.results import GeneratedImage, SpeechResult

Source = Literal["slash", "voice", "context", "button", "cli", "remix"]
EventKind = Literal["state", "position", "progress"]
PreviewMode = Literal["off", "shown", "checked"]
"""Live previews of a job: none; shown as drawn; or each first passing the safety checker
(where the job's flagged pictures would be withheld or spoilered)."""


class JobState(StrEnum):
    QUEUED = "queued"
    LISTENING = "listening"
    WAITING = "waiting"
    """Speech done; waiting for the image stage."""
    DRAWING = "drawing"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


@dataclass
class JobRequest:
    """What a user asked for (where the answer goes is the Discord layer's business)."""

    user_id: int
    user_name: str
    guild_id: int | None
    """None in DMs and the command line."""
    channel_id: int | None
    options: GenerationOptions
    """The prompt may be empty when audio is given: the heard words become the prompt."""
    audio: bytes | None = None
    audio_url: str | None = None
    """Where to fetch the audio when it was not read yet (the queue fetches it when it listens)."""
    audio_filename: str | None = None
    source: Source = "slash"
    variation: Variation | None = None
    """Draw from an earlier picture (image-to-image) instead of from noise."""
    safety_check: bool = True
    """Run the model's NSFW checker (an admin may turn it off in NSFW channels)."""
    speech_model: str | None = None
    """The Whisper model this server chose; None for the bot-wide one."""
    language: str | None = None
    """The language spoken, as the user said it (no detection); None: Whisper detects it."""
    transcribe_only: bool = False
    """Listen and answer with what was heard; draw nothing."""
    parameters: str = ""
    """The prompt parameters typed with it, as applied (``--ar 16:9 ~~--seed 5~~``: struck
    where an option won), for its message; the options hold their effect."""
    preview: PreviewMode = "off"

    @property
    def has_audio(self) -> bool:
        """Audio came with it (or a link to fetch it): the heard words become the prompt."""
        return self.audio is not None or self.audio_url is not None


def new_job_id() -> str:
    return uuid.uuid4().hex[:12]


@dataclass
class Job:
    request: JobRequest
    id: str = field(default_factory=new_job_id)
    state: JobState = JobState.QUEUED
    created_at: float = field(default_factory=time.time)
    started_at: float | None = None
    """When drawing began."""
    finished_at: float | None = None
    speech: SpeechResult | None = None
    images: list[GeneratedImage] = field(default_factory=list)
    """Jobs loaded from the store have ``png=b""``: the store keeps seeds and flags, not pixels."""
    error: Message | None = None
    error_kind: str | None = None
    step: int = 0
    steps: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds: ``queue_wait`` (arrival to drawing), ``listen``, ``load`` (from the draw's start
    to its first step, less that step: loading the model, fetching a picture) and ``draw``."""
    heard_prompt: str | None = None
    """The heard words as drawn: cut to the prompt limit when they were longer."""
    preview: bytes | None = None
    """Its newest live preview (a small JPEG) while it draws; never stored."""

    @property
    def options(self) -> GenerationOptions:
        """What gets drawn: the request's options, with the heard words as prompt if audio came."""
        if self.speech is None or self.speech.no_speech:
            return self.request.options
        prompt = self.speech.prompt if self.heard_prompt is None else self.heard_prompt
        return self.request.options.with_changes(prompt=prompt)

    @property
    def prompt_cut(self) -> bool:
        """The heard words were longer than a prompt may be, and were cut."""
        speech = self.speech
        return bool(speech and self.heard_prompt is not None and self.heard_prompt != speech.prompt)

    @property
    def finished(self) -> bool:
        return self.state.finished

    @property
    def has_audio(self) -> bool:
        return self.request.has_audio

    @property
    def ready(self) -> bool:
        """Whether the image stage may take it: no audio, or the audio has been heard."""
        return not self.has_audio or self.speech is not None


@dataclass(frozen=True)
class JobEvent:
    """Everything the Discord layer needs to render a job's message, as of one moment."""

    kind: EventKind
    job_id: str
    state: JobState
    request: JobRequest
    prompt: str
    position: int | None = None
    """1-based place in the image stage's order; 0 while drawing; None once finished."""
    queue_length: int = 0
    step: int = 0
    steps: int = 0
    eta_seconds: float | None = None
    """Seconds until this job's pictures are ready; None before the first draw was timed."""
    speech: SpeechResult | None = None
    images: tuple[GeneratedImage, ...] = ()
    error: Message | None = None
    error_kind: str | None = None
    held: bool = False
    """Recorded while the bot is stopping: it runs after the restart."""
    prompt_cut: bool = False
    """The heard words were cut to fit the prompt limit."""
    preview: bytes | None = None
    """The newest live preview while it draws (a small JPEG)."""

    @classmethod
    def of(
        cls,
        job: Job,
        kind: EventKind,
        place: tuple[int, int] | None,
        queue_length: int,
        eta: float | None,
        *,
        held: bool = False,
    ) -> JobEvent:
        """The job as it is now; ``place`` is ``(position, waiting)`` while it is in the queue."""
        return cls(
            kind=kind,
            job_id=job.id,
            state=job.state,
            request=job.request,
            prompt=job.options.prompt,
            position=place[0] if place else None,
            queue_length=place[1] if place else queue_length,
            step=job.step,
            steps=job.steps,
            eta_seconds=eta if place else None,
            speech=job.speech,
            images=tuple(job.images),
            error=job.error,
            error_kind=job.error_kind,
            held=held,
            prompt_cut=job.prompt_cut,
            preview=job.preview if job.state is JobState.DRAWING else None,
        )


@dataclass(frozen=True)
class QueueSnapshot:
    """For ``/queue`` and ``/status``."""

    drawing: tuple[Job, ...]
    """Every job drawing now, in the order they started."""
    waiting: tuple[Job, ...]
    """In the order the image stage would draw them."""
    counts: dict[str, int]
    """Unfinished jobs by state, plus jobs finished since start by final state."""
    avg_listen_seconds: float | None
    avg_draw_seconds: float | None
    jobs_done: int

    @property
    def length(self) -> int:
        """Jobs waiting for the image stage."""
        return len(self.waiting)

    @property
    def running(self) -> Job | None:
        """The job drawing longest; None when nothing is drawing."""
        return self.drawing[0] if self.drawing else None
