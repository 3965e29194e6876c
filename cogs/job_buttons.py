"""The buttons on a job's message, as persistent ``DynamicItem``s (their custom_id carries the job,
so they keep working after a restart; the ``Buttons`` cog does the work), and the views that
lay them out within Discord's 5 rows of 5."""

from __future__ import annotations

import re
from typing import ClassVar

import discord

from bot.domain.results import GeneratedImage
from cogs.i18n.catalog import ENGLISH_TEXTS, Texts


class JobButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"s2i:(?P<action>reroll|vary|upscale|zoom|pan|square|edit|delete|cancel|draw):"
    r"(?P<job_id>[0-9a-f]+)(?::(?P<index>[0-9]+))?(?::(?P<arg>[a-z0-9.]+))?",
):
    """A button on a job's message. Its custom_id (``s2i:<action>:<job>[:<index>[:<arg>]]``)
    carries the job, the action, the picture and its argument (a strength: ``subtle``,
    ``strong``, ``creative``; a zoom factor or ``custom``; a pan direction), so it keeps working
    after a restart; the ``Buttons`` cog does the work."""

    LOOKS: ClassVar[dict[str, tuple[str | None, str | None, discord.ButtonStyle]]] = {
        "reroll": ("button-reroll", "🎲", discord.ButtonStyle.secondary),
        "edit": ("button-edit", "✏️", discord.ButtonStyle.secondary),
        "delete": ("button-delete", "🗑️", discord.ButtonStyle.danger),
        "cancel": ("button-cancel", "🚫", discord.ButtonStyle.secondary),
        "vary": ("button-vary", None, discord.ButtonStyle.primary),
        "upscale": ("button-upscale", None, discord.ButtonStyle.success),
        "vary:subtle": ("button-vary-subtle", "🪄", discord.ButtonStyle.primary),
        "vary:strong": ("button-vary-strong", "🪄", discord.ButtonStyle.primary),
        "upscale:subtle": ("button-upscale-subtle", "⬆️", discord.ButtonStyle.success),
        "upscale:creative": ("button-upscale-creative", "⬆️", discord.ButtonStyle.success),
        "zoom:2": ("button-zoom", "🔍", discord.ButtonStyle.secondary),
        "zoom:1.5": ("button-zoom", "🔍", discord.ButtonStyle.secondary),
        "zoom:custom": ("button-zoom-custom", "🔍", discord.ButtonStyle.secondary),
        "square": ("button-square", "↔️", discord.ButtonStyle.secondary),
        "pan:left": (None, "⬅️", discord.ButtonStyle.secondary),
        "pan:right": (None, "➡️", discord.ButtonStyle.secondary),
        "pan:up": (None, "⬆️", discord.ButtonStyle.secondary),
        "pan:down": (None, "⬇️", discord.ButtonStyle.secondary),
        "draw": ("button-draw", "🎨", discord.ButtonStyle.primary),
    }
    """A label is a catalog key; its ``$number`` is the picture's, its ``$factor`` the zoom's."""

    def __init__(
        self,
        action: str,
        job_id: str,
        index: int | None = None,
        row: int = 0,
        arg: str | None = None,
        t: Texts = ENGLISH_TEXTS,
    ) -> None:
        looks = self.LOOKS.get(action if arg is None else f"{action}:{arg}")
        key, emoji, style = looks or (None, None, discord.ButtonStyle.secondary)  # a stale id
        factor = float(arg) if action == "zoom" and arg in ZOOMS else 0
        custom_id = f"s2i:{action}:{job_id}" + (f":{index}" if index is not None else "")
        custom_id += f":{arg}" if arg is not None else ""
        number = (index or 0) + 1
        super().__init__(
            discord.ui.Button(
                label=t(key, number=number, factor=factor) if key else None,
                emoji=emoji,
                style=style,
                custom_id=custom_id,
                row=row,
            )
        )
        self.action, self.job_id, self.index, self.arg = action, job_id, index, arg

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> JobButton:
        index = match["index"]
        return cls(
            match["action"], match["job_id"], int(index) if index else None, arg=match["arg"]
        )

    async def callback(self, interaction: discord.Interaction) -> None:
        buttons = interaction.client.get_cog("Buttons")  # type: ignore[attr-defined]
        await buttons.press(interaction, self)


ZOOMS = ("2", "1.5")
PANS = ("left", "right", "up", "down")
VARY_MODES = ("subtle", "strong")
UPSCALE_MODES = ("subtle", "creative")


def result_view(
    job_id: str, images: list[GeneratedImage], t: Texts = ENGLISH_TEXTS, rows: int = 4
) -> discord.ui.View:
    """🎲 ✏️ 🗑️, then, as Midjourney lays them out: on a grid V1…Vn and U1…Un, one per picture;
    on a single picture Vary (Subtle) (Strong) and Upscale (Subtle) (Creative) on a row, zoom
    out 2×/1.5×, Custom Zoom and, when it is not square, Make Square on the next, then pan
    ⬅➡⬆⬇. Each group starts a row of its own (five a row) while they fit in ``rows`` (row 4 is
    the language choice's), else they are packed."""
    if len(images) == 1:
        pictures = _single_picture(job_id, images[0], t)
    else:
        pictures = [
            [JobButton(a, job_id, image.index, t=t) for image in images]
            for a in ("vary", "upscale")
        ]
    actions = ("reroll", "edit", "delete")
    groups = [[JobButton(action, job_id, t=t) for action in actions], *pictures]
    view = discord.ui.View(timeout=None)
    for row, buttons in enumerate(_rows([group for group in groups if group], rows)):
        for button in buttons:
            button.row = row
            view.add_item(button)
    return view


def _single_picture(job_id: str, image: GeneratedImage, t: Texts) -> list[list[JobButton]]:
    index = image.index
    strengths = [JobButton("vary", job_id, index, arg=mode, t=t) for mode in VARY_MODES]
    strengths += [JobButton("upscale", job_id, index, arg=mode, t=t) for mode in UPSCALE_MODES]
    zooms = [JobButton("zoom", job_id, index, arg=arg, t=t) for arg in (*ZOOMS, "custom")]
    if image.size is not None and image.size[0] != image.size[1]:
        zooms.append(JobButton("square", job_id, index, t=t))
    pans = [JobButton("pan", job_id, index, arg=way, t=t) for way in PANS]
    return [strengths, zooms, pans]


def _rows(groups: list[list[JobButton]], rows: int) -> list[list[JobButton]]:
    """The buttons five a row, each group on rows of its own when that fits in ``rows``."""
    own = [group[start : start + 5] for group in groups for start in range(0, len(group), 5)]
    if len(own) <= rows:
        return own
    packed = [button for group in groups for button in group]
    return [packed[start : start + 5] for start in range(0, len(packed), 5)]


def transcript_view(job_id: str, t: Texts = ENGLISH_TEXTS) -> discord.ui.View:
    """🎨 draw what was heard as it is, or ✏️ after an edit (the original app's check-then-draw)."""
    view = discord.ui.View(timeout=None)
    view.add_item(JobButton("draw", job_id, t=t))
    view.add_item(JobButton("edit", job_id, t=t))
    return view


def waiting_view(job_id: str, t: Texts = ENGLISH_TEXTS) -> discord.ui.View:
    """A cancel button while the job waits or runs."""
    view = discord.ui.View(timeout=None)
    view.add_item(JobButton("cancel", job_id, t=t))
    return view
