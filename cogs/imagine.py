"""``/imagine`` and the "Imagine from voice message" context-menu command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.aspect import ASPECTS
from bot.domain.choices import ModelChoice, choose_model
from bot.domain.errors import UserFacingError
from bot.domain.languages import LANGUAGE_NAMES
from bot.domain.messages import Message
from bot.domain.options import MAX_SEED, GenerationOptions, Variation
from cogs.answers import reply_privately
from cogs.i18n.catalog import texts
from cogs.intake import Ask, is_audio
from cogs.render import IMAGE_PROMPT, clip

if TYPE_CHECKING:
    from cogs.client import SpeechBot


Size = Literal["square", "portrait", "landscape"]


def offer_choices(
    command: app_commands.Command,
    option: str,
    values: list[str],
    name: Callable[[str], str] = str,
) -> None:
    """Give ``option`` of this cog's copy of ``command`` the choices ``values`` (names from the
    settings, known only at run time; Discord takes 25 of at most 100 characters), each shown
    as ``name(value)``."""
    params = command._params  # discord.py keeps an option's choices only there
    offered = [app_commands.Choice(name=name(v), value=v) for v in values if len(v) <= 100][:25]
    params[option] = replace(params[option], choices=offered)


def spoken_language(value: str | None) -> str | None:
    """A Whisper language code from the option (a code or a name, any case); None for "auto"."""
    if value is None or value.strip().lower() in ("", "auto"):
        return None
    wanted = value.strip().lower()
    for code, name in LANGUAGE_NAMES.items():
        if wanted in (code, name.lower()):
            return code
    raise UserFacingError("unknown-language", language=clip(value, 40))


async def language_choices(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """ "auto", then Whisper's languages whose name (in English or the user's language) or code
    starts with what was typed (25 at most)."""
    t = texts(interaction.locale)
    typed = current.strip().lower()
    choices = [app_commands.Choice(name=t("language-auto"), value="auto")] if not typed else []
    for code, name in LANGUAGE_NAMES.items():
        shown = t.language(code)
        if shown.lower().startswith(typed) or name.lower().startswith(typed) or code == typed:
            choices.append(app_commands.Choice(name=clip(f"{shown} ({code})", 100), value=code))
    return choices[:25]


class Imagine(commands.Cog):
    """Turns these commands into jobs through the intake; the outbox then keeps their messages."""

    def __init__(self, bot: SpeechBot) -> None:
        self.bot = bot
        self.menus = [
            app_commands.ContextMenu(
                name="Imagine from voice message", callback=self.imagine_from_message
            ),
            app_commands.ContextMenu(
                name="Transcribe voice message", callback=self.transcribe_message
            ),
        ]
        offer_choices(self.imagine, "model", list(bot.settings.image.choices))

    async def cog_load(self) -> None:
        for menu in self.menus:
            self.bot.tree.add_command(menu)

    async def cog_unload(self) -> None:
        for menu in self.menus:
            self.bot.tree.remove_command(menu.name, type=menu.type)

    @app_commands.command(name="imagine", description="Draw a picture from words or speech.")
    @app_commands.describe(
        prompt="What to draw (in any language when you attach audio instead)",
        audio="A voice message or audio file: its words become the prompt",
        seed="Seed of the first image; the same seed and options give the same picture",
        guidance="How closely to follow the prompt (1-20, default 7)",
        steps="Denoising steps: more is slower and finer (default 25)",
        count="How many images (default 2)",
        negative="What to keep out of the picture",
        size="Picture shape",
        language="The language spoken in `audio` (default: detected)",
        model="Image model (default: this server's)",
        sampler="Sampler (default: the model's)",
        aspect="Aspect ratio, width:height (instead of size)",
        style="A style of the model",
        fast="Draw in a few steps (the fast model or LoRA)",
        image="A picture (PNG, JPEG or WebP) to draw from",
        strength="How far to move from `image`: 0 keeps it, 1 ignores it",
    )
    @app_commands.autocomplete(language=language_choices)
    async def imagine(
        self,
        interaction: discord.Interaction,
        prompt: app_commands.Range[str, 1, 1000] | None = None,
        audio: discord.Attachment | None = None,
        seed: app_commands.Range[int, 0, MAX_SEED] | None = None,
        guidance: app_commands.Range[float, 1.0, 20.0] | None = None,
        steps: app_commands.Range[int, 1, 100] | None = None,
        count: app_commands.Range[int, 1, 8] | None = None,
        negative: app_commands.Range[str, 1, 1000] | None = None,
        size: Size | None = None,
        language: app_commands.Range[str, 1, 40] | None = None,
        model: str | None = None,
        sampler: app_commands.Range[str, 1, 40] | None = None,
        aspect: Literal[ASPECTS] | None = None,  # type: ignore[valid-type]
        style: str | None = None,
        fast: bool | None = None,
        image: discord.Attachment | None = None,
        strength: app_commands.Range[float, 0.05, 1.0] | None = None,
    ) -> None:
        try:
            options, parameters = await self._options(
                interaction,
                prompt,
                audio,
                seed,
                guidance,
                steps,
                count,
                negative,
                size,
                model=model,
                sampler=sampler,
                aspect=aspect,
                style=style,
                fast=bool(fast),
            )
            variation = self._image_prompt(image, strength)
            spoken = spoken_language(language) if audio is not None else None
        except UserFacingError as error:
            await reply_privately(interaction, error.message)
            return
        ask = Ask("slash", audio, variation=variation, language=spoken, parameters=parameters)
        await self.bot.intake.from_interaction(interaction, options, ask)

    @imagine.autocomplete("style")
    async def _styles(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The LoRA styles of the model chosen so far (or the server's default model)."""
        model = await self._chosen(interaction)
        return _matching([] if model is None else list(model.settings.loras), current)

    @imagine.autocomplete("sampler")
    async def _samplers(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """The samplers the model chosen so far can use (its family's)."""
        model = await self._chosen(interaction)
        return _matching([] if model is None else list(model.samplers), current)

    async def _chosen(self, interaction: discord.Interaction) -> ModelChoice | None:
        """The model named in the command so far, else the server's default (None: unknown)."""
        chosen = interaction.namespace.model
        if chosen is None:
            chosen = await self.bot.intake.server_model(interaction.guild_id)
        settings = self.bot.settings
        try:
            return choose_model(settings.image, settings.defaults, settings.limits, chosen)
        except UserFacingError:
            return None

    def _image_prompt(
        self, image: discord.Attachment | None, strength: float | None
    ) -> Variation | None:
        """Drawing from the user's picture, checked from what Discord tells of it (the queue
        downloads it; the engine checks its contents)."""
        if image is None:
            if strength is not None:
                raise UserFacingError("strength-needs-image")
            return None
        self.bot.intake.check_picture(image)
        variation = Variation(
            image=b"",
            image_url=image.url,
            strength=self.bot.settings.defaults.image_prompt_strength
            if strength is None
            else strength,
            source=IMAGE_PROMPT,
        )
        variation.validate()
        return variation

    async def _options(
        self,
        interaction: discord.Interaction,
        prompt: str | None,
        audio: discord.Attachment | None,
        seed: int | None,
        guidance: float | None,
        steps: int | None,
        count: int | None,
        negative: str | None,
        size: Size | None,
        **choices: Any,
    ) -> tuple[GenerationOptions, str]:
        """Validate the options again: Discord's ranges and choices can be bypassed by a
        modified client. ``choices``: model, sampler, aspect, style and fast. A typed prompt's
        parameters (``--ar 16:9``…) apply where no option says otherwise; a spoken one has none.
        Also the parameters as applied."""
        if prompt is None and audio is None:
            raise UserFacingError("no-prompt")
        chosen = choices | {
            "negative_prompt": negative,
            "seed": seed,
            "guidance": guidance,
            "steps": steps,
            "count": count,
            "size": size,
        }
        intake = self.bot.intake
        if audio is not None:
            options = await intake.options(
                interaction.guild_id, "", prompt_required=False, **chosen
            )
            return options, ""
        return await intake.typed(interaction.guild_id, prompt or "", **chosen)

    async def imagine_from_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        await self._from_message(interaction, message, transcribe_only=False)

    async def transcribe_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """What was said, in which language, and its English translation; no pictures (its
        buttons draw it, as it is or after an edit)."""
        await self._from_message(interaction, message, transcribe_only=True)

    async def _from_message(
        self, interaction: discord.Interaction, message: discord.Message, *, transcribe_only: bool
    ) -> None:
        audio = next((a for a in message.attachments if is_audio(a)), None)
        if audio is None:
            await reply_privately(interaction, Message("no-audio-attachment"))
            return
        try:
            options = await self.bot.intake.options(interaction.guild_id, "", prompt_required=False)
        except UserFacingError as error:
            await reply_privately(interaction, error.message)
            return
        ask = Ask("context", audio, transcribe_only=transcribe_only)
        await self.bot.intake.from_interaction(interaction, options, ask)


def _matching(names: list[str], current: str) -> list[app_commands.Choice[str]]:
    """The names containing what was typed, as choices (Discord shows 25)."""
    found = [name for name in names if current.lower() in name.lower()]
    return [app_commands.Choice(name=name, value=name) for name in found[:25]]


async def setup(bot: SpeechBot) -> None:
    await bot.add_cog(Imagine(bot))
