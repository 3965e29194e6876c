"""``/imagine`` and the "Imagine from voice message" context-menu command."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.errors import UserFacingError
from bot.domain.options import MAX_SEED, GenerationOptions
from cogs.intake import is_audio, reply_privately

if TYPE_CHECKING:
    from cogs.client import SpeechBot

log = logging.getLogger(__name__)

Size = Literal["square", "portrait", "landscape"]
NO_AUDIO_MESSAGE = (
    "That message has no audio attachment: use this on a voice message or an audio file."
)


def size_of(name: Size, side: int) -> tuple[int, int]:
    """Width and height of a size choice around the default square side (multiples of 8)."""
    long = side * 3 // 2 // 8 * 8
    return {"square": (side, side), "portrait": (side, long), "landscape": (long, side)}[name]


class Imagine(commands.Cog):
    """Turns these commands into jobs through the intake; the outbox then keeps their messages."""

    def __init__(self, bot: SpeechBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(
            name="Imagine from voice message", callback=self.imagine_from_message
        )

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

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
    )
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
    ) -> None:
        try:
            options = await self._options(
                interaction, prompt, audio, seed, guidance, steps, count, negative, size
            )
        except UserFacingError as error:
            await reply_privately(interaction, str(error))
            return
        await self.bot.intake.from_interaction(interaction, options, source="slash", audio=audio)

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
    ) -> GenerationOptions:
        """Validate the options again: Discord's ranges can be bypassed by a modified client."""
        width = height = None
        if size is not None:
            width, height = size_of(size, self.bot.settings.defaults.width)
        if prompt is None and audio is None:
            raise UserFacingError("Tell me what to draw: type a `prompt` or attach `audio`.")
        return await self.bot.intake.options(
            interaction.guild_id,
            "" if audio is not None else prompt or "",
            negative_prompt=negative,
            seed=seed,
            guidance=guidance,
            steps=steps,
            count=count,
            width=width,
            height=height,
            prompt_required=audio is None,
        )

    async def imagine_from_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        audio = next((a for a in message.attachments if is_audio(a)), None)
        if audio is None:
            await reply_privately(interaction, NO_AUDIO_MESSAGE)
            return
        try:
            options = await self.bot.intake.options(interaction.guild_id, "", prompt_required=False)
        except UserFacingError as error:
            await reply_privately(interaction, str(error))
            return
        await self.bot.intake.from_interaction(interaction, options, source="context", audio=audio)


async def setup(bot: SpeechBot) -> None:
    await bot.add_cog(Imagine(bot))
