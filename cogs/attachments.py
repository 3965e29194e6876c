"""The files a job's message carries: its live preview while it draws, then its pictures
(flagged ones left out or as spoilers, as the channel's policy says), split into messages within
Discord's upload limits."""

from __future__ import annotations

import io
from collections.abc import Iterator

import discord

from bot.domain.results import GeneratedImage

MAX_ATTACHMENTS = 10
PREVIEW_FILENAME = "preview.jpg"


def preview_file(preview: bytes) -> discord.File:
    """A job's live preview (a small JPEG), which its embed shows."""
    return discord.File(io.BytesIO(preview), filename=PREVIEW_FILENAME)


def shown_images(
    images: list[GeneratedImage] | tuple[GeneratedImage, ...], nsfw_action: str
) -> list[GeneratedImage]:
    """The pictures that may be posted: flagged ones are left out when the policy withholds them."""
    return [image for image in images if not (image.nsfw and nsfw_action == "withhold")]


def image_files(
    images: list[GeneratedImage] | tuple[GeneratedImage, ...], nsfw_action: str = "show"
) -> list[discord.File]:
    """PNG attachments named after their seeds; flagged ones as spoilers if the policy says so."""
    return [
        discord.File(
            io.BytesIO(image.png),
            filename=image.filename,
            spoiler=image.nsfw and nsfw_action == "spoiler",
        )
        for image in images
    ]


def batches_for_upload(
    images: tuple[GeneratedImage, ...] | list[GeneratedImage], limit_bytes: int
) -> Iterator[list[GeneratedImage]]:
    """Split images into messages that each stay within the upload limit and 10 attachments."""
    batch: list[GeneratedImage] = []
    size = 0
    for image in images:
        if batch and (size + len(image.png) > limit_bytes or len(batch) == MAX_ATTACHMENTS):
            yield batch
            batch, size = [], 0
        batch.append(image)
        size += len(image.png)
    if batch:
        yield batch
