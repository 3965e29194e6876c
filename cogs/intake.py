"""The one intake: every entry point (``/imagine``, the context menu, voice messages, the buttons,
the edit-prompt modal) turns its Discord event into a job here.

Order matters. First the checks that need no Discord call (options, the attachment's type and
size, banned words); then the job's route is recorded and the job submitted (the queue decides its
limits at once, so concurrent requests cannot slip past them); a refusal is answered privately
(ephemeral, or a self-deleting reply to a voice message). Only then the acknowledgement — except
for buttons and modals, which are acknowledged invisibly first, so their refusals stay private —
and from there on the :class:`~cogs.outbox.Outbox` owns the job's message. An interaction is
acknowledged within Discord's 3 s: its acknowledgement is retried until that deadline, and a job
whose acknowledgement never got through is answered in the channel instead.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord

from bot.domain.errors import GENERIC_ERROR, UserFacingError
from bot.domain.jobs import JobRequest, PreviewMode, Source, new_job_id
from bot.domain.options import GenerationOptions, Variation
from bot.domain.parameters import parse_prompt
from bot.domain.policy import GuildSettings
from cogs import remix
from cogs.answers import acknowledge, refuse_voice_message, reply_privately
from cogs.routes import Route

if TYPE_CHECKING:
    from cogs.outbox import Outbox
    from cogs.services import BotServices

log = logging.getLogger(__name__)

AUDIO_SUFFIXES = (".ogg", ".oga", ".opus", ".mp3", ".m4a", ".aac", ".mp4", ".wav", ".webm", ".flac")
PICTURE_TYPES = ("image/png", "image/jpeg", "image/webp")
PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


@dataclass(frozen=True)
class Upload:
    """A user's recording, by where Discord keeps it (the queue downloads it when it listens)."""

    url: str
    filename: str

    @classmethod
    def of(cls, attachment: discord.Attachment) -> Upload:
        return cls(attachment.url, attachment.filename)


@dataclass(frozen=True)
class Ask:
    """How to run a job beyond its options: what to listen to, and how."""

    source: Source
    audio: discord.Attachment | Upload | None = None
    variation: Variation | None = None
    language: str | None = None
    """Spoken in this language (no detection)."""
    transcribe_only: bool = False
    in_place: bool = False
    """Show the job in the message the clicked component is on (a re-listen), not a new one."""
    parameters: str = ""
    """The prompt parameters typed with it, as applied (see :meth:`Intake.typed`)."""


def is_audio(attachment: discord.Attachment) -> bool:
    content_type = (attachment.content_type or "").split(";")[0]
    if content_type.startswith(("audio/", "video/")):
        return True
    return not content_type and attachment.filename.lower().endswith(AUDIO_SUFFIXES)


def is_nsfw(channel: Any) -> bool:
    is_nsfw_channel = getattr(channel, "is_nsfw", None)
    return bool(is_nsfw_channel and is_nsfw_channel())


