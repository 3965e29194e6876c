"""What the buttons on a job's message do: 🎲 re-roll, V1…Vn variations and U1…Un upscales on a
grid; Vary (Subtle)/(Strong), Upscale (Subtle)/(Creative), 🔍 zoom out 2×/1.5×, Custom Zoom,
Make Square and ⬅➡⬆⬇ pan on a single picture; ✏️ edit prompt, 🗑️ delete and 🚫 cancel. With
Remix mode on (``/remix``, or the server's default), a variation or re-roll opens its prompt
for editing first (:mod:`cogs.forms`). The buttons are persistent (``JobButton`` in
``cogs.job_buttons``); the job they act on is read from the queue or, for older ones, the job
store — so they survive restarts."""

from __future__ import annotations

import logging
import math
import time
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.domain.errors import UserFacingError
from bot.domain.jobs import Job
from bot.domain.messages import Message
from bot.domain.options import GenerationOptions, Variation, VariationKind, random_seed
from cogs.answers import acknowledge, answering_failures, reply_privately
from cogs.forms import PromptForm
from cogs.i18n.catalog import texts
from cogs.intake import Ask, Upload
from cogs.job_buttons import PANS, UPSCALE_MODES, VARY_MODES, ZOOMS, JobButton
from cogs.remix import Picture, pictures_on
from cogs.render import LanguageSelect
from cogs.routes import Route

if TYPE_CHECKING:
    from cogs.client import SpeechBot

log = logging.getLogger(__name__)

DOUBLE_CLICK_SECONDS = 5.0
"""A second accepted press of the same button by the same user within this time is ignored."""
FORGOTTEN = "job-forgotten"
PAN_FACTOR = 1.5
"""A pan grows the canvas by half the picture."""
OUT_OF_DATE = "button-out-of-date"
REMIXED = ("reroll", "vary")
"""The buttons whose prompt Remix mode opens for editing before they draw."""
ANSWERED_PRIVATELY = ("delete", "cancel")
"""The buttons that start no job: acknowledged at once, invisibly, then answered privately."""


