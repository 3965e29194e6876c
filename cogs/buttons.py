"""What the buttons on a job's message do: 🎲 re-roll, V1…Vn variations, U1…Un upscales, 🔍 zoom
out, ⬅➡⬆⬇ pan, ✏️ edit prompt (a modal), 🗑️ delete and 🚫 cancel. The buttons are persistent
(``JobButton`` in ``cogs.job_buttons``); the job they act on is read from the queue or, for older
ones, the job store — so they survive restarts."""

from __future__ import annotations

import logging
import math
import time
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.domain.errors import GENERIC_ERROR, UserFacingError
from bot.domain.jobs import Job
from bot.domain.messages import Message
from bot.domain.options import GenerationOptions, Variation, VariationKind, random_seed
from cogs.answers import acknowledge, answered, answering_failures, deadline_of, reply_privately
from cogs.i18n.catalog import Texts, texts
from cogs.intake import Ask, Upload
from cogs.job_buttons import PANS, ZOOMS, JobButton
from cogs.remix import Picture, pictures_on
from cogs.render import LanguageSelect, clip
from cogs.routes import Route

if TYPE_CHECKING:
    from cogs.client import SpeechBot

log = logging.getLogger(__name__)

DOUBLE_CLICK_SECONDS = 5.0
"""A second accepted press of the same button by the same user within this time is ignored."""
MODAL_SECONDS = 600.0
"""An edit-prompt form left open longer is forgotten (discord.py keeps open modals in memory)."""
FORGOTTEN = "job-forgotten"
PAN_FACTOR = 1.5
"""A pan grows the canvas by half the picture."""
OUT_OF_DATE = "button-out-of-date"


class EditPromptModal(discord.ui.Modal):
    """Prefilled with the job's prompt; for a voice job, the transcript is shown for reference.
    In the language of whoever opened it."""

    def __init__(self, buttons: Buttons, job: Job, t: Texts) -> None:
        super().__init__(timeout=MODAL_SECONDS, title=clip(t("form-edit-title"), 45))
        self.buttons, self.job = buttons, job
        options = job.options
        self.prompt = discord.ui.TextInput(
            label=clip(t("form-prompt"), 45),
            custom_id="prompt",
            default=options.prompt[:1000],
            max_length=1000,
            style=discord.TextStyle.paragraph,
        )
        self.negative = discord.ui.TextInput(
            label=clip(t("form-negative"), 45),
            custom_id="negative",
            default=options.negative_prompt[:1000],
            required=False,
            max_length=1000,
        )
        self.add_item(self.prompt)
        self.add_item(self.negative)
        speech = job.speech
        if speech is not None and speech.transcript and speech.translation is not None:
            self.add_item(
                discord.ui.TextInput(
                    label=clip(t("form-heard"), 45),
                    custom_id="transcript",
                    default=speech.transcript[:1000],
                    required=False,
                    style=discord.TextStyle.paragraph,
                )
            )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        async with answering_failures(interaction, "the edit-prompt form"):
            options, shown = await self.buttons.bot.intake.retyped(
                interaction.guild_id,
                self.job.options,
                self.prompt.value,
                negative_prompt=self.negative.value.strip(),
            )
            await self.buttons.start(interaction, options, parameters=shown)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: object
    ) -> None:
        log.error("the edit-prompt form failed", exc_info=error)
        await reply_privately(interaction, GENERIC_ERROR)


class Buttons(commands.Cog):
    def __init__(self, bot: SpeechBot) -> None:
        self.bot = bot
        self._pressed: dict[tuple[str, int], float] = {}

    async def press(self, interaction: discord.Interaction, button: JobButton) -> None:
        """Entry point of every ``JobButton``. Acknowledged first, invisibly (refusals then go
        privately), except "edit", whose form is its acknowledgement."""
        action = button.action
        if action != "edit":
            await acknowledge(interaction, thinking=False)
        async with answering_failures(interaction, f"the {action} button"):
            job = await self._job(button.job_id)
            await getattr(self, f"_{action}")(interaction, job, button)

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
        """A new job from a button or the modal: answered with a message of its own (the queue
        checks its options against its model's limits; a refusal is private)."""
        ask = Ask("button", variation=variation, parameters=parameters)
        await self.bot.intake.from_interaction(interaction, options, ask)

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
        await self.start(interaction, job.options.with_changes(seed=random_seed()))

    async def _vary(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        await self._may_reuse(interaction, job)
        picture = _picture(interaction, button)
        variation = Variation(  # the queue downloads the picture when it draws
            image=b"",
            image_url=picture.url,
            strength=self.bot.settings.defaults.variation_strength,
            source=f"{job.id} V{picture.number}",
        )
        await self.start(
            interaction, job.options.with_changes(seed=random_seed()), variation=variation
        )

    async def _upscale(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        """Picture n at twice its size, redrawn lightly with its own seed."""
        await self._may_reuse(interaction, job)
        picture = _picture(interaction, button)
        strength = self.bot.settings.defaults.upscale_strength
        variation = Variation(
            image=b"",
            image_url=picture.url,
            strength=strength,
            source=f"{job.id} U{picture.number}",
            kind="upscale",
        )
        # at least one step of redrawing at this strength (a turbo model may draw in two)
        steps = max(job.options.steps, math.ceil(1 / strength))
        options = job.options.alone(picture.index).with_changes(seed=picture.seed, steps=steps)
        await self.start(interaction, options, variation=variation)

    async def _zoom(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        factor = button.arg or ""
        if factor not in ZOOMS:
            raise UserFacingError(OUT_OF_DATE)
        await self._outpaint(interaction, job, button, kind="zoom", factor=float(factor))

    async def _pan(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        way = button.arg or ""
        if way not in PANS:
            raise UserFacingError(OUT_OF_DATE)
        await self._outpaint(interaction, job, button, kind="pan", factor=PAN_FACTOR, direction=way)

    async def _outpaint(
        self,
        interaction: discord.Interaction,
        job: Job,
        button: JobButton,
        kind: VariationKind,
        **geometry: Any,
    ) -> None:
        """A zoom out or pan of picture n: its pixels stay, the new area is drawn (new seeds)."""
        await self._may_reuse(interaction, job)
        picture = _picture(interaction, button)
        variation = Variation(
            image=b"",
            image_url=picture.url,
            source=f"{job.id} #{picture.number}",
            kind=kind,
            **geometry,
        )
        await self.start(
            interaction, job.options.with_changes(seed=random_seed()), variation=variation
        )

    async def _edit(self, interaction: discord.Interaction, job: Job, button: JobButton) -> None:
        await self._may_reuse(interaction, job)
        form = EditPromptModal(self, job, texts(interaction.locale))
        shown = await answered(
            lambda: interaction.response.send_modal(form),
            until=deadline_of(interaction),
            what="show the edit-prompt form",
        )
        if not shown:
            form.stop()

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


async def setup(bot: SpeechBot) -> None:
    bot.add_dynamic_items(JobButton, LanguageSelect)
    await bot.add_cog(Buttons(bot))
