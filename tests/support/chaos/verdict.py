"""The invariants of a chaos run, checked on what crossed Discord's boundary (the fake's history)
and on the workers' logs, as a Jepsen-style checker reads a history:

- every request the bot received ends in an answer its user sees: a job, or a private refusal;
- every job ends in exactly one final message (done, failed or cancelled) that is still there,
  its pictures in one message only, and no job message is left showing a state that is not final;
- every refusal is private (ephemeral; a refused voice message gets a reply that deletes itself);
- no job is drawn twice unless a fault forced it (a worker killed or stopped, or Redis restarted,
  while it was being drawn), and then it is still delivered once.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from tests.support.fake_discord import History, MessageState

if TYPE_CHECKING:
    from tests.support.chaos.faults import Injected
    from tests.support.chaos.users import Sent

FINAL_COLOURS = {
    discord.Colour.green().value: "done",
    discord.Colour.red().value: "failed",
    discord.Colour.dark_grey().value: "cancelled",
}
JOB_ID = re.compile(r"\b[0-9a-f]{12}\b")
ACK_SECONDS = 3.0
"""Discord's deadline for an acknowledgement: a bot killed within it after receiving a request
leaves the user with Discord's own "The application did not respond"."""
DRAWN = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) INFO saq: Processing Job<function: draw, "
    r"queue: [^,]+, key: draw:([0-9a-f]{12}),"
)


@dataclass(frozen=True)
class JobView:
    """One bot message that shows a job (its embed's footer names it), as it is now."""

    message: int
    job: str
    user_name: str
    outcome: str | None
    """``done``, ``failed`` or ``cancelled`` when its state is final; else None."""
    deleted: bool
    pictures: bool
    """It carried the job's pictures at some point."""
    custom_ids: tuple[str, ...]
    description: str
    interaction: int | None
    reply_to: int | None
    created: float
    finished: float | None
    """When it first showed a final state."""

    @property
    def final(self) -> bool:
        return self.outcome is not None

    @property
    def done(self) -> bool:
        return self.outcome == "done" and not self.deleted


def job_views(history: History) -> list[JobView]:
    """Every message of the bot that ever showed a job, in order of creation."""
    views = []
    for message_id, states in history.messages().items():
        shown = [s for s in states if s.event != "delete" and _job_of(s)]
        if not shown:
            continue
        last = shown[-1]
        job, user_name = _job_of(last)  # type: ignore[misc]
        finished = next((s.at for s in shown if _outcome(s)), None)
        views.append(
            JobView(
                message=message_id,
                job=job,
                user_name=user_name,
                outcome=_outcome(last),
                deleted=states[-1].event == "delete",
                pictures=any(s.attachments for s in shown),
                custom_ids=tuple(last.custom_ids),
                description=(last.embeds[0].get("description") or ""),
                interaction=last.interaction_id,
                reply_to=last.reply_to,
                created=states[0].at,
                finished=finished,
            )
        )
    return views


def settled(history: History, bot_user: int) -> bool:
    """Every job message is final (or deleted), and no message of the bot is left "thinking…"
    (an acknowledged command whose job has not reached its message yet)."""
    if not all(view.final or view.deleted for view in job_views(history)):
        return False
    return not any(
        states[0].author_id == bot_user and states[-1].loading and states[-1].event != "delete"
        for states in history.messages().values()
    )


def _job_of(state: MessageState) -> tuple[str, str] | None:
    """The job and user named in a job message's footer (``job <id> · <user>``)."""
    if not state.embeds:
        return None
    footer = (state.embeds[0].get("footer") or {}).get("text") or ""
    found = JOB_ID.search(footer)
    return (found.group(), footer.rsplit("·", 1)[-1].strip()) if found else None


def _outcome(state: MessageState) -> str | None:
    return FINAL_COLOURS.get(state.embeds[0].get("color")) if state.embeds else None


@dataclass
class Verdict:
    """What a chaos run's history shows."""

    requests: Counter[str] = field(default_factory=Counter)
    jobs: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    refused: int = 0
    undelivered: int = 0
    """Requests sent while no bot was connected (Discord itself tells the user)."""
    dropped_by_kill: int = 0
    """Requests a bot received and was killed before it could acknowledge them."""
    unacknowledged: int = 0
    """Interactions whose every acknowledgement Discord failed (500s, then too late): the user
    saw Discord's own "This interaction failed"; a job the bot took from one is still judged."""
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    stuck: list[str] = field(default_factory=list)
    public_refusals: list[str] = field(default_factory=list)
    redrawn: int = 0
    """Jobs drawn again because a fault forced it (each still delivered once)."""
    seconds_to_result: list[float] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not (self.lost or self.duplicated or self.stuck or self.public_refusals)

    def percentile(self, share: float) -> float | None:
        times = sorted(self.seconds_to_result)
        if not times:
            return None
        return times[min(len(times) - 1, int(share * len(times)))]

    def median(self) -> float | None:
        return statistics.median(self.seconds_to_result) if self.seconds_to_result else None


def judge(
    history: History,
    sent: Sequence[Sent],
    faults: Sequence[Injected],
    *,
    bot_user: int,
    kills: Iterable[float],
    worker_logs: str | None,
    forcing: set[str],
) -> Verdict:
    """Check a finished run: ``kills`` are the times the bot was killed (SIGKILL); without
    ``worker_logs`` (the embedded backend) draws are not counted."""
    verdict = Verdict(requests=Counter(s.kind for s in sent))
    views = job_views(history)
    by_job: dict[str, list[JobView]] = defaultdict(list)
    for view in views:
        by_job[view.job].append(view)
    verdict.jobs = len(by_job)
    for job, shown in by_job.items():
        _judge_job(verdict, job, shown)
    claimed = _answer_requests(verdict, history, sent, views, by_job, sorted(kills))
    _judge_other_answers(verdict, history, sent, claimed, bot_user)
    if worker_logs is not None:
        _judge_draws(verdict, worker_logs, faults, forcing, by_job)
    return verdict


