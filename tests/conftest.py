"""Shared fixtures live in tests/support/*; each module registers its own."""

import signal

pytest_plugins = [
    "tests.support.audio_clips",
    "tests.support.whisper_model",
    "tests.support.tiny_diffusion",
    "tests.support.tiny_families",
    "tests.support.discord_harness",
    "tests.support.speech_bot",
    "tests.support.redis_server",
    "tests.support.hang_watchdog",
]

if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    # A shell starts a background job (`pytest … &`, CI runners) with SIGINT ignored, and the bot
    # processes the tests start would inherit that: Ctrl-C tests need it as a terminal has it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
