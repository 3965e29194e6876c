"""Each configured model: where it would load from (a folder, the cache, a download) or why it
cannot (the same sentences and fixes as a start: :class:`bot.engines.hub.ModelSource`), and
whether its weights fit the device.

The size is what a load reads: per component folder, the files of the configured variant (else
the plain ones), safetensors rather than ``.bin``; in memory, its parameters at the dtype it will
run in (weights in files named for fp16/bf16 count 2 bytes a parameter, others 4, Whisper's
CTranslate2 weights 2). Activations come on top: above 80 % of the device's memory is a warning.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings, display_name
from bot.doctor.findings import Finding
from bot.engines.hub import ModelLoadError, ModelSource

GIB = 1024**3
WEIGHTS = re.compile(r"\.(safetensors|bin)$")
PROBE_SECONDS = 5.0


@dataclass(frozen=True)
class Device:
    """Where the models would run: its memory and the bytes a parameter takes there."""

    name: str
    memory: int
    image_bytes: int
    """Per parameter of the image models (2 in float16, 4 in float32)."""
    speech_bytes: int
    """Per parameter of Whisper (2 in float16, 1 in int8)."""


@dataclass(frozen=True)
class _Model:
    source: ModelSource
    variant: str | None
    speech: bool
    shrunk: str = ""
    """How its settings keep it from needing all its weights on the device (offload,
    quantization), if they do."""


async def model_findings(settings: Settings, device: Device) -> AsyncIterator[Finding]:
    for model in _configured(settings):
        if isinstance(model, Finding):
            yield model
        else:
            yield await asyncio.to_thread(_examine, model, settings, device)


def _configured(settings: Settings) -> Iterator[_Model | Finding]:
    """Every model a start or a job may load: the image models and their inpainting models,
    the Whisper model and, for one that cannot translate, its translation model."""
    from bot.engines.whisper import whisper_source

    image = settings.image
    for name, model in image.choices.items():
        key = "image.model" if name == image.display_name else f"image.models.{name}.source"
        source = ModelSource(
            "image model", model.source, key, "", image.cache_dir, "model_index.json"
        )
        shrunk = [f"offload = {model.offload!r}"] if model.offload != "none" else []
        shrunk += ["quantization"] if model.quantization else []
        yield _Model(source, model.variant, speech=False, shrunk=" and ".join(shrunk))
    for model in image.inpainters.values():
        source = ModelSource("inpainting model", model.source, "inpaint_model", "", image.cache_dir, "model_index.json")  # fmt: skip
        yield _Model(source, None, speech=False)
    speech = settings.speech
    names = [speech.model]
    if "turbo" in speech.model.lower():
        names.append(speech.translation_model or "medium")
    for name in names:
        source = speech.choices.get(name, name)
        if speech.backend == "openai-whisper" or Path(source).expanduser().exists():
            yield _Model(ModelSource("Whisper model", source, "speech.model"), None, speech=True)
            continue
        try:
            yield _Model(whisper_source(speech, source), None, speech=True)
        except ModelLoadError as error:
            yield Finding("model", "FAIL", str(error), error.fix)


def _examine(model: _Model, settings: Settings, device: Device) -> Finding:
    source = model.source
    what = f"{source.what} {display_name(source.setting)}"
    if model.speech and settings.speech.backend == "openai-whisper":
        return Finding("model", "ok", f"{what}: openai-whisper downloads it on first use")
    local = settings.speech.local_files_only if model.speech else settings.image.local_files_only
    try:
        source.check(local_files_only=local)
    except ModelLoadError as error:
        return Finding("model", "FAIL", str(error), error.fix)
    folder = Path(source.setting).expanduser()
    if folder.is_dir():
        where, files = "a local folder", _folder_files(folder)
    elif (cached := source.cached_folder()) is not None:
        where, files = "downloaded", _folder_files(cached)
    else:
        where, files = "not downloaded yet: the first start downloads it", _hub_files(source)
    return _fits(what, where, files, model, device)


def _fits(what: str, where: str, files: dict[str, int], model: _Model, device: Device) -> Finding:
    size = weights_size(files, model.variant, model.speech)
    if not size:
        return Finding("model", "ok", f"{what}: {where}")
    stored = 2 if model.speech or model.variant in ("fp16", "bf16") else 4
    loaded = size // stored * (device.speech_bytes if model.speech else device.image_bytes)
    said = f"{what}: {where}, {size / GIB:.1f} GiB, about {loaded / GIB:.1f} GiB on {device.name}"
    if model.shrunk:
        return Finding("model", "ok", f"{said} at most ({model.shrunk})")
    if loaded > device.memory:
        fix = 'set offload = "model" or a quantization for it, or choose a smaller model'
        return Finding("model", "FAIL", f"{said}, which has {device.memory / GIB:.1f} GiB", fix)
    if loaded > 0.8 * device.memory:
        fix = "drawing needs memory beyond the weights: expect out-of-memory errors"
        return Finding("model", "warn", f"{said} of {device.memory / GIB:.1f} GiB", fix)
    return Finding("model", "ok", said)


def weights_size(files: dict[str, int], variant: str | None, speech: bool) -> int:
    """The bytes a load reads (see the module's docstring)."""
    if speech:
        return files.get("model.bin", 0)
    folders: defaultdict[str, dict[str, int]] = defaultdict(dict)
    for name, size in files.items():
        folder, _, file = name.rpartition("/")
        if folder and WEIGHTS.search(file):  # the root holds single-file checkpoints, unused
            folders[folder][file] = size
    total = 0
    for weights in folders.values():
        chosen = {f: s for f, s in weights.items() if _variant(f) == variant} or {
            f: s for f, s in weights.items() if _variant(f) is None
        }
        safe = {f: s for f, s in chosen.items() if f.endswith(".safetensors")}
        total += sum((safe or chosen).values())
    return total


def _variant(file: str) -> str | None:
    """``fp16`` of ``diffusion_pytorch_model.fp16.safetensors``; None for the plain files."""
    parts = file.split(".")
    return parts[-2] if len(parts) >= 3 else None


def _folder_files(folder: Path) -> dict[str, int]:
    return {
        path.relative_to(folder).as_posix(): path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file()
    }


def _hub_files(source: ModelSource) -> dict[str, int]:
    from huggingface_hub import HfApi

    try:
        info = HfApi().model_info(
            source.repo_id or source.setting, files_metadata=True, timeout=PROBE_SECONDS
        )
    except Exception:  # the size is a nicety: the check above said the hub has it
        return {}
    return {s.rfilename: s.size or 0 for s in info.siblings or []}
