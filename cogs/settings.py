"""``/settings``: a server's own choices (Manage Server permission), stored durably."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.domain.errors import UserFacingError
from bot.domain.policy import WHISPER_CHOICES, GuildSettings
from cogs.imagine import offer_choices
from cogs.intake import reply_privately
from cogs.render import clip

if TYPE_CHECKING:
    from cogs.client import SpeechBot

NOT_ADMIN = "You need the Manage Server permission to change my settings."


def describe(guild: GuildSettings, bot: SpeechBot) -> discord.Embed:
    """The server's current settings, the bot-wide value where the server set none."""
    settings = bot.settings
    defaults = guild.defaults(settings.defaults)
    channels = guild.voice_channels or tuple(settings.discord.auto_voice_channels)
    auto = settings.discord.auto_voice if guild.auto_voice is None else guild.auto_voice
    where = ", ".join(f"<#{c}>" for c in channels) or "every channel"
    rows = {
        "Whisper model": guild.whisper_model or settings.speech.model,
        "Image model": guild.image_model or settings.image.default_model_name,
        "Voice messages": f"auto in {where}" if auto else "off (use the context menu)",
        "Transcribed, not drawn": ", ".join(f"<#{c}>" for c in guild.transcribe_channels)
        or "nowhere",
        "Defaults": f"guidance {defaults.guidance:g}, {defaults.steps} steps, {defaults.count} images",
        "Jobs per user": str(guild.per_user_limit or settings.queue.per_user_limit),
        "Buttons": "requester only" if guild.requester_only_buttons else "anyone",
        "NSFW": f"flagged pictures {guild.nsfw(settings)} outside NSFW channels; checker "
        + ("off" if guild.checker_off_in_nsfw_channels else "on")
        + " in NSFW channels",
        "Banned words": clip(", ".join(guild.banned_words), 1000) or "none",
    }
    embed = discord.Embed(title="Settings for this server", colour=discord.Colour.blurple())
    for name, value in rows.items():
        embed.add_field(name=name, value=value, inline=False)
    return embed


class ServerSettings(commands.Cog):
    def __init__(self, bot: SpeechBot) -> None:
        self.bot = bot
        offer_choices(self.settings, "image_model", list(bot.settings.image.choices))

    @app_commands.command(name="settings", description="Show or change how I work on this server.")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.describe(
        whisper_model="Speech model: bigger hears better and is slower",
        image_model="Image model drawn when /imagine names none",
        auto_voice="Turn every voice message into pictures",
        voice_channel="Add or remove a channel where voice messages are turned into pictures",
        transcribe_channel="Add or remove a channel whose voice messages are only transcribed",
        guidance="Default guidance (1-20)",
        steps="Default steps",
        count="Default number of images",
        per_user_limit="Unfinished jobs one person may have",
        requester_only_buttons="Only the requester may re-roll, vary or edit a result",
        nsfw_action="Pictures the safety checker flags, outside NSFW channels",
        checker_off_in_nsfw_channels="Skip the safety checker in NSFW channels",
        banned_words='Words refused in prompts, comma-separated ("-" clears the list)',
    )
    async def settings(
        self,
        interaction: discord.Interaction,
        whisper_model: Literal[WHISPER_CHOICES] | None = None,  # type: ignore[valid-type]
        auto_voice: bool | None = None,
        voice_channel: discord.TextChannel | None = None,
        transcribe_channel: discord.TextChannel | None = None,
        guidance: app_commands.Range[float, 1.0, 20.0] | None = None,
        steps: app_commands.Range[int, 1, 100] | None = None,
        count: app_commands.Range[int, 1, 8] | None = None,
        per_user_limit: app_commands.Range[int, 1, 20] | None = None,
        requester_only_buttons: bool | None = None,
        nsfw_action: Literal["withhold", "spoiler"] | None = None,
        checker_off_in_nsfw_channels: bool | None = None,
        banned_words: app_commands.Range[str, 1, 1000] | None = None,
        image_model: str | None = None,
    ) -> None:
        try:
            if not interaction.permissions.manage_guild:
                raise UserFacingError(NOT_ADMIN)
            assert interaction.guild_id is not None
            if (auto_voice or transcribe_channel) and not self.bot.intents.message_content:
                raise UserFacingError(NO_CONTENT_INTENT)
            guild = await self.bot.guild_settings.get(interaction.guild_id)
            changes = {
                key: value
                for key, value in {
                    "whisper_model": whisper_model,
                    "auto_voice": auto_voice,
                    "guidance": guidance,
                    "steps": steps,
                    "count": count,
                    "per_user_limit": per_user_limit,
                    "requester_only_buttons": requester_only_buttons,
                    "nsfw_action": nsfw_action,
                    "checker_off_in_nsfw_channels": checker_off_in_nsfw_channels,
                    "image_model": image_model,
                }.items()
                if value is not None
            }
            if voice_channel is not None:
                channels = set(guild.voice_channels) ^ {voice_channel.id}
                changes["voice_channels"] = tuple(sorted(channels))
            if transcribe_channel is not None:
                channels = set(guild.transcribe_channels) ^ {transcribe_channel.id}
                changes["transcribe_channels"] = tuple(sorted(channels))
            if banned_words is not None:
                words = [] if banned_words.strip() == "-" else banned_words.split(",")
                changes["banned_words"] = tuple(w.strip() for w in words if w.strip())
            if changes:
                guild = guild.changed(self.bot.settings, **changes)
                await self.bot.guild_settings.put(interaction.guild_id, guild)
            await reply_privately(
                interaction, "Saved." if changes else None, embed=describe(guild, self.bot)
            )
        except UserFacingError as error:
            await reply_privately(interaction, str(error))


NO_CONTENT_INTENT = (
    "Auto mode and transcribe channels need the Message Content intent, which this bot does not "
    "ask for. The bot's "
    "owner must turn on *Message Content Intent* in the Discord Developer Portal (Bot → "
    "Privileged Gateway Intents), set `discord.message_content_intent = true` (or "
    "`S2I_DISCORD__MESSAGE_CONTENT_INTENT=true`) and restart it. Until then, use the "
    "*Imagine from voice message* menu on a voice message."
)


async def setup(bot: SpeechBot) -> None:
    await bot.add_cog(ServerSettings(bot))