def _judge_job(verdict: Verdict, job: str, shown: list[JobView]) -> None:
    visible = [v for v in shown if not v.deleted]
    finals = [v for v in visible if v.final]
    if len(finals) == 1:
        verdict.outcomes[finals[0].outcome or ""] += 1
    elif len(finals) > 1:
        verdict.duplicated.append(f"job {job}: {len(finals)} final messages")
    elif visible:
        verdict.stuck.append(f"job {job}: its message is not final")
    else:
        verdict.lost.append(f"job {job}: every message of it was deleted")
    if sum(v.pictures for v in shown) > 1:
        verdict.duplicated.append(
            f"job {job}: its pictures in {sum(v.pictures for v in shown)} messages"
        )
    for view in visible:
        if not view.final and finals:
            verdict.stuck.append(f"job {job}: message {view.message} left not final")


def _answer_requests(
    verdict: Verdict,
    history: History,
    sent: Sequence[Sent],
    views: list[JobView],
    by_job: dict[str, list[JobView]],
    kills: list[float],
) -> set[int]:
    """Match each request with its job or refusal; returns the messages that answer one."""
    delivered = _delivered(history)
    claimed_jobs: set[str] = set()
    answers: set[int] = set()
    unmatched: list[Sent] = []
    for request in sent:
        if request.kind == "cancel":
            continue
        replies = _replies(history, request)
        answers.update(state.id for state in replies)
        jobs = [v for v in views if v.message in {s.id for s in replies}]
        if not jobs and request.token is not None:
            jobs = [v for v in views if request.token in v.description.split()]
        if jobs:
            claimed_jobs.update(v.job for v in jobs)
            _time_to_result(verdict, request, by_job[jobs[0].job])
        elif replies:
            verdict.refused += 1
        else:
            unmatched.append(request)
    orphans = [
        v
        for v in views
        if v.job not in claimed_jobs and v.interaction is None and v.reply_to is None
    ]
    for request in unmatched:
        key = request.interaction if request.interaction is not None else request.message
        if key not in delivered:  # first: a press no bot received has no job to claim
            verdict.undelivered += 1
            continue
        match = next((v for v in orphans if v.created >= delivered[key]), None)
        if match is not None and request.kind == "button":
            orphans.remove(match)  # a press whose acknowledgement never got through
            _time_to_result(verdict, request, by_job[match.job])
        elif request.interaction is not None and not _acknowledged(history, request.interaction):
            verdict.unacknowledged += 1
        elif any(0 <= kill - delivered[key] <= ACK_SECONDS for kill in kills):
            verdict.dropped_by_kill += 1
        else:
            verdict.lost.append(f"{request.kind} request of user {request.user}: no answer")
    return answers


def _acknowledged(history: History, interaction: int) -> bool:
    """Discord took one of the interaction's callbacks."""
    callbacks = history.requests_to("POST", f"/interactions/{interaction}/*/callback")
    return any(request.ok for request in callbacks)


def _replies(history: History, request: Sent) -> list[MessageState]:
    if request.interaction is not None:
        return history.messages_of_interaction(request.interaction)
    assert request.message is not None
    return history.replies_to(request.message)


def _delivered(history: History) -> dict[int, float]:
    """Interactions and messages the fake dispatched to a bot, by id: when it first did."""
    seen: dict[int, float] = {}
    for frame in history.frames:
        if frame.event in ("INTERACTION_CREATE", "MESSAGE_CREATE") and frame.object_id:
            seen.setdefault(frame.object_id, frame.at)
    return seen


def _time_to_result(verdict: Verdict, request: Sent, shown: list[JobView]) -> None:
    finished = [v.finished for v in shown if v.finished is not None]
    if finished:
        verdict.seconds_to_result.append(min(finished) - request.at)


def _judge_other_answers(
    verdict: Verdict, history: History, sent: Sequence[Sent], answers: set[int], bot_user: int
) -> None:
    """Every message of the bot that answers a request without showing a job is private, and
    none is left showing "thinking…"."""
    voice = {s.message for s in sent if s.kind == "voice"}
    for states in history.messages().values():
        first = states[0]
        if first.author_id != bot_user or first.id not in answers or first.ephemeral:
            continue
        if _job_of(states[-1]) or first.reply_to in voice:
            continue
        last = states[-1]
        if last.loading and last.event != "delete":
            verdict.stuck.append(
                f"message {first.id}: left 'thinking…' (interaction {first.interaction_id})"
            )
            continue
        shown = last.title or last.content[:60] or ("thinking…" if last.loading else "empty")
        verdict.public_refusals.append(
            f"message {first.id} ({last.event}, interaction {first.interaction_id}, reply to "
            f"{first.reply_to}): {shown!r}"
        )


def _judge_draws(
    verdict: Verdict,
    logs: str,
    faults: Sequence[Injected],
    forcing: set[str],
    by_job: dict[str, list[JobView]],
) -> None:
    draws: dict[str, list[float]] = defaultdict(list)
    for line in logs.splitlines():
        found = DRAWN.match(line)
        if found:
            at = datetime.strptime(found.group(1), "%Y-%m-%d %H:%M:%S,%f").timestamp()
            draws[found.group(2)].append(at)
    for job, times in draws.items():
        if len(times) < 2:
            continue
        first, last = min(times), max(times)
        if any(f.kind in forcing and f.began <= last and f.ended >= first - 1 for f in faults):
            verdict.redrawn += 1
        elif job in by_job:
            verdict.duplicated.append(f"job {job}: drawn {len(times)} times, no fault forced it")
