"""Shared fixtures live in tests/support/*; each module registers its own."""

pytest_plugins = [
    "tests.support.audio_clips",
    "tests.support.whisper_model",
    "tests.support.tiny_diffusion",
    "tests.support.tiny_families",
    "tests.support.discord_harness",
    "tests.support.speech_bot",
]
