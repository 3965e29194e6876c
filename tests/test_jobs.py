"""The queue's scheduling, limits, cancellation, events and restart recovery.

The engines are replaced by :class:`ScriptedRunner`, a real :class:`StageRunner` whose stages wait
on gates the test opens, so every interleaving here is deterministic.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pytest

from bot.config import Limits, QueueSettings, StoreSettings
from bot.domain.errors import UserFacingError
from bot.domain.jobs import Job, JobEvent, JobRequest, JobState
from bot.domain.messages import Message
from bot.domain.options import GenerationOptions, Variation
from bot.domain.results import GeneratedImage, SpeechResult, StepCallback
from bot.infra.store import JobStore
from bot.queue.lifecycle import GENERIC_ERROR, JobQueue
from bot.queue.stages import NO_SPEECH_ERROR
from tests.support.refusals import english, refused

LIMITS = Limits()
TIMEOUT = 5.0
T = TypeVar("T")


class Interrupted(Exception):
    """What an engine raises when ``should_stop()`` turns true."""


class ScriptedRunner:
    """Hears the audio bytes as text (``<silence>`` and ``<crash>`` are special) and draws
    instantly, unless the test holds a prompt's draw or a file's listening at a gate."""

    def __init__(self) -> None:
        self.drawn: list[str] = []
        self.inputs: dict[str, tuple[Variation | None, bool]] = {}
        self.models: list[str | None] = []
        self.heard: list[str] = []
        self.drawing: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)
        self.draw_gates: dict[str, asyncio.Event] = {}
        self.listen_gates: dict[str, asyncio.Event] = {}
        self.step_gate: threading.Event | None = None
        """If set, the draw thread waits for it before reporting its steps."""
        self.step_pause = 0.0
        """Seconds the draw thread sleeps after each step."""
        self.steps_reported = threading.Event()

    def hold(self, *prompts: str) -> None:
        for prompt in prompts:
            self.draw_gates[prompt] = asyncio.Event()

    def release(self, prompt: str) -> None:
        self.draw_gates[prompt].set()

    async def listen(
        self,
        audio: bytes,
        filename: str | None,
        *,
        model: str | None = None,
        language: str | None = None,
        job_id: str,
    ) -> SpeechResult:
        self.models.append(model)
        if filename in self.listen_gates:
            await self.listen_gates[filename].wait()
        text = audio.decode()
        self.heard.append(text)
        if text == "<crash>":
            raise RuntimeError("decoder exploded")
        silent = text == "<silence>"
        return SpeechResult(
            language=None if silent else "en",
            language_probability=0.0 if silent else 0.99,
            transcript="" if silent else text,
            translation=None,
            duration=1.5,
            model="scripted",
            no_speech=silent,
        )

    async def draw(
        self,
        options: GenerationOptions,
        on_step: StepCallback,
        should_stop: Callable[[], bool],
        *,
        variation: Variation | None = None,
        safety_check: bool = True,
        job_id: str,
    ) -> list[GeneratedImage]:
        self.drawn.append(options.prompt)
        self.inputs[options.prompt] = (variation, safety_check)
        self.drawing[options.prompt].set()
        gate = self.draw_gates.get(options.prompt)
        while gate is not None and not gate.is_set():
            if should_stop():
                raise Interrupted
            await asyncio.sleep(0.002)
        if options.prompt == "crash":
            raise RuntimeError("CUDA out of memory")
        if options.prompt == "refuse":
            raise UserFacingError("prompt-banned", kind="blocked")
        await asyncio.to_thread(self._steps, options.steps, on_step)
        return [
            GeneratedImage(png=b"\x89PNG", index=i, seed=options.seed + i)
            for i in range(options.count)
        ]

    def _steps(self, steps: int, on_step: StepCallback) -> None:
        if self.step_gate is not None:
            self.step_gate.wait(TIMEOUT)
        for done in range(1, steps + 1):
            on_step(done, steps)
            time.sleep(self.step_pause)
        self.steps_reported.set()


def ask(
    user: int, prompt: str = "a cat", *, audio: str | None = None, **options: object
) -> JobRequest:
    settings: dict[str, object] = {"seed": 7, "steps": 4, "count": 1, **options}
    return JobRequest(
        user_id=user,
        user_name=f"user{user}",
        guild_id=1,
        channel_id=2,
        options=GenerationOptions(prompt=prompt, **settings),  # type: ignore[arg-type]
        audio=None if audio is None else audio.encode(),
        audio_filename=None if audio is None else f"{audio}.ogg",
        source="voice" if audio else "slash",
    )


@contextlib.asynccontextmanager
async def serving(
    runner: ScriptedRunner, store: JobStore | None = None, **settings: object
) -> AsyncIterator[JobQueue]:
    queue = JobQueue(runner, QueueSettings(**settings), LIMITS, store)  # type: ignore[arg-type]
    await queue.start()
    try:
        yield queue
    finally:
        await queue.stop()


async def soon(awaitable: Awaitable[T]) -> T:
    return await asyncio.wait_for(awaitable, TIMEOUT)


async def drawing(runner: ScriptedRunner, prompt: str) -> None:
    await soon(runner.drawing[prompt].wait())


async def finish_all(queue: JobQueue, jobs: list[Job]) -> list[Job]:
    return await soon(asyncio.gather(*(queue.wait(job.id) for job in jobs)))


# ---- order and positions --------------------------------------------------------------------


async def test_users_take_turns_so_one_flood_waits_behind_single_jobs() -> None:
    runner = ScriptedRunner()
    runner.hold("a1")
    async with serving(runner, per_user_limit=10) as queue:
        first = await queue.submit(ask(1, "a1"))
        await drawing(runner, "a1")
        rest = [await queue.submit(ask(1, f"a{n}")) for n in range(2, 6)]
        b = await queue.submit(ask(2, "b1"))
        c = await queue.submit(ask(3, "c1"))

        assert queue.position(first.id) == (0, 6)
        assert queue.position(b.id) == (1, 6)
        assert queue.position(c.id) == (2, 6)
        assert [queue.position(job.id) for job in rest] == [(3, 6), (4, 6), (5, 6), (6, 6)]

        runner.hold("b1")
        runner.release("a1")
        await drawing(runner, "b1")
        late = await queue.submit(ask(4, "d1"))  # a newcomer goes before A's next turn
        runner.release("b1")
        await finish_all(queue, [first, *rest, b, c, late])

    assert runner.drawn == ["a1", "b1", "c1", "d1", "a2", "a3", "a4", "a5"]


async def test_a_user_who_comes_back_gets_the_next_free_turn() -> None:
    runner = ScriptedRunner()
    runner.hold("a1", "b1")
    async with serving(runner, per_user_limit=10) as queue:
        jobs = [await queue.submit(ask(1, "a1"))]
        await drawing(runner, "a1")
        jobs += [await queue.submit(ask(1, "a2")), await queue.submit(ask(1, "a3"))]
        jobs.append(await queue.submit(ask(2, "b1")))
        runner.release("a1")
        await drawing(runner, "b1")
        jobs.append(await queue.submit(ask(2, "b2")))  # B's second turn comes after A's second
        runner.release("b1")
        await finish_all(queue, jobs)

    assert runner.drawn == ["a1", "b1", "a2", "b2", "a3"]


async def test_positions_are_published_to_every_waiting_job_as_they_move() -> None:
    runner = ScriptedRunner()
    runner.hold("p1", "p2", "p3")
    events: list[JobEvent] = []
    async with serving(runner) as queue:
        queue.subscribe(events.append)
        p1 = await queue.submit(ask(1, "p1"))
        await drawing(runner, "p1")
        p2 = await queue.submit(ask(2, "p2"))
        p3 = await queue.submit(ask(3, "p3"))
        runner.release("p1")
        await drawing(runner, "p2")
        runner.release("p2")
        await drawing(runner, "p3")
        runner.release("p3")
        await finish_all(queue, [p1, p2, p3])

    def places(job: Job) -> list[tuple[str, int | None, int]]:
        return [
            (e.state.value, e.position, e.queue_length)
            for e in events
            if e.job_id == job.id and e.kind != "progress"
        ]

    assert places(p2) == [
        ("queued", 1, 1),
        ("queued", 1, 2),  # p3 arrived behind it
        ("drawing", 0, 1),
        ("done", None, 1),  # p3 still waits
    ]
    assert places(p3) == [("queued", 2, 2), ("queued", 1, 1), ("drawing", 0, 0), ("done", None, 0)]
    queued_p3 = [e for e in events if e.job_id == p3.id and e.state is JobState.QUEUED]
    assert queued_p3[0].eta_seconds is None  # nothing timed yet
    assert queued_p3[1].eta_seconds is not None and queued_p3[1].eta_seconds > 0
    done = next(e for e in events if e.job_id == p3.id and e.state is JobState.DONE)
    assert done.images == tuple(p3.images) and done.prompt == "p3"


# ---- limits and validation ------------------------------------------------------------------


async def test_a_user_over_their_limit_is_refused_and_others_are_not() -> None:
    runner = ScriptedRunner()
    runner.hold("one")
    async with serving(runner, per_user_limit=2) as queue:
        one = await queue.submit(ask(1, "one"))
        two = await queue.submit(ask(1, "two"))
        with pytest.raises(UserFacingError) as refused:
            await queue.submit(ask(1, "three"))
        assert refused.value.kind == "user_limit"
        assert "2 jobs" in english(refused.value)
        other = await queue.submit(ask(2, "other"))
        runner.release("one")
        await finish_all(queue, [one, two, other])
        again = await queue.submit(ask(1, "three"))
        assert (await soon(queue.wait(again.id))).state is JobState.DONE


async def test_requests_sent_together_cannot_pass_the_limit_together(tmp_path: Path) -> None:
    store = JobStore(StoreSettings(path=tmp_path / "jobs.sqlite3"))
    await store.open()
    runner = ScriptedRunner()
    runner.hold("0")
    async with serving(runner, store, per_user_limit=2) as queue:
        outcomes = await asyncio.gather(
            *(queue.submit(ask(1, str(n))) for n in range(5)), return_exceptions=True
        )
        admitted = [o for o in outcomes if isinstance(o, Job)]
        refused = [o for o in outcomes if isinstance(o, UserFacingError)]
        assert len(admitted) == 2 and len(refused) == 3
        assert {r.kind for r in refused} == {"user_limit"}
        runner.release("0")
        await finish_all(queue, admitted)
    await store.close()


async def test_a_finished_job_keeps_no_audio_in_memory() -> None:
    async with serving(ScriptedRunner()) as queue:
        job = await queue.submit(ask(1, audio="spoken"))
        done = await soon(queue.wait(job.id))
        assert done.state is JobState.DONE and done.request.audio is None


async def test_a_full_queue_refuses_new_jobs() -> None:
    runner = ScriptedRunner()
    runner.hold("x")
    async with serving(runner, max_size=2) as queue:
        jobs = [await queue.submit(ask(1, "x")), await queue.submit(ask(2, "y"))]
        with pytest.raises(UserFacingError) as refused:
            await queue.submit(ask(3, "z"))
        assert refused.value.kind == "queue_full"
        runner.release("x")
        await finish_all(queue, jobs)


async def test_options_are_checked_except_the_prompt_of_a_voice_job() -> None:
    async with serving(ScriptedRunner()) as queue:
        with refused("steps"):
            await queue.submit(ask(1, "a cat", steps=LIMITS.max_steps + 1))
        with refused("empty"):
            await queue.submit(ask(1, ""))
        with refused("steps"):
            await queue.submit(ask(1, "", audio="a dog", steps=0))
        heard = await queue.submit(ask(1, "", audio="a dog"))
        assert (await soon(queue.wait(heard.id))).state is JobState.DONE
    assert queue.snapshot().counts == {"done": 1}


# ---- cancellation ---------------------------------------------------------------------------


async def test_a_cancelled_job_gives_its_turn_to_the_same_users_next_job() -> None:
    runner = ScriptedRunner()
    runner.hold("x1")
    async with serving(runner) as queue:
        jobs = [await queue.submit(ask(9, "x1"))]
        await drawing(runner, "x1")
        a2, a3 = await queue.submit(ask(1, "a2")), await queue.submit(ask(1, "a3"))
        jobs += [a3, await queue.submit(ask(2, "b1")), await queue.submit(ask(2, "b2"))]
        assert [job.request.options.prompt for job in queue.snapshot().waiting] == [
            "a2",
            "b1",
            "a3",
            "b2",
        ]
        assert await queue.cancel(a2.id, by_user_id=1)
        assert queue.position(a3.id) == (1, 3)
        runner.release("x1")
        await finish_all(queue, jobs)
    assert runner.drawn == ["x1", "a3", "b1", "b2"]


async def test_cancel_a_queued_job_only_by_its_owner_or_with_force() -> None:
    runner = ScriptedRunner()
    runner.hold("first")
    events: list[JobEvent] = []
    async with serving(runner) as queue:
        queue.subscribe(events.append)
        first = await queue.submit(ask(1, "first"))
        await drawing(runner, "first")
        mine = await queue.submit(ask(2, "mine"))
        theirs = await queue.submit(ask(3, "theirs"))
        assert queue.position(theirs.id) == (2, 2)

        assert not await queue.cancel(mine.id, by_user_id=3)
        assert await queue.cancel(mine.id, by_user_id=2)
        assert mine.state is JobState.CANCELLED
        assert queue.position(theirs.id) == (1, 1)
        assert events[-1].job_id == theirs.id and events[-1].position == 1
        assert not await queue.cancel(mine.id, by_user_id=2)  # already finished

        admin = await queue.submit(ask(4, "admin"))
        assert await queue.cancel(admin.id, by_user_id=None, force=True)
        runner.release("first")
        await finish_all(queue, [first, mine, theirs, admin])

    assert runner.drawn == ["first", "theirs"]


async def test_cancel_the_running_job_stops_the_draw_and_the_queue_moves_on() -> None:
    runner = ScriptedRunner()
    runner.hold("long")
    async with serving(runner) as queue:
        long = await queue.submit(ask(1, "long"))
        after = await queue.submit(ask(2, "after"))
        await drawing(runner, "long")
        assert await queue.cancel(long.id, by_user_id=1)
        finished = await finish_all(queue, [long, after])

    assert [job.state for job in finished] == [JobState.CANCELLED, JobState.DONE]
    assert long.error is None and long.images == []


async def test_a_cancel_while_listening_discards_what_was_heard() -> None:
    runner = ScriptedRunner()
    runner.listen_gates["slow.ogg"] = gate = asyncio.Event()
    async with serving(runner) as queue:
        job = await queue.submit(ask(1, "", audio="slow"))
        await soon(_until(lambda: job.state is JobState.LISTENING))
        assert await queue.cancel(job.id, by_user_id=1)
        gate.set()
        await soon(_until(lambda: runner.heard == ["slow"]))
        await asyncio.sleep(0.01)
    assert job.state is JobState.CANCELLED and runner.drawn == []


# ---- speech stage ---------------------------------------------------------------------------


async def test_the_transcript_is_published_early_and_wins_over_a_typed_prompt() -> None:
    runner = ScriptedRunner()
    runner.hold("first")
    events: list[JobEvent] = []
    async with serving(runner) as queue:
        queue.subscribe(events.append)
        first = await queue.submit(ask(1, "first"))
        await drawing(runner, "first")
        voice = await queue.submit(ask(2, "typed words", audio="a red fox"))
        await soon(_until(lambda: voice.state is JobState.WAITING))
        heard = [e for e in events if e.job_id == voice.id and e.speech is not None]
        assert heard[0].state is JobState.WAITING and heard[0].speech.transcript == "a red fox"
        assert heard[0].prompt == "a red fox"
        runner.release("first")
        await finish_all(queue, [first, voice])

    states = [e.state.value for e in events if e.job_id == voice.id and e.kind == "state"]
    assert states == ["queued", "listening", "waiting", "drawing", "done"]
    assert runner.drawn == ["first", "a red fox"]
    assert voice.timings["listen"] >= 0 and voice.timings["draw"] >= 0


async def test_speech_runs_at_most_speech_workers_at_once() -> None:
    runner = ScriptedRunner()
    runner.listen_gates = {"one.ogg": asyncio.Event(), "two.ogg": asyncio.Event()}
    async with serving(runner, speech_workers=1) as queue:
        one = await queue.submit(ask(1, "", audio="one"))
        two = await queue.submit(ask(2, "", audio="two"))
        await soon(_until(lambda: one.state is JobState.LISTENING))
        await asyncio.sleep(0.02)
        assert two.state is JobState.QUEUED
        runner.listen_gates["one.ogg"].set()
        await soon(_until(lambda: two.state is JobState.LISTENING))
        runner.listen_gates["two.ogg"].set()
        await finish_all(queue, [one, two])
    assert runner.drawn == ["one", "two"]


async def test_a_job_still_listening_keeps_its_place_but_does_not_hold_up_others() -> None:
    runner = ScriptedRunner()
    runner.hold("p0")
    runner.listen_gates["slow.ogg"] = heard = asyncio.Event()
    async with serving(runner) as queue:
        p0 = await queue.submit(ask(1, "p0"))
        await drawing(runner, "p0")
        slow = await queue.submit(ask(2, "", audio="slow"))
        typed = await queue.submit(ask(3, "typed"))
        assert queue.position(slow.id) == (1, 2) and queue.position(typed.id) == (2, 2)
        runner.hold("typed")
        runner.release("p0")
        await drawing(runner, "typed")
        assert queue.position(slow.id) == (1, 1)
        heard.set()
        runner.release("typed")
        await finish_all(queue, [p0, slow, typed])
    assert runner.drawn == ["p0", "typed", "slow"]


async def test_no_speech_and_a_listening_crash_fail_only_their_jobs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runner = ScriptedRunner()
    async with serving(runner) as queue:
        silent = await queue.submit(ask(1, "", audio="<silence>"))
        broken = await queue.submit(ask(2, "", audio="<crash>"))
        fine = await queue.submit(ask(3, "", audio="a boat"))
        typed = await queue.submit(ask(4, "a tree"))
        with caplog.at_level(logging.ERROR, logger="bot.queue.lifecycle"):
            await finish_all(queue, [silent, broken, fine, typed])

    assert (silent.state, silent.error, silent.error_kind) == (
        JobState.FAILED,
        NO_SPEECH_ERROR,
        "no_speech",
    )
    assert (broken.state, broken.error, broken.error_kind) == (
        JobState.FAILED,
        GENERIC_ERROR,
        "internal",
    )
    assert "decoder exploded" in caplog.text
    assert fine.state is typed.state is JobState.DONE
    assert sorted(runner.drawn) == ["a boat", "a tree"]


async def test_a_transcript_too_long_for_a_prompt_is_cut_at_a_word_and_drawn() -> None:
    runner = ScriptedRunner()
    async with serving(runner) as queue:
        job = await queue.submit(ask(1, "", audio="la " * LIMITS.max_prompt_chars))
        await soon(queue.wait(job.id))
        event = queue.event(job.id)
    assert job.state is JobState.DONE and job.prompt_cut and event is not None and event.prompt_cut
    prompt = job.options.prompt
    assert len(prompt) <= LIMITS.max_prompt_chars and prompt.endswith("la")


async def test_a_banned_word_heard_anywhere_fails_the_job_and_its_transcript_is_not_shown() -> None:
    def no_badword(request: JobRequest, prompt: str) -> None:
        if "badword" in prompt:
            raise UserFacingError("prompt-banned", kind="banned")

    queue = JobQueue(ScriptedRunner(), QueueSettings(), LIMITS, prompt_check=no_badword)
    await queue.start()
    try:
        only_heard = replace(ask(1, "", audio="a badword"), transcribe_only=True)
        past_the_cut = ask(2, "", audio="la " * LIMITS.max_prompt_chars + "badword")
        jobs = [await queue.submit(request) for request in (only_heard, past_the_cut)]
        await finish_all(queue, jobs)
        events = [queue.event(job.id) for job in jobs]
    finally:
        await queue.stop()
    for job, event in zip(jobs, events, strict=True):
        assert job.state is JobState.FAILED and job.error_kind == "banned"
        assert job.speech is None and event is not None and event.speech is None
        assert "badword" not in event.prompt


# ---- image stage failures ---------------------------------------------------------------------


async def test_an_engine_crash_fails_the_job_generically_and_the_queue_keeps_going(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runner = ScriptedRunner()
    async with serving(runner) as queue:
        with caplog.at_level(logging.ERROR, logger="bot.queue.lifecycle"):
            crash = await queue.submit(ask(1, "crash"))
            refuse = await queue.submit(ask(2, "refuse"))
            fine = await queue.submit(ask(3, "fine"))
            await finish_all(queue, [crash, refuse, fine])
        snapshot = queue.snapshot()

    assert (crash.state, crash.error, crash.error_kind) == (
        JobState.FAILED,
        GENERIC_ERROR,
        "internal",
    )
    assert "CUDA out of memory" in caplog.text and "Traceback" in caplog.text
    assert (refuse.error, refuse.error_kind) == (Message("prompt-banned"), "blocked")
    assert fine.state is JobState.DONE and [i.seed for i in fine.images] == [7]
    assert snapshot.counts == {"failed": 2, "done": 1} and snapshot.jobs_done == 1
    assert snapshot.avg_draw_seconds is not None and snapshot.avg_listen_seconds is None


# ---- progress events --------------------------------------------------------------------------


async def test_steps_from_the_draw_thread_reach_the_loop_coalesced() -> None:
    runner = ScriptedRunner()
    runner.step_gate = go = threading.Event()
    loop_thread = threading.get_ident()
    progress: list[tuple[int, int, int]] = []

    def on_event(event: JobEvent) -> None:
        if event.kind == "progress":
            progress.append((event.step, event.steps, threading.get_ident()))

    async with serving(runner) as queue:
        queue.subscribe(on_event)
        job = await queue.submit(ask(1, "steps", steps=100))
        await drawing(runner, "steps")
        go.set()
        # Hold the loop while the thread reports all 100 steps: one hop is queued, not 100.
        assert runner.steps_reported.wait(TIMEOUT)
        await soon(queue.wait(job.id))

    assert progress == [(100, 100, loop_thread)]
    assert job.step == job.steps == 100


async def test_a_slow_async_subscriber_gets_the_latest_progress_not_a_backlog() -> None:
    runner = ScriptedRunner()
    runner.step_gate = go = threading.Event()
    runner.step_pause = 0.002  # the loop hops many times while the subscriber is busy
    busy = asyncio.Event()
    seen: list[tuple[str, int]] = []

    async def slow(event: JobEvent) -> None:
        seen.append((event.kind, event.step))
        if event.state is JobState.DRAWING and event.kind == "state":
            await busy.wait()

    async with serving(runner) as queue:
        queue.subscribe(slow)
        job = await queue.submit(ask(1, "steps", steps=30))
        await drawing(runner, "steps")
        go.set()
        await soon(asyncio.to_thread(runner.steps_reported.wait, TIMEOUT))
        await soon(queue.wait(job.id))
        busy.set()
        await soon(_until(lambda: seen[-1][0] == "state" and seen[-1][1] == 30))

    assert seen == [("state", 0), ("state", 0), ("progress", 30), ("state", 30)]


# ---- views, lifecycle, recovery ---------------------------------------------------------------


async def test_snapshot_and_jobs_of_describe_the_queue() -> None:
    runner = ScriptedRunner()
    runner.hold("a")
    async with serving(runner) as queue:
        a = await queue.submit(ask(1, "a"))
        await drawing(runner, "a")
        b = await queue.submit(ask(2, "b"))
        c = await queue.submit(ask(1, "c"))
        snapshot = queue.snapshot()
        assert snapshot.running is a and snapshot.waiting == (b, c) and snapshot.length == 2
        assert snapshot.counts == {"drawing": 1, "queued": 2}
        assert queue.jobs_of(1) == [a, c] and queue.get(b.id) is b
        runner.release("a")
        await finish_all(queue, [a, b, c])
        assert queue.jobs_of(1) == [] and queue.get(a.id) is a
    late = await queue.submit(ask(1, "late"))  # kept, to run after the restart
    held = queue.event(late.id)
    assert late.state is JobState.QUEUED and held is not None and held.held


async def test_stop_lets_the_running_draw_finish_within_the_grace_period() -> None:
    runner = ScriptedRunner()
    runner.hold("x")
    queue = JobQueue(runner, QueueSettings(), LIMITS)
    await queue.start()
    job = await queue.submit(ask(1, "x"))
    queued = await queue.submit(ask(2, "y"))
    await drawing(runner, "x")
    stopping = asyncio.create_task(queue.stop(grace=TIMEOUT))
    await asyncio.sleep(0.01)
    runner.release("x")
    await soon(stopping)
    assert job.state is JobState.DONE and queued.state is JobState.QUEUED
    assert runner.drawn == ["x"]


async def test_restart_resumes_unfinished_jobs_from_the_store(tmp_path: Path) -> None:
    settings = StoreSettings(path=tmp_path / "jobs.sqlite3")
    store = JobStore(settings)
    await store.open()
    runner = ScriptedRunner()
    runner.hold("mid-draw")
    runner.listen_gates["spoken.ogg"] = asyncio.Event()
    queue = JobQueue(runner, QueueSettings(), LIMITS, store)
    await queue.start()
    mid = await queue.submit(ask(1, "mid-draw"))
    await drawing(runner, "mid-draw")
    typed = await queue.submit(ask(2, "typed"))
    spoken = await queue.submit(ask(3, "", audio="spoken"))
    await soon(_until(lambda: spoken.state is JobState.LISTENING))
    crashed = Job(ask(4, "crashed"), state=JobState.DRAWING)  # left by a run that died
    stale = Job(ask(5, "too big", width=4096), state=JobState.QUEUED)  # limits changed since
    for job in (crashed, stale):
        await store.save(job)
    await queue.stop()
    await store.close()

    assert mid.state is JobState.QUEUED and runner.drawn == ["mid-draw"]
    store = JobStore(settings)
    await store.open()
    runner = ScriptedRunner()
    queue = JobQueue(runner, QueueSettings(), LIMITS, store)
    await queue.start()
    recovered = await queue.recover()
    by_id = {job.id: job for job in recovered}
    assert list(by_id) == [mid.id, typed.id, spoken.id, crashed.id, stale.id]
    assert by_id[stale.id].state is JobState.FAILED
    assert by_id[stale.id].error_kind == "not_resumable" and "width" in str(by_id[stale.id].error)
    resumed = [by_id[i] for i in (mid.id, typed.id, spoken.id, crashed.id)]
    finished = await finish_all(queue, resumed)
    assert [job.state for job in finished] == [JobState.DONE] * 4
    assert sorted(runner.drawn) == ["crashed", "mid-draw", "spoken", "typed"]
    assert by_id[spoken.id].speech is not None and runner.heard == ["spoken"]
    assert await queue.recover() == []
    await queue.stop()
    await store.close()

    with contextlib.closing(sqlite3.connect(settings.path)) as db:
        rows = db.execute("SELECT id, state, audio FROM jobs ORDER BY created_at").fetchall()
    assert {state for _, state, _ in rows} == {"done", "failed"}
    assert all(audio is None for _, _, audio in rows)


async def _until(condition: Callable[[], bool]) -> None:
    while not condition():
        await asyncio.sleep(0.002)


# ---- variations -----------------------------------------------------------------------------


async def test_a_variation_and_the_safety_flag_reach_the_image_stage() -> None:
    runner = ScriptedRunner()
    variation = Variation(image=b"\x89PNG source", strength=0.55, source="abc:1")
    async with serving(runner) as queue:
        plain = await queue.submit(ask(1, "plain"))
        varied = await queue.submit(replace(ask(2, "varied"), variation=variation))
        unchecked = await queue.submit(replace(ask(3, "unchecked"), safety_check=False))
        await finish_all(queue, [plain, varied, unchecked])
        with refused("strength"):
            await queue.submit(replace(ask(4, "x"), variation=replace(variation, strength=2.0)))
    assert runner.inputs == {
        "plain": (None, True),
        "varied": (variation, True),
        "unchecked": (None, False),
    }
