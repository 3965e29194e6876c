"""A tiny Stable Diffusion 1.5-style pipeline with random weights, saved to disk like a real model.

Same layout as ``stable-diffusion-v1-5`` (UNet, VAE with 8× downsampling, CLIP text encoder and
tokenizer, PNDM scheduler), only a few dozen channels wide, so the production loader runs on it
offline and a 64×64 image takes a fraction of a second on a CPU.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.config import ImageSettings

WORDS = "a an the of in on with and red blue green cat dog astronaut horse moon city photo painting"
SPECIAL = ["<|startoftext|>", "<|endoftext|>"]

# stable-diffusion-v1-5/scheduler/scheduler_config.json
SD15_SCHEDULER = {
    "beta_start": 0.00085,
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "num_train_timesteps": 1000,
    "set_alpha_to_one": False,
    "skip_prk_steps": True,
    "steps_offset": 1,
}


def write_tiny_clip_tokenizer(folder: Path) -> int:
    """Write a byte-level BPE vocabulary (every byte, plus whole words from ``WORDS``).

    Returns the vocabulary size.
    """
    from tokenizers.pre_tokenizers import ByteLevel

    symbols = sorted(ByteLevel.alphabet())
    vocab = symbols + [symbol + "</w>" for symbol in symbols]
    merges = []
    for word in WORDS.split():
        merged = word[0]
        for position, char in enumerate(word[1:], start=1):
            last = position == len(word) - 1
            part = char + "</w>" if last else char
            merges.append(f"{merged} {part}")
            merged += part
            if merged not in vocab:
                vocab.append(merged)
    vocab += SPECIAL
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.json").write_text(json.dumps({token: i for i, token in enumerate(vocab)}))
    (folder / "merges.txt").write_text("#version: 0.2\n" + "\n".join(dict.fromkeys(merges)) + "\n")
    return len(vocab)


def write_tiny_t5_tokenizer(folder: Path, max_length: int = 512) -> int:
    """Write a T5-style tokenizer: a Unigram model over ``WORDS`` and single characters, a
    Metaspace pre-tokenizer and ``</s>`` after each text (``T5TokenizerFast``, saved with
    ``save_pretrained``). Returns the vocabulary size."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import T5TokenizerFast

    pieces = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    pieces += [("▁" + word, -1.0) for word in WORDS.split()]
    pieces += [(char, -5.0) for char in "▁abcdefghijklmnopqrstuvwxyz0123456789.,!?'-"]
    tokenizer = Tokenizer(models.Unigram(pieces, unk_id=2, byte_fallback=False))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(prepend_scheme="always")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="$A </s>", pair="$A </s> $B </s>", special_tokens=[("</s>", 1)]
    )
    folder.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(folder / "tokenizer.json"))
    T5TokenizerFast(
        tokenizer_file=str(folder / "tokenizer.json"),
        eos_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
        extra_ids=0,
        model_max_length=max_length,
    ).save_pretrained(folder)
    return len(pieces)


