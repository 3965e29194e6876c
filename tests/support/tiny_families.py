"""Tiny random-weight pipelines of every family the bot runs (SD 1.5, SDXL, SD3, FLUX.1), saved
like real models, built once per test session.

Each has its family's real layout, as diffusers' own tests build them (``get_dummy_components``
of ``StableDiffusionXLPipeline``, ``StableDiffusion3Pipeline``, ``FluxPipeline``), with the real
models' 8× VAE, latent channels, patch sizes and schedulers, only a few dozen channels wide:
SDXL's two CLIP encoders and text-time UNet, SD3's three text encoders (two CLIP, one T5) and
patch-2 transformer, FLUX.1's CLIP + T5 and packed latents (sides in multiples of 16), its
guidance embedding and its dynamically shifted flow-matching scheduler. Tokenizers are written
here; nothing is downloaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.tiny_diffusion import (
    build_tiny_sd,
    tiny_clip_encoder,
    tiny_vae,
    write_tiny_clip_tokenizer,
    write_tiny_t5_tokenizer,
)

FAMILIES = ("sd15", "sdxl", "sd3", "flux")
"""The families every end-to-end test runs on."""

# stable-diffusion-xl-base-1.0/scheduler/scheduler_config.json
SDXL_SCHEDULER = {
    "beta_start": 0.00085,
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "num_train_timesteps": 1000,
    "steps_offset": 1,
    "timestep_spacing": "leading",
    "interpolation_type": "linear",
    "prediction_type": "epsilon",
}
# FLUX.1-dev/scheduler/scheduler_config.json (schnell: shift 1, no dynamic shifting)
FLUX_SCHEDULER = {
    "shift": 3.0,
    "use_dynamic_shifting": True,
    "base_shift": 0.5,
    "max_shift": 1.15,
    "base_image_seq_len": 256,
    "max_image_seq_len": 4096,
}


def _tokenizers(folder: Path) -> tuple[Any, int, Any, int]:
    """A CLIP tokenizer and a T5 tokenizer, with their vocabulary sizes."""
    from transformers import CLIPTokenizer, T5TokenizerFast

    clip_size = write_tiny_clip_tokenizer(folder / "clip")
    t5_size = write_tiny_t5_tokenizer(folder / "t5")
    clip = CLIPTokenizer.from_pretrained(folder / "clip", model_max_length=77)
    return clip, clip_size, T5TokenizerFast.from_pretrained(folder / "t5"), t5_size


def _t5_encoder(vocab_size: int, width: int = 32) -> Any:
    from transformers import T5Config, T5EncoderModel

    config = T5Config(
        vocab_size=vocab_size,
        d_model=width,
        d_kv=8,
        d_ff=2 * width,
        num_layers=2,
        num_heads=4,
        relative_attention_num_buckets=8,
        pad_token_id=0,
        eos_token_id=1,
    )
    return T5EncoderModel(config)


def build_tiny_sdxl(folder: Path, scratch: Path) -> None:
    import torch
    from diffusers import EulerDiscreteScheduler, StableDiffusionXLPipeline, UNet2DConditionModel

    clip, clip_size, _, _ = _tokenizers(scratch)
    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        sample_size=8,
        in_channels=4,
        out_channels=4,
        block_out_channels=(32, 64),
        layers_per_block=1,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        attention_head_dim=(2, 4),
        use_linear_projection=True,
        addition_embed_type="text_time",
        addition_time_embed_dim=8,
        transformer_layers_per_block=(1, 1),
        projection_class_embeddings_input_dim=6 * 8 + 32,  # six size ids + the pooled text
        cross_attention_dim=64,  # both encoders' hidden states side by side
        norm_num_groups=8,
    )
    StableDiffusionXLPipeline(
        vae=tiny_vae(),
        text_encoder=tiny_clip_encoder(clip, clip_size),
        text_encoder_2=tiny_clip_encoder(clip, clip_size, projection=32),
        tokenizer=clip,
        tokenizer_2=clip,
        unet=unet,
        scheduler=EulerDiscreteScheduler(**SDXL_SCHEDULER),
        force_zeros_for_empty_prompt=True,
    ).save_pretrained(folder)


def build_tiny_sd3(folder: Path, scratch: Path) -> None:
    import torch
    from diffusers import (
        FlowMatchEulerDiscreteScheduler,
        SD3Transformer2DModel,
        StableDiffusion3Pipeline,
    )

    clip, clip_size, t5, t5_size = _tokenizers(scratch)
    torch.manual_seed(0)
    transformer = SD3Transformer2DModel(
        sample_size=8,
        patch_size=2,
        in_channels=16,
        out_channels=16,
        num_layers=1,
        attention_head_dim=8,
        num_attention_heads=4,
        caption_projection_dim=32,
        joint_attention_dim=32,  # T5's width; the two CLIPs' 16 + 16 are padded to it
        pooled_projection_dim=64,  # both CLIPs' pooled projections side by side
    )
    StableDiffusion3Pipeline(
        transformer=transformer,
        vae=tiny_vae(
            16,
            use_quant_conv=False,
            use_post_quant_conv=False,
            scaling_factor=1.5305,
            shift_factor=0.0609,
        ),
        text_encoder=tiny_clip_encoder(clip, clip_size, hidden=16, projection=32),
        text_encoder_2=tiny_clip_encoder(clip, clip_size, hidden=16, projection=32),
        text_encoder_3=_t5_encoder(t5_size),
        tokenizer=clip,
        tokenizer_2=clip,
        tokenizer_3=t5,
        scheduler=FlowMatchEulerDiscreteScheduler(shift=3.0),
    ).save_pretrained(folder)


def build_tiny_flux(folder: Path, scratch: Path, *, guidance: bool = True) -> None:
    """FLUX.1-dev's layout (``guidance``: the distilled-guidance embedding; without it,
    FLUX.1-schnell's, with its unshifted scheduler)."""
    import torch
    from diffusers import FlowMatchEulerDiscreteScheduler, FluxPipeline, FluxTransformer2DModel

    clip, clip_size, t5, t5_size = _tokenizers(scratch)
    torch.manual_seed(0)
    transformer = FluxTransformer2DModel(
        patch_size=1,
        in_channels=64,  # 16 latent channels packed 2×2
        num_layers=1,
        num_single_layers=1,
        attention_head_dim=16,
        num_attention_heads=2,
        joint_attention_dim=32,
        pooled_projection_dim=32,
        guidance_embeds=guidance,
        axes_dims_rope=(4, 4, 8),
    )
    scheduler = FLUX_SCHEDULER if guidance else {"shift": 1.0}
    FluxPipeline(
        transformer=transformer,
        vae=tiny_vae(
            16,
            use_quant_conv=False,
            use_post_quant_conv=False,
            scaling_factor=0.3611,
            shift_factor=0.1159,
        ),
        text_encoder=tiny_clip_encoder(clip, clip_size),
        text_encoder_2=_t5_encoder(t5_size),
        tokenizer=clip,
        tokenizer_2=t5,
        scheduler=FlowMatchEulerDiscreteScheduler(**scheduler),
    ).save_pretrained(folder)


def build_tiny(family: str, folder: Path, scratch: Path) -> None:
    """The tiny pipeline of ``family`` (one of :data:`FAMILIES`, or ``flux-schnell``) saved into
    ``folder``; ``scratch`` holds the tokenizers' sources."""
    if family == "sd15":
        build_tiny_sd(folder)
    elif family == "sdxl":
        build_tiny_sdxl(folder, scratch)
    elif family == "sd3":
        build_tiny_sd3(folder, scratch)
    else:
        build_tiny_flux(folder, scratch, guidance=family == "flux")


class TinyModels:
    """The tiny pipelines by family, each built on first use and kept for the session."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self._factory = factory
        self._built: dict[str, Path] = {}

    def __getitem__(self, family: str) -> Path:
        if family not in self._built:
            folder = self._factory.mktemp(f"tiny-{family}")
            build_tiny(family, folder, self._factory.mktemp(f"tokenizers-{family}"))
            self._built[family] = folder
        return self._built[family]


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> TinyModels:
    """``tiny_models[family]``: the folder of that family's tiny pipeline."""
    return TinyModels(tmp_path_factory)
