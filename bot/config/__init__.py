"""Typed settings: ``config/bot.toml`` (or ``$S2I_CONFIG``) plus environment overrides.

Environment variables use the prefix ``S2I_`` and ``__`` between levels, e.g.
``S2I_SPEECH__MODEL=small`` or ``S2I_LIMITS__MAX_STEPS=50``. The Discord token comes only from
``DISCORD_TOKEN`` or the file named by ``discord.token_file``; it is a secret and never logged.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from bot.config.image import (
    FamilyName,
    FastLoraSettings,
    GuidanceKind,
    ImageSettings,
    LoraSettings,
    ModelSettings,
    QuantizationSettings,
    SamplerName,
)
from bot.config.names import _Section, display_name, is_a_path

__all__ = [
    "FamilyName",
    "FastLoraSettings",
    "GuidanceKind",
    "ImageSettings",
    "LoraSettings",
    "ModelSettings",
    "QuantizationSettings",
    "SamplerName",
    "display_name",
    "is_a_path",
]

DEFAULT_CONFIG_PATH = Path("config/bot.toml")
MIB = 1024 * 1024


class SpeechSettings(_Section):
    backend: Literal["faster-whisper", "openai-whisper"] = "faster-whisper"
    model: str = "medium"
    """base, small, medium, large-v3, large-v3-turbo, or a local model folder/checkpoint."""
    translation_model: str | None = None
    """Model used for translation when ``model`` cannot translate (large-v3-turbo); default medium."""
    device: Literal["auto", "cpu", "cuda"] = "auto"
    compute_type: str = "auto"
    """auto: float16 on CUDA, int8 on CPU. Any CTranslate2 compute type otherwise."""
    cpu_threads: int = Field(default=0, ge=0)
    """CPU threads per speech worker (model replica); 0: the cores shared out among
    ``queue.speech_workers`` (one each on 2 cores, where a decoder step takes 3.6 ms on one thread
    and 8.9 ms on two)."""
    download_root: Path | None = None
    local_files_only: bool = False
    beam_size: int = Field(default=1, ge=1, le=10)
    max_new_tokens: int = Field(default=128, ge=8, le=440)
    """Cap on tokens decoded per 30 s window (stops runaway repetition)."""
    temperatures: tuple[float, ...] = (0.0,)
    """Whisper's temperature fallback: a window that fails its checks (a loop, unlikely text,
    more words than its seconds of speech hold) is decoded again with beam search at 0, then
    sampled at each temperature above 0 listed here (Whisper's: 0, 0.2, 0.4, 0.6, 0.8, 1.0).
    Off by default: a sampled text depends on the random state of the replica's thread (not
    on the clip alone, as batching promises) and cost 5 hypotheses a temperature on the poor
    clips where it rarely helped (``bench/speech.py --temperatures``)."""
    no_speech_threshold: float = Field(default=0.6, gt=0, lt=1)
    vad: bool = True
    """Drop non-speech with faster-whisper's Silero VAD before decoding."""
    min_language_probability: float = Field(default=0.5, ge=0, le=1)
    """Below this, the language guess is reported as uncertain."""
    fit_context: bool = False
    """Encode a window fitted to the speech (10, 20 or 30 s) instead of always Whisper's 30 s:
    about 7 times less encoding on a CPU for a 10 s window, but the model hears some clips
    worse than in the window it was trained on (up to 0.20 more word error on a clip; on
    average no worse), so off by default (``bench/speech.py``)."""
    refit_below: float = Field(default=0.5, ge=0, le=1)
    """A clip whose language the fitted window names with less confidence than this is encoded
    again in the next larger window (10 s → 20 s → 30 s; 0: never)."""
    batch_wait_ms: int = Field(default=20, ge=0, le=1000)
    """How long a clip waits for others to share its batch (encode and decode together)."""
    batch_clips: int = Field(default=8, ge=1, le=64)
    """At most this many clips per batch."""
    choices: dict[str, str] = Field(default_factory=dict)
    """Where each model a server may pick in /settings comes from (name → id or local path);
    a name not listed is passed to the backend as it is."""
    max_resident_models: int = Field(default=2, ge=1)
    """Whisper models kept loaded at once when servers pick different ones (least recent leaves)."""


