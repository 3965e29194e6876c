"""A reply to one of the bot's results remixes it: the replied-to job's model, size, seed, steps
and guidance, with the reply's words as the new prompt (heard and translated, or typed where the
server allows it), drawn as a variation of the picture when the result shows one, or from the
same seed when it shows several. The intake (:meth:`cogs.intake.Intake.from_reply`) makes the job;
this module reads the Discord side of it."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import aiohttp
import discord

from bot.domain.jobs import Job, JobState
from bot.domain.options import GenerationOptions, Variation
from cogs.render import clip

log = logging.getLogger(__name__)

JOB_IN_CUSTOM_ID = re.compile(r"s2i:[a-z]+:(?P<job_id>[0-9a-f]+)")
PICTURE_NAME = re.compile(r"(?:SPOILER_)?image-(\d+)-seed-(\d+)\.png")
PARENT_PROMPT_CHARS = 200
"""Of the remixed job's prompt, shown on the remix ("Remix of job …")."""


@dataclass(frozen=True)
class Picture:
    """A picture as posted on a result message."""

    url: str
    index: int
    seed: int

    @property
    def number(self) -> int:
        """1 for the first picture (as the buttons count)."""
        return self.index + 1


def pictures_on(message: discord.Message) -> list[Picture]:
    """The result's pictures on ``message``: their file names (``[SPOILER_]image-<index>-seed-
    <seed>.png``) carry their index and seed."""
    found = []
    for attachment in message.attachments:
        match = PICTURE_NAME.fullmatch(attachment.filename)
        if match:
            found.append(Picture(attachment.url, int(match[1]), int(match[2])))
    return found


def job_shown_by(message: discord.Message, bot_id: int | None) -> str | None:
    """The job whose message this is (its buttons carry the job id), if the bot posted it."""
    if bot_id is None or message.author.id != bot_id:
        return None
    for row in message.components:
        for item in getattr(row, "children", ()):
            match = JOB_IN_CUSTOM_ID.match(getattr(item, "custom_id", None) or "")
            if match:
                return match["job_id"]
    return None


async def replied_to(message: discord.Message) -> discord.Message | None:
    """The message ``message`` replies to: as Discord sent it along, else fetched (None when it
    is gone or cannot be read)."""
    reference = message.reference
    if reference is None or reference.message_id is None:
        return None
    if isinstance(reference.resolved, discord.Message):
        return reference.resolved
    if reference.cached_message is not None:
        return reference.cached_message
    try:
        return await message.channel.fetch_message(reference.message_id)
    except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
        log.info("could not read the message a reply answers: %s", error)
        return None


def remixable(job: Job | None) -> bool:
    """A finished job with pictures (not a transcript, not a failure)."""
    return job is not None and job.state is JobState.DONE and not job.request.transcribe_only


def remix(
    job: Job, pictures: list[Picture], prompt: str, strength: float
) -> tuple[GenerationOptions, Variation | None]:
    """The remix's options (``prompt`` empty: the heard words) and, for a result of one picture,
    the variation of it at ``strength`` with its own seed."""
    options = job.options.with_changes(
        prompt=prompt,
        parent_job=job.id,
        parent_prompt=clip(job.options.prompt, PARENT_PROMPT_CHARS),
    )
    if len(pictures) != 1:
        return options, None
    picture = pictures[0]
    variation = Variation(  # the queue downloads the picture when it draws
        image=b"", image_url=picture.url, strength=strength, source=f"{job.id} V{picture.number}"
    )
    return options.alone(picture.index).with_changes(seed=picture.seed), variation
