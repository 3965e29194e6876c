"""One place that turns a job into a Discord message: every reply looks alike, fits Discord's
limits, and pings nobody (only a late result mentions its requester)."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.config import Settings
from bot.domain.aspect import ASPECTS
from bot.domain.jobs import JobEvent, JobState
from bot.domain.languages import LANGUAGE_NAMES, language_name
from bot.domain.results import GeneratedImage
from cogs.job_buttons import result_view, transcript_view, waiting_view

NO_MENTIONS = discord.AllowedMentions.none()
MAX_ATTACHMENTS = 10
MESSAGE_LENGTH = 2000
MAX_CHOICES = 25
"""Options in a select menu (and choices of a command option)."""
EMBED_DESCRIPTION = 4096
EMBED_FIELD = 1024

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
    if event.held:
        return "💾 Saved — I'm restarting; your job starts as soon as I'm back"
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
        return "📝 Transcribed" if event.request.transcribe_only else "✅ Done"
    if state is JobState.CANCELLED:
        return "🚫 Cancelled"
    return "❌ " + (event.error or "Failed")


def job_embed(
    event: JobEvent,
    *,
    model: str,
    warming_up: str | None = None,
    sure_language: float = 0.5,
    nsfw_action: str = "show",
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
        if speech.language_probability < sure_language:
            language += ", unsure: wrong language? pick it below"  # short clips are misheard
        embed.add_field(name=f"Heard ({language})", value=_field(speech.transcript), inline=False)
        if speech.translation is not None:
            embed.add_field(name="Translation", value=_field(speech.translation), inline=False)
        elif speech.translation_missing:
            embed.add_field(
                name="No translation", value=_field(speech.translation_missing), inline=False
            )
    if event.prompt_cut:
        embed.add_field(
            name="Prompt cut",
            value="What you said is longer than a prompt may be: I drew its first part.",
            inline=False,
        )
    if options.negative_prompt:
        embed.add_field(name="Negative", value=_field(options.negative_prompt), inline=False)
    for name, value in (
        ("Seed", f"{options.seed}" + (f" (+0…{options.count - 1})" if options.count > 1 else "")),
        ("Guidance", f"{options.guidance:g}"),
        ("Steps", str(options.steps)),
        ("Size", size_text(options.width, options.height)),
        ("Images", str(options.count)),
        (
            "Model",
            clip((options.model or model) + (" · fast" if options.fast else ""), EMBED_FIELD),
        ),
        ("Sampler", options.sampler),
        ("Style", clip(options.style, EMBED_FIELD)),
    ):
        if value:
            embed.add_field(name=name, value=value, inline=True)
    embed.set_footer(text=clip(f"job {event.job_id} · {event.request.user_name}", 2048))
    flagged = sum(image.nsfw for image in event.images)
    if flagged:
        action = {"withhold": "withheld", "spoiler": "sent as spoilers"}.get(nsfw_action, "shown")
        embed.add_field(
            name="Safety checker",
            value=f"{flagged} picture(s) flagged as NSFW: {action}.",
            inline=False,
        )
    variation = event.request.variation
    if variation is not None:
        strength = (
            f" (strength {variation.strength:g})" if variation.kind in ("vary", "upscale") else ""
        )
        embed.add_field(
            name=DRAWN_FROM[variation.kind],
            value=clip(variation.source + strength, EMBED_FIELD),
            inline=False,
        )
    return embed


DRAWN_FROM = {
    "vary": "Variation of",
    "upscale": "Upscale of",
    "zoom": "Zoomed out from",
    "pan": "Panned from",
}


def size_text(width: int, height: int) -> str:
    """``W×H``, with its aspect ratio when it is one of ``ASPECTS`` (within rounding)."""
    ratio = width / height
    aspect = min(ASPECTS, key=lambda name: abs(math.log(ratio / _ratio(name))))
    close = abs(math.log(ratio / _ratio(aspect))) < 0.05
    return f"{width}×{height}" + (f" ({aspect})" if close else "")


def _ratio(aspect: str) -> float:
    across, down = aspect.split(":")
    return int(across) / int(down)


def shown_images(
    images: list[GeneratedImage] | tuple[GeneratedImage, ...], nsfw_action: str
) -> list[GeneratedImage]:
    """The pictures that may be posted: flagged ones are left out when the policy withholds them."""
    return [image for image in images if not (image.nsfw and nsfw_action == "withhold")]


def image_files(
    images: list[GeneratedImage] | tuple[GeneratedImage, ...], nsfw_action: str = "show"
) -> list[discord.File]:
    """PNG attachments named after their seeds; flagged ones as spoilers if the policy says so."""
    return [
        discord.File(
            io.BytesIO(image.png),
            filename=image.filename,
            spoiler=image.nsfw and nsfw_action == "spoiler",
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


@dataclass
class Projection:
    """What a job's message should show now: the embed, its buttons, the pictures of its first
    upload, and the further uploads posted after it (pictures beyond Discord's limits)."""

    content: str | None = None
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None
    images: list[GeneratedImage] = field(default_factory=list)
    more: list[list[GeneratedImage]] = field(default_factory=list)
    nsfw_action: str = "show"

    @classmethod
    def text(cls, text: str) -> Projection:
        return cls(content=clip(text, MESSAGE_LENGTH))

    def files(self, images: list[GeneratedImage] | None = None) -> list[discord.File]:
        """Fresh each time: a sent ``discord.File`` is used up."""
        return image_files(self.images if images is None else images, self.nsfw_action)

    def edit_fields(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "embed": self.embed,
            "view": self.view,
            "attachments": self.files(),
            "allowed_mentions": NO_MENTIONS,
        }

    def send_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "content": self.content,
            "embed": self.embed,
            "files": self.files(),
            "allowed_mentions": NO_MENTIONS,
        }
        if self.view is not None:
            fields["view"] = self.view
        return fields


