"""Starting a job from Discord: the checks that can be answered at once (privately), the
acknowledgement, the server's settings and NSFW policy, then the queue. Shared by ``/imagine``, the
context menu, the buttons, the edit-prompt modal and voice messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import discord

from bot.domain.errors import UserFacingError
from bot.domain.jobs import JobRequest, Source
from bot.domain.options import GenerationOptions, Variation
from cogs.messages import reply_route
from cogs.render import NO_MENTIONS

if TYPE_CHECKING:
    from cogs.client import SpeechBot
    from cogs.messages import JobMessages

NOT_AUDIO = "That attachment isn't audio: attach a voice message or an audio file (ogg, mp3, m4a, wav, webm, flac)."
AUDIO_SUFFIXES = (".ogg", ".oga", ".opus", ".mp3", ".m4a", ".aac", ".mp4", ".wav", ".webm", ".flac")


def is_audio(attachment: discord.Attachment) -> bool:
    content_type = (attachment.content_type or "").split(";")[0]
    if content_type.startswith(("audio/", "video/")):
        return True
    return not content_type and attachment.filename.lower().endswith(AUDIO_SUFFIXES)


def check_audio(bot: SpeechBot, audio: discord.Attachment) -> None:
    """Refuse, before downloading it, an attachment that is not audio or is too big."""
    limit = bot.settings.limits.max_audio_bytes
    if not is_audio(audio):
        raise UserFacingError(NOT_AUDIO)
    if audio.size > limit:
        raise UserFacingError(
            f"That file is too big ({audio.size / 2**20:.1f} MiB); the limit is {limit / 2**20:g} MiB."
        )


def is_nsfw(channel: Any) -> bool:
    is_nsfw_channel = getattr(channel, "is_nsfw", None)
    return bool(is_nsfw_channel and is_nsfw_channel())


async def build_options(
    bot: SpeechBot, guild_id: int | None, prompt: str, **options: Any
) -> GenerationOptions:
    """Options filled from the server's defaults (then the bot's) and checked against the limits."""
    guild = await bot.guild_settings.get(guild_id)
    return GenerationOptions.build(
        prompt, guild.defaults(bot.settings.defaults), bot.settings.limits, **options
    )


async def launch(
    bot: SpeechBot,
    interaction: discord.Interaction,
    options: GenerationOptions,
    *,
    source: Source,
    audio: discord.Attachment | None = None,
    variation: Variation | None = None,
) -> None:
    """Check, acknowledge (within Discord's 3 s), then queue. Raises :class:`UserFacingError`
    for what is refused before the acknowledgement; later refusals show in the job's message."""
    guild = await bot.guild_settings.get(interaction.guild_id)
    if audio is not None:
        check_audio(bot, audio)
    if options.prompt:
        bot.check_prompt(interaction.guild_id, options.prompt)
    bot.queue.check_admission(interaction.user.id, user_limit=guild.per_user_limit)
    await interaction.response.defer(thinking=True)
    messages = cast("JobMessages", bot.get_cog("JobMessages"))  # (reloaded modules: no isinstance)
    reply = messages.remember(interaction) | reply_route(await interaction.original_response())
    try:
        await submit(
            bot,
            interaction.guild_id,
            interaction.user,
            interaction.channel,
            options,
            source=source,
            reply=reply,
            audio=audio,
            variation=variation,
        )
    except UserFacingError as error:
        await interaction.edit_original_response(
            content=f"❌ {error}", allowed_mentions=NO_MENTIONS
        )


async def submit(
    bot: SpeechBot,
    guild_id: int | None,
    user: discord.abc.User,
    channel: Any,
    options: GenerationOptions,
    *,
    source: Source,
    reply: dict[str, Any],
    audio: discord.Attachment | None = None,
    variation: Variation | None = None,
) -> None:
    """Queue a job whose message is already posted (``reply`` routes to it), with the server's
    Whisper model, per-user limit and NSFW policy: in NSFW channels flagged pictures are shown
    (and the checker may be off); elsewhere the server withholds or spoilers them."""
    guild = await bot.guild_settings.get(guild_id)
    nsfw_channel = is_nsfw(channel)
    request = JobRequest(
        user_id=user.id,
        user_name=user.display_name,
        guild_id=guild_id,
        channel_id=channel.id if channel is not None else None,
        options=options,
        audio=await audio.read() if audio is not None else None,
        audio_filename=audio.filename if audio is not None else None,
        source=source,
        reply=reply | {"nsfw_action": "show" if nsfw_channel else guild.nsfw(bot.settings)},
        variation=variation,
        safety_check=not (nsfw_channel and guild.checker_off_in_nsfw_channels),
        speech_model=guild.whisper_model,
    )
    await bot.queue.submit(request, user_limit=guild.per_user_limit)
