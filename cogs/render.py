"""One place that turns a job into a Discord message: every reply looks alike, fits Discord's
limits, and pings nobody (only a late result mentions its requester)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.config import Settings
from bot.domain.aspect import ASPECTS
from bot.domain.jobs import JobEvent, JobState
from bot.domain.languages import LANGUAGE_NAMES
from bot.domain.options import GenerationOptions
from bot.domain.results import GeneratedImage
from cogs.attachments import (
    PREVIEW_FILENAME,
    batches_for_upload,
    image_files,
    preview_file,
    shown_images,
)
from cogs.heard_embeds import fit_fields, heard_embeds, heard_texts, within_total
from cogs.i18n.catalog import ENGLISH, ENGLISH_TEXTS, Texts, texts
from cogs.job_buttons import result_view, transcript_view, waiting_view
from cogs.text_limits import EMBED_DESCRIPTION, EMBED_FIELD, MESSAGE_LENGTH, clip

NO_MENTIONS = discord.AllowedMentions.none()
MAX_CHOICES = 25
"""Options in a select menu (and choices of a command option)."""

COLOURS = {
    JobState.QUEUED: discord.Colour.light_grey(),
    JobState.LISTENING: discord.Colour.blurple(),
    JobState.WAITING: discord.Colour.blurple(),
    JobState.DRAWING: discord.Colour.gold(),
    JobState.DONE: discord.Colour.green(),
    JobState.FAILED: discord.Colour.red(),
    JobState.CANCELLED: discord.Colour.dark_grey(),
}


def headline(event: JobEvent, t: Texts, *, warming_up: str | None = None) -> str:
    """The one-line state of a job: queue place, listening, drawing progress, done, failed."""
    state = event.state
    if event.held:
        return t("job-saved")
    if state is JobState.QUEUED or state is JobState.WAITING:
        if event.position:
            parts = [t("job-queued-position", position=event.position, length=event.queue_length)]
        else:
            parts = [t("job-queued")]
        if event.eta_seconds is not None:
            parts.append(t("job-eta", duration=duration(event.eta_seconds, t)))
        text = " · ".join(parts)
        return text + "\n" + t("job-warming-up", what=warming_up) if warming_up else text
    if state is JobState.LISTENING:
        return t("job-listening")
    if state is JobState.DRAWING:
        options = event.request.options
        if not event.steps:
            return t("job-drawing")
        fraction = event.step / event.steps
        step = round(fraction * options.steps)
        text = t("job-drawing-step", step=step, steps=options.steps, fraction=fraction)
        if event.eta_seconds is not None:
            text += " · " + t("job-time-left", duration=duration(event.eta_seconds, t))
        return text
    if state is JobState.DONE:
        return t("job-transcribed") if event.request.transcribe_only else t("job-done")
    if state is JobState.CANCELLED:
        return t("job-cancelled")
    if event.error is None:
        return t("job-failed-plain")
    return t("job-failed", error=event.error)


def job_embeds(
    event: JobEvent,
    t: Texts,
    *,
    model: str,
    warming_up: str | None = None,
    sure_language: float = 0.5,
    nsfw_action: str = "show",
) -> list[discord.Embed]:
    """The job's embed, then what was heard whole (:mod:`cogs.heard_embeds`): in its fields while
    every heard text fits one, else in embeds of their own after it (a voice message of a minute
    or more). Should the message's 6000 characters not hold them, the prompt shown gives way
    first (it repeats the start of what was heard), then the heard texts from the last."""
    heard = heard_texts(event.speech, t, sure_language)
    apart = not fit_fields(heard)
    main = _job_embed(
        event,
        t,
        model=model,
        heard=() if apart else heard,
        warming_up=warming_up,
        nsfw_action=nsfw_action,
    )
    embeds = [main, *(heard_embeds(heard, main.colour) if apart else ())]
    within_total(embeds)
    return embeds


def _job_embed(
    event: JobEvent,
    t: Texts,
    *,
    model: str,
    heard: Sequence[tuple[str, str]] = (),
    warming_up: str | None = None,
    nsfw_action: str = "show",
) -> discord.Embed:
    """The job's own embed: state, ``heard`` (field names and texts, :func:`heard_texts`), the
    prompt, and every parameter to reproduce it."""
    options = event.request.options
    embed = discord.Embed(
        title=clip(headline(event, t, warming_up=warming_up), 256), colour=COLOURS[event.state]
    )
    if event.prompt:
        embed.description = clip(event.prompt, EMBED_DESCRIPTION)
    for name, text in heard:
        embed.add_field(name=name, value=_field(text), inline=False)
    if event.prompt_cut:
        embed.add_field(name=t("field-prompt-cut"), value=t("field-prompt-cut-value"), inline=False)
    if options.negative_prompt:
        embed.add_field(
            name=t("field-negative"), value=_field(options.negative_prompt), inline=False
        )
    model_text = options.model or model
    for key, value in (
        (
            "field-seed",
            f"{options.seed}" + (f" (+0…{options.count - 1})" if options.count > 1 else ""),
        ),
        ("field-guidance", guidance_text(options)),
        ("field-steps", str(options.steps)),
        ("field-size", size_text(options.width, options.height)),
        ("field-images", str(options.count)),
        ("field-model", t("model-fast", model=model_text) if options.fast else model_text),
        ("field-sampler", options.sampler),
        ("field-style", options.style),
    ):
        if value:
            embed.add_field(name=t(key), value=clip(value, EMBED_FIELD), inline=True)
    if event.request.parameters:
        parameters = clip(event.request.parameters, EMBED_FIELD)
        embed.add_field(name=t("field-parameters"), value=parameters, inline=False)
    footer = t("job-footer", job=event.job_id, user=event.request.user_name)
    embed.set_footer(text=clip(footer, 2048))
    flagged = sum(image.nsfw for image in event.images)
    if flagged:
        action = {"withhold": "withheld", "spoiler": "spoilered"}.get(nsfw_action, "shown")
        embed.add_field(
            name=t("field-safety"), value=t(f"safety-{action}", count=flagged), inline=False
        )
    _add_origin(embed, event, t)
    return embed


def _add_origin(embed: discord.Embed, event: JobEvent, t: Texts) -> None:
    """What the job was drawn from: a picture (variation, upscale, zoom, pan, square, image
    prompt; a variation or upscale with its strength's name) or, for a remix, the job it
    remixes."""
    options, variation = event.request.options, event.request.variation
    if options.parent_job:
        embed.add_field(
            name=clip(t("field-remix-of", job=options.parent_job), 256),
            value=_field(options.parent_prompt),
            inline=False,
        )
    if variation is None or (options.parent_job and variation.kind == "vary"):
        return
    if variation.source == IMAGE_PROMPT:
        name, value = t("drawn-from-image"), t("strength", strength=variation.strength)
    elif variation.kind in ("vary", "upscale"):
        mode = f"-{variation.mode}" if variation.mode else ""
        name = t(f"drawn-from-{variation.kind}{mode}")
        value = t("source-strength", source=variation.source, strength=variation.strength)
    elif variation.kind == "zoom":
        name = t("drawn-from-zoom")
        value = t("source-zoom", source=variation.source, factor=variation.factor)
    elif variation.kind == "square":
        name, value = t("drawn-from-square"), variation.source
    else:
        name = t("drawn-from-pan")
        value = f"{variation.source} {PAN_ARROWS.get(variation.direction or '', '')}".strip()
    embed.add_field(name=name, value=clip(value, EMBED_FIELD), inline=False)


IMAGE_PROMPT = "image prompt"
"""``Variation.source`` of a user's own picture (``/imagine image:``)."""
PAN_ARROWS = {"left": "⬅️", "right": "➡️", "up": "⬆️", "down": "⬇️"}


def guidance_text(options: GenerationOptions) -> str:
    """The guidance, or the range a grid's pictures spread over (``--chaos``)."""
    if not options.spread:
        return f"{options.guidance:g}"
    low, high = options.guidance_of(0), options.guidance_of(options.count - 1)
    return f"{low:g}–{high:g} (`--chaos {options.chaos}`)"


def size_text(width: int, height: int) -> str:
    """``W×H``, with its aspect ratio when it is one of ``ASPECTS`` (within rounding)."""
    ratio = width / height
    aspect = min(ASPECTS, key=lambda name: abs(math.log(ratio / _ratio(name))))
    close = abs(math.log(ratio / _ratio(aspect))) < 0.05
    return f"{width}×{height}" + (f" ({aspect})" if close else "")


def _ratio(aspect: str) -> float:
    across, down = aspect.split(":")
    return int(across) / int(down)


@dataclass
class Projection:
    """What a job's message should show now: the embed, its buttons, its live preview while it
    draws, the pictures of its first upload, and the further uploads posted after it (pictures
    beyond Discord's limits)."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None
    images: list[GeneratedImage] = field(default_factory=list)
    more: list[list[GeneratedImage]] = field(default_factory=list)
    nsfw_action: str = "show"
    preview: bytes | None = None
    """A small JPEG of the pictures forming (the embed shows it); a final message has none."""

    @classmethod
    def text(cls, text: str) -> Projection:
        return cls(content=clip(text, MESSAGE_LENGTH))

    def files(self, images: list[GeneratedImage] | None = None) -> list[discord.File]:
        """Fresh each time: a sent ``discord.File`` is used up."""
        if images is not None:
            return image_files(images, self.nsfw_action)
        preview = [preview_file(self.preview)] if self.preview is not None else []
        return image_files(self.images, self.nsfw_action) + preview

    def edit_fields(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "embeds": self.embeds,
            "view": self.view,
            "attachments": self.files(),
            "allowed_mentions": NO_MENTIONS,
        }

    def send_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "content": self.content,
            "embeds": self.embeds,
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
    locale: str = ENGLISH,
) -> Projection:
    """The message for ``event`` in ``locale``: progress with a cancel button, then the pictures
    with their buttons, or the error."""
    t = texts(locale)
    embeds = job_embeds(
        event,
        t,
        model=model,
        warming_up=warming_up,
        sure_language=settings.speech.min_language_probability,
        nsfw_action=nsfw_action,
    )
    if not event.state.finished:
        view = _with_language_choice(waiting_view(event.job_id, t), event, t)
        if event.preview is not None:
            embeds[0].set_image(url=f"attachment://{PREVIEW_FILENAME}")
        return Projection(embeds=embeds, view=view, nsfw_action=nsfw_action, preview=event.preview)
    if event.state is not JobState.DONE:
        return Projection(
            embeds=embeds, view=_with_language_choice(None, event, t), nsfw_action=nsfw_action
        )
    if event.request.transcribe_only:
        view = _with_language_choice(transcript_view(event.job_id, t), event, t)
        return Projection(embeds=embeds, view=view, nsfw_action=nsfw_action)
    shown = shown_images(event.images, nsfw_action)
    first, *more = list(batches_for_upload(shown, settings.discord.upload_limit_bytes)) or [[]]
    return Projection(
        embeds=embeds,
        view=_with_language_choice(result_view(event.job_id, first, t), event, t),
        images=first,
        more=more,
        nsfw_action=nsfw_action,
    )


def _field(text: str) -> str:
    return clip(text, EMBED_FIELD) or "—"


def duration(seconds: float, t: Texts) -> str:
    seconds = max(0, round(seconds))
    if seconds < 90:
        return t("duration-seconds", seconds=seconds)
    return t("duration-minutes", minutes=seconds // 60, seconds=f"{seconds % 60:02d}")


class LanguageSelect(
    discord.ui.DynamicItem[discord.ui.Select], template=r"s2i:lang:(?P<job_id>[0-9a-f]+)"
):
    """ "Wrong language?" on a voice job's message: listen again in the chosen language, in the
    same message, with the same seed. Whisper's top guesses come first, then every language
    (Discord shows 25 at most)."""

    def __init__(
        self,
        job_id: str,
        guesses: tuple[tuple[str, float], ...] = (),
        t: Texts = ENGLISH_TEXTS,
    ) -> None:
        options = [
            discord.SelectOption(
                label=clip(t("language-guess", language=t.language(code), probability=p), 100),
                value=code,
            )
            for code, p in guesses[:MAX_CHOICES]
        ]
        for code in LANGUAGE_NAMES:
            if len(options) >= MAX_CHOICES:
                break
            if code not in {option.value for option in options}:
                options.append(discord.SelectOption(label=clip(t.language(code), 100), value=code))
        super().__init__(
            discord.ui.Select(
                placeholder=clip(t("language-select-placeholder"), 150),
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


def _with_language_choice(
    view: discord.ui.View | None, event: JobEvent, t: Texts
) -> discord.ui.View | None:
    """Offer "Wrong language?" once something was heard in a voice job."""
    speech = event.speech
    if speech is None or speech.no_speech:
        return view
    view = view or discord.ui.View(timeout=None)
    view.add_item(LanguageSelect(event.job_id, speech.languages, t))
    return view