class GenerationDefaults(_Section):
    negative_prompt: str = ""
    guidance: float = 7.0
    steps: int = 25
    count: int = 2
    width: int = 512
    height: int = 512
    variation_strength: float = Field(default=0.6, ge=0.05, le=1.0)
    """How far a variation (V1…V8 and Vary (Strong)) moves from its picture: 0 keeps it, 1
    ignores it."""
    subtle_variation_strength: float = Field(default=0.3, ge=0.05, le=1.0)
    """How far Vary (Subtle) moves from its picture."""
    upscale_strength: float = Field(default=0.35, ge=0.05, le=1.0)
    """How far an upscale (U1…U8) redraws the enlarged picture (low: keeps it, adds detail)."""
    subtle_upscale_strength: float = Field(default=0.2, ge=0.05, le=1.0)
    """Upscale (Subtle): the enlarged picture barely redrawn (sharper, the same picture)."""
    creative_upscale_strength: float = Field(default=0.5, ge=0.05, le=1.0)
    """Upscale (Creative): the enlarged picture redrawn more freely (new detail)."""
    image_prompt_strength: float = Field(default=0.75, ge=0.05, le=1.0)
    """How far a drawing from the user's own picture moves from it, when not given."""
    remix_strength: float = Field(default=0.6, ge=0.05, le=1.0)
    """How far a remix (a voice reply to a result of one picture) moves from that picture."""
    remix_mode: bool = False
    """Remix mode for users who did not choose (``/remix``) where the server did not either
    (``/settings remix_mode``): a variation or re-roll opens its prompt for editing first."""


class PolicySettings(_Section):
    banned_words: list[str] = Field(default_factory=list)
    """Prompts containing one of these words (any case) are refused, in every server."""
    nsfw_action: Literal["withhold", "spoiler"] = "withhold"
    """What happens to a picture the safety checker flags, outside NSFW channels (per-server
    setting's default)."""


class Limits(_Section):
    max_audio_seconds: float = Field(default=120.0, gt=0)
    max_audio_bytes: int = Field(default=25 * MIB, gt=0)
    ffmpeg_timeout_seconds: float = Field(default=30.0, gt=0)
    max_prompt_chars: int = Field(default=1000, gt=0)
    min_guidance: float = 1.0
    max_guidance: float = 20.0
    max_steps: int = Field(default=100, ge=1)
    max_count: int = Field(default=8, ge=1, le=10)
    max_side: int = Field(default=1024, ge=64)
    min_side: int = Field(default=256, ge=8)
    max_picture_bytes: int = Field(default=10 * MIB, gt=0)
    """An image prompt's file size limit (PNG, JPEG or WebP)."""
    max_picture_pixels: int = Field(default=4096 * 4096, gt=0)
    """An image prompt's pixel count limit, checked from its header before decoding."""

    @model_validator(mode="after")
    def _ordered(self) -> Limits:
        if self.min_guidance > self.max_guidance:
            raise ValueError("min_guidance must not exceed max_guidance")
        if self.min_side > self.max_side or self.min_side % 8 or self.max_side % 8:
            raise ValueError("min_side and max_side must be multiples of 8, min ≤ max")
        return self


class DiscordSettings(_Section):
    token_file: Path | None = None
    """A file holding the bot token (Docker/Kubernetes secrets); ``DISCORD_TOKEN`` wins."""
    sync_guild: int | None = None
    """Sync slash commands to this guild at once (development); otherwise globally."""
    auto_voice: bool = False
    """Turn every voice message into a job (needs the message-content intent)."""
    message_content_intent: bool | None = None
    """Ask Discord for the privileged Message Content intent (enable it in the Developer Portal
    first); None: only when ``auto_voice`` is on. Servers can turn auto mode on with /settings
    only when it is asked for."""
    auto_voice_channels: list[int] = Field(default_factory=list)
    """Channels where auto mode listens; empty means every channel the bot can see."""
    progress_edit_seconds: float = Field(default=1.5, ge=0.2)
    """Minimum time between two edits of a job's message (Discord rate limits)."""
    position_edits_per_second: float = Field(default=5.0, gt=0)
    """Queue-position edits of all waiting jobs together stay near this rate."""
    upload_limit_bytes: int = Field(default=10 * MIB, gt=0)
    api_base: Annotated[str, Field(pattern=r"^https?://[^/\s]+(/\S*)?$")] | None = None
    """Discord's REST API at another base URL, version included (``http://nirn-proxy:8080/api/v10``):
    a REST proxy that shares one rate limit among processes (nirn-proxy, twilight-http-proxy).
    The gateway is the one this base names in ``GET /gateway/bot``. None: discord.com."""


