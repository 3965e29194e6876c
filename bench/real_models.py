"""Random-weight pipelines of the real configurations (SD 1.5, SDXL, SD3.5 Medium,
FLUX.1-schnell), for timing a GPU's arithmetic without downloading the models.

The component configs are the published ones (their ``config.json`` files on the hub), so every
matrix multiply has the real model's shape; the tokenizers are the tests' tiny ones (prompts are
padded to the real lengths, 77 CLIP and 256/512 T5 tokens, so the work is the same). The
weights are random: the pictures are noise, the timings real.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CLIP_L = {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12}
CLIP_L |= {"num_attention_heads": 12, "projection_dim": 768, "hidden_act": "quick_gelu"}
CLIP_G = {"hidden_size": 1280, "intermediate_size": 5120, "num_hidden_layers": 32}
CLIP_G |= {"num_attention_heads": 20, "projection_dim": 1280, "hidden_act": "gelu"}
T5_XXL = {"d_model": 4096, "d_ff": 10240, "d_kv": 64, "num_heads": 64, "num_layers": 24}
T5_XXL |= {"feed_forward_proj": "gated-gelu", "vocab_size": 32128, "is_encoder_decoder": False}
VAE = {"block_out_channels": (128, 256, 512, 512), "layers_per_block": 2, "sample_size": 512}
VAE |= {
    "down_block_types": ("DownEncoderBlock2D",) * 4,
    "up_block_types": ("UpDecoderBlock2D",) * 4,
}
FLOW_VAE = VAE | {"latent_channels": 16, "use_quant_conv": False, "use_post_quant_conv": False}

UNETS: dict[str, dict[str, Any]] = {
    "sd15": {"cross_attention_dim": 768, "sample_size": 64},
    "sdxl": {
        "sample_size": 128,
        "block_out_channels": (320, 640, 1280),
        "down_block_types": ("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
        "up_block_types": ("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
        "transformer_layers_per_block": (1, 2, 10),
        "attention_head_dim": (5, 10, 20),
        "cross_attention_dim": 2048,
        "use_linear_projection": True,
        "addition_embed_type": "text_time",
        "addition_time_embed_dim": 256,
        "projection_class_embeddings_input_dim": 2816,
    },
}
SD35_MEDIUM = {
    "num_layers": 24,
    "num_attention_heads": 24,
    "caption_projection_dim": 1536,
    "pos_embed_max_size": 384,
    "dual_attention_layers": tuple(range(13)),
    "qk_norm": "rms_norm",
}
PARAMETERS = {"sd15": 0.86e9, "sdxl": 2.57e9, "sd3": 2.24e9, "flux": 11.9e9}
"""Each denoiser's published size in parameters, which the configs reproduce (SD3.5 Medium's
2.47 B counts its 0.23 B position-embedding buffer, which is not a parameter)."""


def build_denoiser(family: str) -> Any:
    """The family's real denoiser, with random weights (on the current default device)."""
    from diffusers import FluxTransformer2DModel, SD3Transformer2DModel, UNet2DConditionModel

    if family in UNETS:
        return UNet2DConditionModel(**UNETS[family])
    if family == "sd3":
        return SD3Transformer2DModel(**SD35_MEDIUM)
    return FluxTransformer2DModel()  # its defaults are FLUX.1-schnell's


def build_real(family: str, folder: Path, scratch: Path) -> None:
    """Save a random-weight pipeline of ``family``'s real configuration into ``folder``."""
    import torch
    from diffusers import (
        AutoencoderKL,
        EulerDiscreteScheduler,
        FlowMatchEulerDiscreteScheduler,
        FluxPipeline,
        PNDMScheduler,
        StableDiffusion3Pipeline,
        StableDiffusionPipeline,
        StableDiffusionXLPipeline,
    )
    from transformers import (
        CLIPTextConfig,
        CLIPTextModel,
        CLIPTextModelWithProjection,
        T5Config,
        T5EncoderModel,
    )

    from tests.support.tiny_diffusion import SD15_SCHEDULER
    from tests.support.tiny_families import SDXL_SCHEDULER, _tokenizers

    clip, _, t5, _ = _tokenizers(scratch)
    ids = {"bos_token_id": clip.bos_token_id, "eos_token_id": clip.eos_token_id}

    def encoder(config: dict[str, Any], projection: bool = False) -> Any:
        kind = CLIPTextModelWithProjection if projection else CLIPTextModel
        return kind(CLIPTextConfig(vocab_size=49408, max_position_embeddings=77, **config, **ids))

    torch.manual_seed(0)
    denoiser = build_denoiser(family)
    if family == "sd15":
        pipeline = StableDiffusionPipeline(
            vae=AutoencoderKL(**VAE), text_encoder=encoder(CLIP_L), tokenizer=clip, unet=denoiser,
            scheduler=PNDMScheduler(**SD15_SCHEDULER), safety_checker=None,
            feature_extractor=None, requires_safety_checker=False,
        )  # fmt: skip
    elif family == "sdxl":
        pipeline = StableDiffusionXLPipeline(
            vae=AutoencoderKL(**VAE), text_encoder=encoder(CLIP_L),
            text_encoder_2=encoder(CLIP_G, projection=True), tokenizer=clip, tokenizer_2=clip,
            unet=denoiser, scheduler=EulerDiscreteScheduler(**SDXL_SCHEDULER),
        )  # fmt: skip
    elif family == "sd3":
        pipeline = StableDiffusion3Pipeline(
            transformer=denoiser, vae=AutoencoderKL(**FLOW_VAE),
            text_encoder=encoder(CLIP_L, projection=True),
            text_encoder_2=encoder(CLIP_G, projection=True),
            text_encoder_3=T5EncoderModel(T5Config(**T5_XXL)), tokenizer=clip,
            tokenizer_2=clip, tokenizer_3=t5, scheduler=FlowMatchEulerDiscreteScheduler(shift=3.0),
        )  # fmt: skip
    else:
        pipeline = FluxPipeline(
            transformer=denoiser, vae=AutoencoderKL(**FLOW_VAE), text_encoder=encoder(CLIP_L),
            text_encoder_2=T5EncoderModel(T5Config(**T5_XXL)), tokenizer=clip, tokenizer_2=t5,
            scheduler=FlowMatchEulerDiscreteScheduler(shift=1.0),
        )  # fmt: skip
    pipeline.save_pretrained(folder)