def tiny_clip_encoder(
    tokenizer: Any, vocab_size: int, hidden: int = 32, projection: int = 0
) -> Any:
    """A two-layer CLIP text encoder (``projection``: with a text projection, as SDXL's second
    encoder and SD3's are)."""
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    config = CLIPTextConfig(
        vocab_size=vocab_size,
        hidden_size=hidden,
        intermediate_size=2 * hidden,
        num_hidden_layers=2,
        num_attention_heads=4,
        max_position_embeddings=77,
        projection_dim=projection or hidden,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    return CLIPTextModelWithProjection(config) if projection else CLIPTextModel(config)


def tiny_vae(latent_channels: int = 4, **scaling: Any) -> Any:
    """An ``AutoencoderKL`` with the real models' 8× downsampling (four blocks), a few channels
    wide; ``scaling``: the family's ``scaling_factor``/``shift_factor`` and quant-conv switches."""
    from diffusers import AutoencoderKL

    return AutoencoderKL(
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4,
        block_out_channels=(8, 16, 16, 16),
        layers_per_block=1,
        latent_channels=latent_channels,
        norm_num_groups=8,
        sample_size=64,
        **scaling,
    )


def build_tiny_sd(
    folder: Path, channels: tuple[int, int] = (32, 64), seed: int = 0, inpainting: bool = False
) -> None:
    """Build the tiny pipeline (deterministic: seeded) and ``save_pretrained`` it into ``folder``;
    ``channels`` are the UNet's block widths (another shape: another model). ``inpainting``: an
    SD 1.5 inpainting-style pipeline instead, its UNet taking 9 channels (latents, mask, masked
    picture's latents)."""
    import torch
    from diffusers import (
        PNDMScheduler,
        StableDiffusionInpaintPipeline,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTokenizer

    vocab_size = write_tiny_clip_tokenizer(folder / "tokenizer")
    tokenizer = CLIPTokenizer.from_pretrained(folder / "tokenizer", model_max_length=77)

    torch.manual_seed(seed)
    unet = UNet2DConditionModel(
        sample_size=8,
        in_channels=9 if inpainting else 4,
        out_channels=4,
        block_out_channels=channels,
        layers_per_block=1,
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        cross_attention_dim=32,
        attention_head_dim=8,
        norm_num_groups=8,
    )
    vae = tiny_vae()
    text_encoder = tiny_clip_encoder(tokenizer, vocab_size)
    kind = StableDiffusionInpaintPipeline if inpainting else StableDiffusionPipeline
    pipeline = kind(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
        scheduler=PNDMScheduler(**SD15_SCHEDULER),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipeline.save_pretrained(folder)


def build_random_lora(source: Path, folder: Path, seed: int = 1) -> None:
    """Save LoRA weights (rank 4, random: not the usual zero start) for the denoiser (UNet or
    transformer) of the tiny pipeline in ``source``, in the diffusers format its pipeline's
    ``load_lora_weights`` reads."""
    import diffusers
    import torch
    from diffusers.utils import convert_state_dict_to_diffusers
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    index = json.loads((source / "model_index.json").read_text())
    denoiser = "unet" if "unet" in index else "transformer"
    model = getattr(diffusers, index[denoiser][1]).from_pretrained(source / denoiser)
    torch.manual_seed(seed)
    targets = ["to_q", "to_k", "to_v", "to_out.0"]
    model.add_adapter(
        LoraConfig(r=4, lora_alpha=4, target_modules=targets, init_lora_weights=False)
    )
    layers = get_peft_model_state_dict(model)
    if denoiser == "unet":
        layers = convert_state_dict_to_diffusers(layers)
    pipeline = getattr(diffusers, index["_class_name"])
    pipeline.save_lora_weights(folder, **{f"{denoiser}_lora_layers": layers})


def add_flagging_safety_checker(source: Path, folder: Path) -> None:
    """Save a copy of the pipeline in ``source`` with a tiny safety checker that flags every image.

    The checker is diffusers' own ``StableDiffusionSafetyChecker``; only its thresholds are set so
    that every cosine score counts as a bad concept.
    """
    import torch
    from diffusers import StableDiffusionPipeline
    from diffusers.pipelines.stable_diffusion.safety_checker import StableDiffusionSafetyChecker
    from transformers import CLIPConfig, CLIPImageProcessor

    torch.manual_seed(0)
    vision = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 1}
    vision |= {"num_attention_heads": 4, "image_size": 32, "patch_size": 8}
    checker = StableDiffusionSafetyChecker(
        CLIPConfig(vision_config=vision, text_config={"hidden_size": 32}, projection_dim=16)
    )
    checker.concept_embeds_weights.data.fill_(-2.0)  # cosine − threshold > 0 always: flagged
    checker.special_care_embeds_weights.data.fill_(2.0)
    components = StableDiffusionPipeline.from_pretrained(source).components
    components |= {
        "safety_checker": checker,
        "feature_extractor": CLIPImageProcessor(size=32, crop_size=32),
        "requires_safety_checker": True,
    }
    StableDiffusionPipeline(**components).save_pretrained(folder)


@pytest.fixture(scope="session")
def tiny_sd_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the tiny pipeline, loadable with ``from_pretrained``."""
    folder = tmp_path_factory.mktemp("tiny-sd")
    build_tiny_sd(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_sd_nsfw_dir(tiny_sd_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny pipeline plus a safety checker that flags every image as NSFW."""
    folder = tmp_path_factory.mktemp("tiny-sd-nsfw")
    add_flagging_safety_checker(tiny_sd_dir, folder)
    return folder


@pytest.fixture(scope="session")
def tiny_sd_narrow_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second tiny pipeline of another shape (narrower UNet, other weights)."""
    folder = tmp_path_factory.mktemp("tiny-sd-narrow")
    build_tiny_sd(folder, channels=(16, 32), seed=5)
    return folder


@pytest.fixture(scope="session")
def tiny_sd_inpaint_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny inpainting pipeline (9-channel UNet, other weights), as a folder named like one."""
    folder = tmp_path_factory.mktemp("tiny-sd-inpainting")
    build_tiny_sd(folder, seed=7, inpainting=True)
    return folder


@pytest.fixture(scope="session")
def tiny_lora_dir(tiny_sd_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Random LoRA weights for the tiny pipeline's UNet."""
    folder = tmp_path_factory.mktemp("tiny-lora")
    build_random_lora(tiny_sd_dir, folder)
    return folder


@pytest.fixture(scope="session")
def image_settings(tiny_sd_dir: Path) -> ImageSettings:
    return ImageSettings(
        model=str(tiny_sd_dir), device="cpu", dtype="float32", local_files_only=True
    )


@pytest.fixture(scope="session")
def image_generator(image_settings: ImageSettings):
    """One loaded generator shared by the session (loading is the slow part of real use)."""
    from bot.engines.imaging import ImageGenerator

    generator = ImageGenerator(image_settings)
    yield generator
    generator.close()
