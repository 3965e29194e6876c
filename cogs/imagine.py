"""``/imagine`` and the "Imagine from voice message" context-menu command."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.jobs import JobRequest, Source
from bot.options import MAX_SEED, GenerationOptions
from cogs.messages import JobMessages, reply_route
from cogs.render import NO_MENTIONS, reply_privately

if TYPE_CHECKING:
    from bot.client import SpeechBot

log = logging.getLogger(__name__)

Size = Literal["square", "portrait", "landscape"]
NOT_AUDIO = "That attachment isn't audio: attach a voice message or an audio file (ogg, mp3, m4a, wav, webm, flac)."
NO_AUDIO_MESSAGE = (
    "That message has no audio attachment: use this on a voice message or an audio file."
)
AUDIO_SUFFIXES = (".ogg", ".oga", ".opus", ".mp3", ".m4a", ".aac", ".mp4", ".wav", ".webm", ".flac")


def size_of(name: Size, side: int) -> tuple[int, int]:
    """Width and height of a size choice around the default square side (multiples of 8)."""
    long = side * 3 // 2 // 8 * 8
    return {"square": (side, side), "portrait": (side, long), "landscape": (long, side)}[name]


def is_audio(attachment: discord.Attachment) -> bool:
    content_type = (attachment.content_type or "").split(";")[0]
    if content_type.startswith(("audio/", "video/")):
        return True
    return not content_type and attachment.filename.lower().endswith(AUDIO_SUFFIXES)


class Imagine(commands.Cog):
    """Turns interactions into jobs; their messages are then kept by :class:`JobMessages`."""

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
            options = self._options(prompt, audio, seed, guidance, steps, count, negative, size)
            await self.start_job(interaction, options, audio, source="slash")
        except UserFacingError as error:
            await reply_privately(interaction, str(error))

    def _options(
        self,
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
        return GenerationOptions.build(
            "" if audio is not None else prompt or "",
            self.bot.settings.defaults,
            self.bot.settings.limits,
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
        settings = self.bot.settings
        options = GenerationOptions.build(
            "", settings.defaults, settings.limits, prompt_required=False
        )
        try:
            if audio is None:
                raise UserFacingError(NO_AUDIO_MESSAGE)
            await self.start_job(interaction, options, audio, source="context")
        except UserFacingError as error:
            await reply_privately(interaction, str(error))

    async def start_job(
        self,
        interaction: discord.Interaction,
        options: GenerationOptions,
        audio: discord.Attachment | None,
        *,
        source: Source,
    ) -> None:
        """Check what can be checked at once, acknowledge, then queue the job. Problems found
        before the acknowledgement are answered privately; the job's message shows the rest."""
        limits = self.bot.settings.limits
        if audio is not None:
            if not is_audio(audio):
                raise UserFacingError(NOT_AUDIO)
            if audio.size > limits.max_audio_bytes:
                raise UserFacingError(
                    f"That file is too big ({audio.size / 2**20:.1f} MiB); "
                    f"the limit is {limits.max_audio_bytes / 2**20:g} MiB."
                )
        self.bot.queue.check_admission(interaction.user.id)
        await interaction.response.defer(thinking=True)
        messages = self.bot.get_cog("JobMessages")
        assert isinstance(messages, JobMessages)
        reply: dict[str, Any] = messages.remember(interaction)
        reply |= reply_route(await interaction.original_response())
        request = JobRequest(
            user_id=interaction.user.id,
            user_name=interaction.user.display_name,
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
            options=options,
            audio=await audio.read() if audio is not None else None,
            audio_filename=audio.filename if audio is not None else None,
            source=source,
            reply=reply,
        )
        try:
            await self.bot.queue.submit(request)
        except UserFacingError as error:
            await interaction.edit_original_response(
                content=f"❌ {error}", allowed_mentions=NO_MENTIONS
            )


async def setup(bot: SpeechBot) -> None:
    await bot.add_cog(Imagine(bot))