class Intake:
    def __init__(self, bot: BotServices, outbox: Outbox) -> None:
        self.bot = bot
        self.outbox = outbox

    async def options(self, guild_id: int | None, prompt: str, **options: Any) -> GenerationOptions:
        """Options filled from the server's defaults (then the model's, then the bot's), checked
        against the limits and the configured models. No ``model``: the server's default model
        (``fast`` with a fast model configured picks that one)."""
        settings = self.bot.settings
        guild = await self.bot.guild_settings.get(guild_id)
        if options.get("model") is None and not (options.get("fast") and settings.image.fast_model):
            options["model"] = await self.server_model(guild_id)
        return GenerationOptions.build(
            prompt,
            guild.defaults(settings.defaults),
            settings.limits,
            image=settings.image,
            **options,
        )

    async def typed(
        self, guild_id: int | None, text: str, *, over: bool = False, **chosen: Any
    ) -> tuple[GenerationOptions, str]:
        """:meth:`options` for a typed prompt, with the parameters typed in it (``--ar 16:9``…,
        :mod:`bot.domain.parameters`): ``chosen`` options win over them, or they win over
        ``chosen`` when ``over`` (``chosen`` then being an earlier job's). Also the parameters as
        applied, for the reply. A refusal names the parameter it is about."""
        prompt, parameters = parse_prompt(text)
        merged, shown = parameters.keywords(chosen, over=over)
        try:
            return await self.options(guild_id, prompt, **merged), shown
        except UserFacingError as error:
            raise parameters.named(error) from None

    async def retyped(
        self, guild_id: int | None, options: GenerationOptions, text: str, **changes: Any
    ) -> tuple[GenerationOptions, str]:
        """An earlier job's ``options`` with ``text`` typed as their new prompt (a form, a typed
        remix) and ``changes``: the parameters typed in it win over the options."""
        prompt, parameters = parse_prompt(text)
        changed = options.with_changes(prompt=prompt, **changes)
        if not parameters:
            return changed, ""
        keep = ("parent_job", "parent_prompt")
        chosen = {k: v for k, v in changed.to_dict().items() if k not in (*keep, "prompt")}
        built, shown = await self.typed(guild_id, text, over=True, **chosen)
        return built.with_changes(**{key: getattr(changed, key) for key in keep}), shown

    async def server_model(self, guild_id: int | None) -> str | None:
        """The server's default image model, while it is still configured (None: the bot's)."""
        guild = await self.bot.guild_settings.get(guild_id)
        chosen = guild.image_model
        return chosen if chosen in self.bot.settings.image.choices else None

    def check_audio(self, audio: discord.Attachment) -> None:
        """Refuse, before anything is downloaded, an attachment that is not audio or is too big."""
        limit = self.bot.settings.limits.max_audio_bytes
        if not is_audio(audio):
            raise UserFacingError("not-audio")
        if audio.size > limit:
            size, limit_mib = round(audio.size / 2**20, 1), limit / 2**20
            raise UserFacingError("file-too-big", size_mib=size, limit_mib=limit_mib)

    def check_picture(self, picture: discord.Attachment) -> None:
        """Refuse, before anything is downloaded, an attachment that is not a PNG, JPEG or WebP
        picture or is too big, from what Discord tells of it (the engine checks the file)."""
        limits = self.bot.settings.limits
        content_type = (picture.content_type or "").split(";")[0]
        named = not content_type and picture.filename.lower().endswith(PICTURE_SUFFIXES)
        if content_type not in PICTURE_TYPES and not named:
            raise UserFacingError("not-a-picture")
        if picture.size > limits.max_picture_bytes:
            raise UserFacingError(
                "attachment-picture-too-big",
                size_mib=round(picture.size / 2**20, 1),
                limit_mib=limits.max_picture_bytes / 2**20,
            )
        pixels = (picture.width or 0) * (picture.height or 0)
        if pixels > limits.max_picture_pixels:
            raise UserFacingError(
                "picture-too-many-pixels",
                width=str(picture.width),
                height=str(picture.height),
                limit=limits.max_picture_pixels,
            )

    # ---- interactions ----------------------------------------------------------------------

    async def from_interaction(
        self, interaction: discord.Interaction, options: GenerationOptions, ask: Ask
    ) -> bool:
        """Start a job for an interaction (True), or refuse it privately (False).

        The job's message is the interaction's answer: a "thinking…" message (a deferred message,
        type 5, sent once the job is accepted: refusals are the private first answer), whether
        the interaction is a slash command, a button or a form. A re-listen shows the job in the
        message its select is on (acknowledged invisibly first); an interaction its caller has
        acknowledged already gets the job as a follow-up."""
        acknowledged = interaction.response.is_done()
        thinking = not acknowledged and not ask.in_place
        if ask.in_place and not acknowledged:
            acknowledged = await acknowledge(interaction, thinking=False)
        try:
            guild = await self.bot.guild_settings.get(interaction.guild_id)
            if isinstance(ask.audio, discord.Attachment):
                self.check_audio(ask.audio)
            route = Route.for_interaction(
                interaction, self._nsfw_action(guild, interaction.channel)
            )
            route.locale = await self.bot.languages.for_job(
                interaction.guild_id, interaction.locale
            )
            # Recorded as acknowledged before the "thinking…" answer is sent: after a crash in
            # between, the outbox tries the token first (the placeholder, the token's @original,
            # which Discord never creates twice, gets the job), and a token never acknowledged
            # answers 404, after which the job goes to the channel.
            route.acknowledged = acknowledged or thinking
            route.followup = not thinking and not ask.in_place
            if ask.in_place and interaction.message is not None:
                route.message_id = interaction.message.id
            request = self._request(
                interaction.guild_id, guild, interaction.user, interaction.channel, options, ask
            )
            job_id = await self._submit(guild, route, request)
        except UserFacingError as error:
            await reply_privately(interaction, error.message)
            return False
        except Exception:
            log.exception("could not start a job for %s", interaction.command or ask.source)
            await reply_privately(interaction, GENERIC_ERROR)
            return False
        if thinking:
            route.acknowledged = await acknowledge(interaction, thinking=True, route=route)
        self.outbox.track(job_id, route, interaction)
        try:  # the route as it is now, for a restart (the outbox has it already)
            await self.outbox.record(job_id, route)
            await self.bot.languages.remember(interaction.user.id, interaction.locale)
        except Exception:
            log.exception("could not record how job %s was acknowledged", job_id)
        return True

    # ---- voice messages --------------------------------------------------------------------

    async def from_voice_message(self, message: discord.Message) -> None:
        """Auto mode: a voice message becomes a job answered as a reply to it."""
        guild_id = message.guild.id if message.guild else None
        guild = await self.bot.guild_settings.get(guild_id)
        transcribe = message.channel.id in guild.transcribe_channels
        if not transcribe and not guild.listens_in(self.bot.settings, message.channel.id):
            return
        audio = message.attachments[0]

        async def request() -> tuple[GenerationOptions, Ask]:
            self.check_audio(audio)
            options = await self.options(guild_id, "", prompt_required=False)
            return options, Ask("voice", audio, transcribe_only=transcribe)

        await self._answer_message(message, guild, request)

    async def from_reply(self, message: discord.Message) -> bool:
        """A reply to one of the bot's results remixes it (:mod:`cogs.remix`): a voice message or
        audio file, or typed words where the server turned text remixes on. False when the reply
        is no remix (the message is then handled as any other)."""
        original = await remix.replied_to(message)
        user = self.bot.user
        job_id = remix.job_shown_by(original, user.id if user else None) if original else None
        if original is None or job_id is None:
            return False
        guild_id = message.guild.id if message.guild else None
        guild = await self.bot.guild_settings.get(guild_id)
        audio = next((a for a in message.attachments if is_audio(a)), None)
        typed = message.content.strip() if guild.text_remixes else ""
        job = self.bot.queue.get(job_id) or await self.bot.store.load(job_id)
        if (audio is None and not typed) or not remix.remixable(job):
            return False
        assert job is not None

        async def request() -> tuple[GenerationOptions, Ask]:
            if guild.requester_only_buttons and message.author.id != job.request.user_id:
                raise UserFacingError("remix-not-yours", user=job.request.user_name)
            if audio is not None:
                self.check_audio(audio)
            strength = self.bot.settings.defaults.remix_strength
            pictures = remix.pictures_on(original)
            options, variation = remix.remix(job, pictures, "", strength)
            shown = ""
            if audio is None:  # typed: its parameters apply (a spoken prompt has none)
                options, shown = await self.retyped(guild_id, options, typed)
            return options, Ask("remix", audio, variation=variation, parameters=shown)

        await self._answer_message(message, guild, request)
        return True

    async def _answer_message(
        self,
        message: discord.Message,
        guild: GuildSettings,
        request: Callable[[], Awaitable[tuple[GenerationOptions, Ask]]],
    ) -> None:
        """Start the job ``request`` describes, answered as a reply to ``message``; a refusal is a
        reply only its sender is meant to read, which deletes itself."""
        guild_id = message.guild.id if message.guild else None
        server = message.guild.preferred_locale if message.guild else None
        locale = self.bot.languages.of_user(message.author.id, server)
        try:
            options, ask = await request()
            route = Route(
                user_id=message.author.id,
                channel_id=message.channel.id,
                nsfw_action=self._nsfw_action(guild, message.channel),
                reply_to=message.id,
                locale=await self.bot.languages.for_job(guild_id, locale),
            )
            job = self._request(guild_id, guild, message.author, message.channel, options, ask)
            job_id = await self._submit(guild, route, job)
        except UserFacingError as error:
            await refuse_voice_message(message, error.message, locale)
            return
        except Exception:
            log.exception("could not start a job for a message")
            await refuse_voice_message(message, GENERIC_ERROR, locale)
            return
        self.outbox.track(job_id, route)

    # ---- shared ----------------------------------------------------------------------------

    def _request(
        self,
        guild_id: int | None,
        guild: GuildSettings,
        user: discord.abc.User,
        channel: Any,
        options: GenerationOptions,
        ask: Ask,
    ) -> JobRequest:
        """The job, with the server's Whisper model and NSFW checker policy. The audio is not
        downloaded here: the queue fetches it when it listens (and checks the prompt for banned
        words, typed now or heard then)."""
        audio = Upload.of(ask.audio) if isinstance(ask.audio, discord.Attachment) else ask.audio
        safety_check = not (is_nsfw(channel) and guild.checker_off_in_nsfw_channels)
        return JobRequest(
            user_id=user.id,
            user_name=user.display_name,
            guild_id=guild_id,
            channel_id=channel.id if channel is not None else None,
            options=options,
            audio_url=audio.url if audio is not None else None,
            audio_filename=audio.filename if audio is not None else None,
            source=ask.source,
            variation=ask.variation,
            safety_check=safety_check,
            speech_model=guild.whisper_model,
            language=ask.language,
            transcribe_only=ask.transcribe_only,
            parameters=ask.parameters,
            preview=self._preview(guild, channel, safety_check, ask),
        )

    def _preview(
        self, guild: GuildSettings, channel: Any, safety_check: bool, ask: Ask
    ) -> PreviewMode:
        """Live previews: off where the bot or the server turned them off (and for a transcript);
        checked first where the checker runs and this channel hides what it flags."""
        if ask.transcribe_only or not guild.shows_previews(self.bot.settings):
            return "off"
        hidden = safety_check and self._nsfw_action(guild, channel) != "show"
        return "checked" if hidden else "shown"

    async def _submit(self, guild: GuildSettings, route: Route, request: JobRequest) -> str:
        """Record the route, then submit; a refused job leaves no route behind."""
        job_id = new_job_id()
        await self.outbox.record(job_id, route)
        try:
            await self.bot.queue.submit(request, job_id=job_id, user_limit=guild.per_user_limit)
        except BaseException:
            await self.outbox.forget(job_id)
            raise
        return job_id

    def _nsfw_action(self, guild: GuildSettings, channel: Any) -> str:
        """In NSFW channels flagged pictures are shown; elsewhere the server's policy applies."""
        return "show" if is_nsfw(channel) else guild.nsfw(self.bot.settings)