def project(
    event: JobEvent,
    nsfw_action: str,
    *,
    model: str,
    warming_up: str | None,
    settings: Settings,
) -> Projection:
    """The message for ``event``: progress with a cancel button, then the pictures with their
    buttons, or the error."""
    embed = job_embed(
        event,
        model=model,
        warming_up=warming_up,
        sure_language=settings.speech.min_language_probability,
        nsfw_action=nsfw_action,
    )
    if not event.state.finished:
        view = _with_language_choice(waiting_view(event.job_id), event)
        return Projection(embed=embed, view=view, nsfw_action=nsfw_action)
    if event.state is not JobState.DONE:
        return Projection(
            embed=embed, view=_with_language_choice(None, event), nsfw_action=nsfw_action
        )
    if event.request.transcribe_only:
        view = _with_language_choice(transcript_view(event.job_id), event)
        return Projection(embed=embed, view=view, nsfw_action=nsfw_action)
    shown = shown_images(event.images, nsfw_action)
    first, *more = list(batches_for_upload(shown, settings.discord.upload_limit_bytes)) or [[]]
    return Projection(
        embed=embed,
        view=_with_language_choice(result_view(event.job_id, first), event),
        images=first,
        more=more,
        nsfw_action=nsfw_action,
    )


def _field(text: str) -> str:
    return clip(text, EMBED_FIELD) or "—"


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds} s" if seconds < 90 else f"{seconds // 60} min {seconds % 60:02d} s"


class LanguageSelect(
    discord.ui.DynamicItem[discord.ui.Select], template=r"s2i:lang:(?P<job_id>[0-9a-f]+)"
):
    """ "Wrong language?" on a voice job's message: listen again in the chosen language, in the
    same message, with the same seed. Whisper's top guesses come first, then every language
    (Discord shows 25 at most)."""

    def __init__(self, job_id: str, guesses: tuple[tuple[str, float], ...] = ()) -> None:
        options = [
            discord.SelectOption(label=f"{language_name(code)} ({p:.0%})", value=code)
            for code, p in guesses[:MAX_CHOICES]
        ]
        for code, name in LANGUAGE_NAMES.items():
            if len(options) >= MAX_CHOICES:
                break
            if code not in {option.value for option in options}:
                options.append(discord.SelectOption(label=name, value=code))
        super().__init__(
            discord.ui.Select(
                placeholder="Wrong language? Pick the one spoken",
                options=options,
                custom_id=f"s2i:lang:{job_id}",
                row=4,
            )
        )
        self.job_id = job_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str]
    ) -> LanguageSelect:
        return cls(match["job_id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.data is not None
        language = str(interaction.data.get("values", ["auto"])[0])
        buttons = interaction.client.get_cog("Buttons")  # type: ignore[attr-defined]
        await buttons.relisten(interaction, self.job_id, language)


def _with_language_choice(view: discord.ui.View | None, event: JobEvent) -> discord.ui.View | None:
    """Offer "Wrong language?" once something was heard in a voice job."""
    speech = event.speech
    if speech is None or speech.no_speech:
        return view
    view = view or discord.ui.View(timeout=None)
    view.add_item(LanguageSelect(event.job_id, speech.languages))
    return view
