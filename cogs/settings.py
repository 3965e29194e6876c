"""``/settings``: a server's own choices (Manage Server permission), stored durably."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from babel import Locale
from discord import app_commands
from discord.ext import commands

from bot.config import display_name
from bot.domain.errors import UserFacingError
from bot.domain.messages import Message
from bot.domain.policy import WHISPER_CHOICES, GuildSettings
from cogs.answers import reply_privately
from cogs.i18n.catalog import Texts, supported, texts
from cogs.imagine import offer_choices
from cogs.render import clip

if TYPE_CHECKING:
    from cogs.client import SpeechBot

REQUESTER = "requester"
"""``/settings language``: each job message in its requester's language."""


def describe(guild: GuildSettings, bot: SpeechBot, t: Texts) -> discord.Embed:
    """The server's current settings, the bot-wide value where the server set none."""
    settings = bot.settings
    defaults = guild.defaults(settings.defaults)
    channels = guild.voice_channels or tuple(settings.discord.auto_voice_channels)
    auto = settings.discord.auto_voice if guild.auto_voice is None else guild.auto_voice
    where = ", ".join(f"<#{c}>" for c in channels) or t("settings-everywhere")
    transcribed = ", ".join(f"<#{c}>" for c in guild.transcribe_channels)
    rows = {
        "settings-whisper-model": guild.whisper_model or display_name(settings.speech.model),
        "settings-image-model": guild.image_model or settings.image.default_model_name,
        "settings-voice": t("settings-voice-auto", where=where)
        if auto
        else t("settings-voice-off"),
        "settings-transcribed": transcribed or t("settings-nowhere"),
        "settings-defaults": t(
            "settings-defaults-value",
            guidance=defaults.guidance,
            steps=defaults.steps,
            count=defaults.count,
        ),
        "settings-per-user": str(guild.per_user_limit or settings.queue.per_user_limit),
        "settings-buttons": t(
            "settings-buttons-requester" if guild.requester_only_buttons else "settings-anyone"
        ),
        "settings-nsfw": t(
            "settings-nsfw-value",
            action=guild.nsfw(settings),
            checker="off" if guild.checker_off_in_nsfw_channels else "on",
        ),
        "settings-banned": clip(", ".join(guild.banned_words), 1000) or t("settings-none"),
        "settings-language": locale_label(guild.language)
        if guild.language
        else t("choice-requester"),
        "settings-text-remixes": t("settings-on" if guild.text_remixes else "settings-off"),
        "settings-remix-mode": t("settings-on" if guild.remixes(settings) else "settings-off"),
        "settings-previews": t("settings-on" if guild.shows_previews(settings) else "settings-off"),
    }
    embed = discord.Embed(title=t("settings-title"), colour=discord.Colour.blurple())
    for key, value in rows.items():
        embed.add_field(name=t(key), value=value, inline=False)
    return embed


def language_choice(value: str) -> str:
    return "Each requester's language" if value == REQUESTER else locale_label(value)


def locale_label(code: str) -> str:
    """A catalog locale named in itself (CLDR's name), with its code: ``Deutsch (de)``."""
    name = Locale.parse(code, sep="-").get_display_name() or code
    return f"{name[:1].upper()}{name[1:]} ({code})"


class ServerSettings(commands.Cog):
    def __init__(self, bot: SpeechBot) -> None:
        self.bot = bot
        offer_choices(self.settings, "image_model", list(bot.settings.image.choices))
        languages = [REQUESTER, *supported()]  # each requester's, or one named in itself
        offer_choices(self.settings, "language", languages, name=language_choice)

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
        language="The language of job messages: each requester's, or one for everyone",
        text_remixes="Let a typed reply to a result remix it (a voice reply always does)",
        remix_mode="Remix mode for those who didn't choose: edit the prompt before a variation",
        previews="Show the pictures forming while they are drawn",
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
        language: str | None = None,
        text_remixes: bool | None = None,
        remix_mode: bool | None = None,
        previews: bool | None = None,
    ) -> None:
        try:
            if not interaction.permissions.manage_guild:
                raise UserFacingError("settings-not-admin")
            assert interaction.guild_id is not None
            if (auto_voice or transcribe_channel) and not self.bot.intents.message_content:
                raise UserFacingError("settings-no-content-intent")
            if language is not None and language != REQUESTER and language not in supported():
                raise UserFacingError(
                    "bad-one-of", option="language", known=", ".join(supported()), value=language
                )
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
                    "text_remixes": text_remixes,
                    "remix_mode": remix_mode,
                    "previews": previews,
                }.items()
                if value is not None
            }
            if language is not None:
                changes["language"] = None if language == REQUESTER else language
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
            saved = Message("settings-saved") if changes else None
            embed = describe(guild, self.bot, texts(interaction.locale))
            await reply_privately(interaction, saved, embed=embed)
        except UserFacingError as error:
            await reply_privately(interaction, error.message)


async def setup(bot: SpeechBot) -> None:
    await bot.add_cog(ServerSettings(bot))
