"""One place that turns a job into a Discord message: every reply looks alike, fits Discord's
limits, and pings nobody (only a late result mentions its requester)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import discord

from bot.jobs import JobEvent, JobState
from bot.languages import language_name
from bot.results import GeneratedImage

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
MAX_ATTACHMENTS = 10
EMBED_DESCRIPTION = 4096
EMBED_FIELD = 1024
MESSAGE_CONTENT = 2000

COLOURS = {
    JobState.QUEUED: discord.Colour.light_grey(),
    JobState.LISTENING: discord.Colour.blurple(),
    JobState.WAITING: discord.Colour.blurple(),
    JobState.DRAWING: discord.Colour.gold(),
    JobState.DONE: discord.Colour.green(),
    JobState.FAILED: discord.Colour.red(),
    JobState.CANCELLED: discord.Colour.dark_grey(),
}


def clip(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters, ending with an ellipsis when cut."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def headline(event: JobEvent, *, warming_up: str | None = None) -> str:
    """The one-line state of a job: queue place, listening, drawing progress, done, failed."""
    state = event.state
    if state is JobState.QUEUED or state is JobState.WAITING:
        place = f"position {event.position} of {event.queue_length}" if event.position else ""
        text = f"⏳ Queued — {place}" if place else "⏳ Queued"
        if event.eta_seconds is not None:
            text += f" · about {_duration(event.eta_seconds)}"
        if warming_up:
            text += f"\n🔥 Warming up: {warming_up}…"
        return text
    if state is JobState.LISTENING:
        return "👂 Listening…"
    if state is JobState.DRAWING:
        options = event.request.options
        if not event.steps:
            return "🎨 Drawing…"
        fraction = event.step / event.steps
        text = (
            f"🎨 Drawing — step {round(fraction * options.steps)}/{options.steps} · {fraction:.0%}"
        )
        if event.eta_seconds is not None:
            text += f" · {_duration(event.eta_seconds)} left"
        return text
    if state is JobState.DONE:
        return "✅ Done"
    if state is JobState.CANCELLED:
        return "🚫 Cancelled"
    return "❌ " + (event.error or "Failed")


def job_embed(
    event: JobEvent, *, model: str, seconds: float | None = None, warming_up: str | None = None
) -> discord.Embed:
    """The job's embed: state, what was heard, the prompt, and every parameter to reproduce it."""
    options = event.request.options
    embed = discord.Embed(
        title=clip(headline(event, warming_up=warming_up), 256), colour=COLOURS[event.state]
    )
    if event.prompt:
        embed.description = clip(event.prompt, EMBED_DESCRIPTION)
    speech = event.speech
    if speech is not None and not speech.no_speech:
        language = f"{language_name(speech.language)}, {speech.language_probability:.0%}"
        embed.add_field(name=f"Heard ({language})", value=_field(speech.transcript), inline=False)
        if speech.translation is not None:
            embed.add_field(name="Translation", value=_field(speech.translation), inline=False)
    if options.negative_prompt:
        embed.add_field(name="Negative", value=_field(options.negative_prompt), inline=False)
    for name, value in (
        ("Seed", f"{options.seed}" + (f" (+0…{options.count - 1})" if options.count > 1 else "")),
        ("Guidance", f"{options.guidance:g}"),
        ("Steps", str(options.steps)),
        ("Size", f"{options.width}×{options.height}"),
        ("Images", str(options.count)),
        ("Model", clip(model, EMBED_FIELD)),
    ):
        embed.add_field(name=name, value=value, inline=True)
    footer = f"job {event.job_id} · {event.request.user_name}"
    if seconds is not None:
        footer += f" · {seconds:.1f} s"
    if speech is not None and speech.translation is None and speech.language not in (None, "en"):
        footer += " · no translation"
    embed.set_footer(text=clip(footer, 2048))
    withheld = sum(image.nsfw for image in event.images)
    if withheld:
        embed.add_field(name="Note", value=f"{withheld} image(s) flagged as NSFW", inline=False)
    return embed


def image_files(images: list[GeneratedImage] | tuple[GeneratedImage, ...]) -> list[discord.File]:
    """PNG attachments named after their seeds (flagged images as spoilers)."""
    return [
        discord.File(
            io.BytesIO(image.png),
            filename=f"image-{image.index}-seed-{image.seed}.png",
            spoiler=image.nsfw,
        )
        for image in images
    ]


def batches_for_upload(
    images: tuple[GeneratedImage, ...] | list[GeneratedImage], limit_bytes: int
) -> Iterator[list[GeneratedImage]]:
    """Split images into messages that each stay within the upload limit and 10 attachments."""
    batch: list[GeneratedImage] = []
    size = 0
    for image in images:
        if batch and (size + len(image.png) > limit_bytes or len(batch) == MAX_ATTACHMENTS):
            yield batch
            batch, size = [], 0
        batch.append(image)
        size += len(image.png)
    if batch:
        yield batch


def _field(text: str) -> str:
    return clip(text, EMBED_FIELD) or "—"


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds} s" if seconds < 90 else f"{seconds // 60} min {seconds % 60:02d} s"


async def reply_privately(interaction: discord.Interaction, message: str) -> None:
    """Answer an interaction ephemerally, whether or not it was acknowledged yet."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)