class QueueSettings(_Section):
    backend: Literal["embedded", "redis"] = "embedded"
    """embedded: this process runs the models; redis: ``python -m bot worker`` processes do."""
    redis_url: str = "redis://127.0.0.1:6379/0"
    max_size: int = Field(default=100, ge=1)
    per_user_limit: int = Field(default=3, ge=1)
    speech_workers: int = Field(default=2, ge=1)
    blob_dir: Path | None = None
    """redis backend: a folder shared by the bot and every worker (a network mount); results over
    ``blob_threshold_bytes`` travel through it instead of Redis. None: every result through Redis."""
    blob_threshold_bytes: int = Field(default=1_048_576, ge=0)


class MetricsSettings(_Section):
    enabled: bool = True
    host: str = "0.0.0.0"
    port: int = Field(default=9100, ge=0, le=65535)
    """``GET /healthz`` and ``GET /metrics`` (Prometheus) are served here; 0 picks a free port."""
    loop_lag_warn_seconds: float = Field(default=0.5, gt=0)
    """The event loop blocked longer than this (by this process, not by a busy machine) is
    logged; every probe is in the ``event_loop_lag`` and ``event_loop_blocked`` histograms."""


class StoreSettings(_Section):
    path: Path = Path("data/jobs.sqlite3")


class ShutdownSettings(_Section):
    """A graceful stop (SIGTERM, SIGINT): its parts, and so its bound."""

    draw_grace_seconds: float = Field(default=15.0, ge=0)
    """The running draw may finish for this long, then it is interrupted and runs after the restart."""
    flush_seconds: float = Field(default=8.0, ge=0)
    """Then job messages get this long to show their latest state (the rest after the restart)."""
    margin_seconds: float = Field(default=5.0, ge=1)
    """For the rest: an interrupted draw to notice, the connections and the store to close."""

    @property
    def bound_seconds(self) -> float:
        """The process has exited by this many seconds after the first signal, whatever it was
        doing (a model loading, Discord unreachable, a slow store)."""
        return self.draw_grace_seconds + self.flush_seconds + self.margin_seconds


class Settings(BaseSettings):
    """Every setting of the bot, the local ``imagine`` command and the workers."""

    model_config = SettingsConfigDict(
        env_prefix="S2I_", env_nested_delimiter="__", extra="forbid", toml_file=None
    )

    speech: SpeechSettings = Field(default_factory=SpeechSettings)
    image: ImageSettings = Field(default_factory=ImageSettings)
    defaults: GenerationDefaults = Field(default_factory=GenerationDefaults)
    limits: Limits = Field(default_factory=Limits)
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    queue: QueueSettings = Field(default_factory=QueueSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    shutdown: ShutdownSettings = Field(default_factory=ShutdownSettings)
    policy: PolicySettings = Field(default_factory=PolicySettings)
    log_level: str = "INFO"

    @model_validator(mode="after")
    def _defaults_within_limits(self) -> Settings:
        d, lim = self.defaults, self.limits
        checks = {
            "defaults.guidance": lim.min_guidance <= d.guidance <= lim.max_guidance,
            "defaults.steps": 1 <= d.steps <= lim.max_steps,
            "defaults.count": 1 <= d.count <= lim.max_count,
            "defaults.width": lim.min_side <= d.width <= lim.max_side and d.width % 8 == 0,
            "defaults.height": lim.min_side <= d.height <= lim.max_side and d.height % 8 == 0,
        }
        bad = [key for key, ok in checks.items() if not ok]
        if bad:
            raise ValueError(f"outside the configured limits: {', '.join(bad)}")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = Path(os.environ.get("S2I_CONFIG", DEFAULT_CONFIG_PATH))
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls, path))

    def discord_token(self) -> SecretStr:
        """The bot token from ``DISCORD_TOKEN`` or ``discord.token_file``."""
        token = os.environ.get("DISCORD_TOKEN", "").strip()
        where = "the bot's token is on https://discord.com/developers/applications → Bot"
        if not token and self.discord.token_file:
            try:
                token = self.discord.token_file.read_text().strip()
            except OSError as error:
                raise ConfigError(
                    f"discord.token_file {self.discord.token_file} cannot be read "
                    f"({error.strerror}): fix the path or its permissions, or set DISCORD_TOKEN"
                ) from None
        if not token:
            raise ConfigError(
                f"no Discord token: set DISCORD_TOKEN or discord.token_file ({where})"
            )
        return SecretStr(token)


class ConfigError(RuntimeError):
    """Settings that cannot start the bot; the message names the offending key."""


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings; raise :class:`ConfigError` naming each bad key."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            key = ".".join(str(part) for part in problem["loc"]) or "settings"
            lines.append(f"  {key}: {problem['msg']} (got {problem.get('input')!r})")
        raise ConfigError("invalid settings:\n" + "\n".join(lines)) from None
