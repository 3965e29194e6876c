"""Speech to pictures: Whisper hears, Stable Diffusion draws, Discord delivers."""

__version__ = "0.1.0"