class Buttons(commands.Cog):
    def __init__(self, bot: SpeechBot) -> None:
        self.bot = bot
        self._pressed: dict[tuple[str, int], float] = {}

    async def press(self, interaction: discord.Interaction, button: JobButton) -> None:
        """Entry point of every ``JobButton``. A press that starts a job is answered by the
        intake once the job is accepted, with the job's own "thinking…" message (refusals are
        the private first answer), as a slash command is; where a form opens, the form is the
        answer (✏️, Custom Zoom, and a variation or re-roll in Remix mode); the others (🗑️,
        Cancel) are acknowledged first, invisibly, and answer privately."""
        action = button.action
        remixing = action in REMIXED and self._remix_mode(interaction)
        interaction.extras["remix"] = remixing
        if action in ANSWERED_PRIVATELY:
            await acknowledge(interaction, thinking=False)
        async with answering_failures(interaction, f"the {action} button"):
            job = await self._job(button.job_id)
            await getattr(self, f"_{action}")(interaction, job, button)

    def _remix_mode(self, interaction: discord.Interaction) -> bool:
        """The presser's Remix mode: theirs, else the server's, else the bot's default."""
        guild = self.bot.guild_settings.cached(interaction.guild_id)
        user = self.bot.user_settings.get(interaction.user.id)
        return user.remixes(guild, self.bot.settings)

    async def _job(self, job_id: str) -> Job:
        job = self.bot.queue.get(job_id) or await self.bot.store.load(job_id)
        if job is None:
            raise UserFacingError(FORGOTTEN)
        return job

    def _once(self, interaction: discord.Interaction) -> None:
        """Refuse a second accepted press of the same button by the same user within 5 s (a
        refused press does not count)."""
        assert interaction.data is not None
        key = (str(interaction.data.get("custom_id")), interaction.user.id)
        now = time.monotonic()
        self._pressed = {k: t for k, t in self._pressed.items() if now - t < DOUBLE_CLICK_SECONDS}
        if key in self._pressed:
            raise UserFacingError("already-on-it")
        self._pressed[key] = now

    async def _may_reuse(self, interaction: discord.Interaction, job: Job) -> None:
        guild = await self.bot.guild_settings.get(interaction.guild_id)
        if guild.requester_only_buttons and interaction.user.id != job.request.user_id:
            raise UserFacingError("requester-only", user=job.request.user_name)
        self._once(interaction)

    async def start(
        self,
        interaction: discord.Interaction,
        options: GenerationOptions,
        variation: Variation | None = None,
        parameters: str = "",
    ) -> None:
        """A new job from a button or a form: answered with a message of its own (the queue
        checks its options against its model's limits; a refusal is private)."""
        ask = Ask("button", variation=variation, parameters=parameters)
        await self.bot.intake.from_interaction(interaction, options, ask)

    async def _go(
        self,
        interaction: discord.Interaction,
        options: GenerationOptions,
        variation: Variation | None = None,
    ) -> None:
        """Start the job, or in Remix mode first open its prompt for editing."""
        if not interaction.extras.get("remix"):
            await self.start(interaction, options, variation)
            return

        async def remixed(submitted: discord.Interaction, form: PromptForm) -> None:
            await self._from_form(submitted, form, options, variation)

        t = texts(interaction.locale)
        await PromptForm(t("form-remix-title"), options, t, remixed).show(interaction)

    async def _from_form(
        self,
        interaction: discord.Interaction,
        form: PromptForm,
        options: GenerationOptions,
        variation: Variation | None,
    ) -> None:
        """A job from a form's prompt over ``options`` (its typed parameters win)."""
        options, shown = await self.bot.intake.retyped(
            interaction.guild_id,
            options,
            form.prompt.value,
            negative_prompt=form.negative.value.strip(),
        )
        await self.start(interaction, options, variation, parameters=shown)

    async def relisten(self, interaction: discord.Interaction, job_id: str, language: str) -> None:
        """ "Wrong language?": hear the same recording again in ``language``, shown in the same
        message, with the same seed. The old job, if still running, is cancelled first (so that
        it leaves its place in the user's limit); if the new one is refused, the message shows
        the old one's end again."""
        await acknowledge(interaction, thinking=False)
        replaced: Route | None = None
        accepted = False
        async with answering_failures(interaction, "the language select"):
            job = await self._job(job_id)
            if job.request.audio_url is None:
                raise UserFacingError(FORGOTTEN)
            await self._may_reuse(interaction, job)
            if not job.finished:
                replaced = await self.bot.outbox.detach(job_id)
                await self.bot.queue.cancel(job_id, None, force=True)
            request = job.request
            audio = Upload(request.audio_url, request.audio_filename or "voice-message.ogg")
            ask = Ask(
                request.source,
                audio,
                language=language,
                transcribe_only=request.transcribe_only,
                in_place=True,
            )
            options = request.options.with_changes(prompt="")
            accepted = await self.bot.intake.from_interaction(interaction, options, ask)
        if replaced is not None and not accepted:
            await self.bot.outbox.record(job_id, replaced)
            self.bot.outbox.track(job_id, replaced)

    async def _draw(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        """A transcript's "Draw this": the heard words as they are, with the job's seed."""
        await self._may_reuse(interaction, job)
        await self.start(interaction, job.options)

    async def _reroll(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        await self._may_reuse(interaction, job)
        await self._go(interaction, job.options.with_changes(seed=random_seed()))

    async def _vary(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        """V1…Vn and Vary (Strong) at ``variation_strength``; Vary (Subtle) closer to it."""
        mode = _mode(button, VARY_MODES)
        await self._may_reuse(interaction, job)
        picture = _picture(interaction, button)
        defaults = self.bot.settings.defaults
        subtle = mode == "subtle"
        strength = defaults.subtle_variation_strength if subtle else defaults.variation_strength
        variation = _variation(job, picture, "vary", tag="V", strength=strength, mode=mode)
        options = _redrawing(job.options, strength).with_changes(seed=random_seed())
        await self._go(interaction, options, variation)

    async def _upscale(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        """Picture n at twice its size, redrawn lightly with its own seed: U1…Un at
        ``upscale_strength``, Upscale (Subtle) lighter, (Creative) more freely."""
        mode = _mode(button, UPSCALE_MODES)
        await self._may_reuse(interaction, job)
        picture = _picture(interaction, button)
        defaults = self.bot.settings.defaults
        strength = {
            "": defaults.upscale_strength,
            "subtle": defaults.subtle_upscale_strength,
            "creative": defaults.creative_upscale_strength,
        }[mode]
        variation = _variation(job, picture, "upscale", tag="U", strength=strength, mode=mode)
        options = _redrawing(job.options.alone(picture.index), strength)
        options = options.with_changes(seed=picture.seed)
        await self.start(interaction, options, variation=variation)

    async def _zoom(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        factor = button.arg or ""
        if factor == "custom":
            await self._custom_zoom(interaction, job, button)
            return
        if factor not in ZOOMS:
            raise UserFacingError(OUT_OF_DATE)
        await self._outpaint(interaction, job, button, kind="zoom", factor=float(factor))

    async def _custom_zoom(
        self, interaction: discord.Interaction, job: Job, button: JobButton
    ) -> None:
        """A form with the factor (1 to 2) and the prompt: the picture zoomed out that far with
        the new prompt drawn around it; at 1 it is redrawn with the new prompt (Vary (Subtle))."""
        await self._may_reuse(interaction, job)
        picture = _picture(interaction, button)
        options = job.options.with_changes(seed=random_seed())

        async def zoomed(submitted: discord.Interaction, form: PromptForm) -> None:
            factor = form.zoom_factor()
            if factor == 1:
                strength = self.bot.settings.defaults.subtle_variation_strength
                variation = _variation(job, picture, "vary", strength=strength, mode="subtle")
                await self._from_form(submitted, form, _redrawing(options, strength), variation)
                return
            variation = _variation(job, picture, "zoom", factor=factor)
            await self._from_form(submitted, form, options, variation)

        t = texts(interaction.locale)
        await PromptForm(t("form-zoom-title"), options, t, zoomed, zoom=True).show(interaction)

    async def _pan(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        way = button.arg or ""
        if way not in PANS:
            raise UserFacingError(OUT_OF_DATE)
        await self._outpaint(interaction, job, button, kind="pan", factor=PAN_FACTOR, direction=way)

    async def _square(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        """Make Square: the short sides drawn out to the long one."""
        await self._outpaint(interaction, job, button, kind="square")

    async def _outpaint(
        self,
        interaction: discord.Interaction,
        job: Job,
        button: JobButton,
        kind: VariationKind,
        **geometry: Any,
    ) -> None:
        """A zoom out, pan or square of picture n: its pixels stay, the new area is drawn (new
        seeds)."""
        await self._may_reuse(interaction, job)
        variation = _variation(job, _picture(interaction, button), kind, **geometry)
        await self.start(
            interaction, job.options.with_changes(seed=random_seed()), variation=variation
        )

    async def _edit(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        await self._may_reuse(interaction, job)

        async def edited(submitted: discord.Interaction, form: PromptForm) -> None:
            await self._from_form(submitted, form, job.options, None)

        t = texts(interaction.locale)
        form = PromptForm(t("form-edit-title"), job.options, t, edited, speech=job.speech)
        await form.show(interaction)

    async def _delete(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        moderator = interaction.permissions.manage_messages
        if interaction.user.id != job.request.user_id and not moderator:
            raise UserFacingError("delete-not-yours")
        assert interaction.message is not None
        await interaction.message.delete()
        await reply_privately(interaction, Message("deleted"))

    async def _cancel(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        moderator = interaction.permissions.manage_messages
        cancelled = await self.bot.queue.cancel(job.id, interaction.user.id, force=moderator)
        if not cancelled:
            raise UserFacingError("cancel-not-yours")
        await reply_privately(interaction, Message("cancelled"))


def _picture(interaction: discord.Interaction, button: JobButton) -> Picture:
    """The button's picture on its message."""
    assert interaction.message is not None
    for picture in pictures_on(interaction.message):
        if picture.index == button.index:
            return picture
    raise UserFacingError("picture-gone")


def _mode(button: JobButton, modes: tuple[str, ...]) -> str:
    """The button's strength (empty: the grid's V/U buttons)."""
    mode = button.arg or ""
    if mode and mode not in modes:
        raise UserFacingError(OUT_OF_DATE)
    return mode


def _redrawing(options: GenerationOptions, strength: float) -> GenerationOptions:
    """``options`` with at least one step of redrawing at ``strength`` (image to image runs
    ``steps × strength`` steps; a turbo model may draw in two)."""
    return options.with_changes(steps=max(options.steps, math.ceil(1 / strength)))


def _variation(
    job: Job, picture: Picture, kind: VariationKind, *, tag: str = "#", **how: Any
) -> Variation:
    """Drawing from ``picture`` of ``job`` (the queue downloads it when it draws); its source
    reads "<job> <tag><n>" (V1, U2 for the grid's buttons)."""
    source = f"{job.id} {tag}{picture.number}"
    return Variation(image=b"", image_url=picture.url, source=source, kind=kind, **how)


async def setup(bot: SpeechBot) -> None:
    bot.add_dynamic_items(JobButton, LanguageSelect)
    await bot.add_cog(Buttons(bot))
