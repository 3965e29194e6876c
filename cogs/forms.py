"""The forms (modals) a result's buttons open, prefilled and in the language of whoever opened
them: ✏️ edit the prompt, Remix (with Remix mode on, a variation's or re-roll's prompt is edited
before it is drawn) and 🔍 Custom Zoom (a factor and the prompt). Prompt parameters typed into
them apply (``--ar 16:9``…). discord.py keeps an open form in memory: one left open longer than
``FORM_SECONDS`` is forgotten."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import discord

from bot.domain.errors import GENERIC_ERROR, UserFacingError
from bot.domain.options import MAX_ZOOM, GenerationOptions
from bot.domain.results import SpeechResult
from cogs.answers import answered, answering_failures, deadline_of, reply_privately
from cogs.i18n.catalog import Texts
from cogs.render import clip

log = logging.getLogger(__name__)

FORM_SECONDS = 600.0
LABEL = 45
"""Discord's limit on a form's title and its inputs' labels."""
TEXT = 1000
DEFAULT_ZOOM = "1.5"

Submitted = Callable[[discord.Interaction, "PromptForm"], Awaitable[None]]


class PromptForm(discord.ui.Modal):
    """A job's prompt and negative prompt, prefilled; with ``zoom`` a factor first (Custom
    Zoom); with ``speech`` what was heard, for reference. ``submitted`` gets what was typed."""

    def __init__(
        self,
        title: str,
        options: GenerationOptions,
        t: Texts,
        submitted: Submitted,
        *,
        zoom: bool = False,
        speech: SpeechResult | None = None,
    ) -> None:
        super().__init__(timeout=FORM_SECONDS, title=clip(title, LABEL))
        self.submitted = submitted
        self.factor = discord.ui.TextInput(
            label=clip(t("form-zoom-factor"), LABEL),
            custom_id="factor",
            default=DEFAULT_ZOOM,
            max_length=8,
        )
        if zoom:
            self.add_item(self.factor)
        self.prompt = discord.ui.TextInput(
            label=clip(t("form-prompt"), LABEL),
            custom_id="prompt",
            default=options.prompt[:TEXT],
            max_length=TEXT,
            style=discord.TextStyle.paragraph,
        )
        self.negative = discord.ui.TextInput(
            label=clip(t("form-negative"), LABEL),
            custom_id="negative",
            default=options.negative_prompt[:TEXT],
            required=False,
            max_length=TEXT,
        )
        self.add_item(self.prompt)
        self.add_item(self.negative)
        if speech is not None and speech.transcript and speech.translation is not None:
            self.add_item(
                discord.ui.TextInput(
                    label=clip(t("form-heard"), LABEL),
                    custom_id="transcript",
                    default=speech.transcript[:TEXT],
                    required=False,
                    style=discord.TextStyle.paragraph,
                )
            )

    async def show(self, interaction: discord.Interaction) -> None:
        """Open the form: the clicked button's answer, within Discord's 3 s."""
        shown = await answered(
            lambda: interaction.response.send_modal(self),
            until=deadline_of(interaction),
            what="show a form",
        )
        if not shown:
            self.stop()

    async def on_submit(self, interaction: discord.Interaction) -> None:
        async with answering_failures(interaction, f"the form {self.title!r}"):
            await self.submitted(interaction, self)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: object
    ) -> None:
        log.error("a form failed", exc_info=error)
        await reply_privately(interaction, GENERIC_ERROR)

    def zoom_factor(self) -> float:
        """Custom Zoom's factor, 1 to 2 (a comma counts as the decimal point)."""
        typed = self.factor.value.strip()
        try:
            factor = float(typed.replace(",", "."))
        except ValueError:
            factor = 0.0
        if not 1.0 <= factor <= MAX_ZOOM:
            raise UserFacingError("zoom-custom-factor", value=clip(typed, 10) or "—")
        return factor
