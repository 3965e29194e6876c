"""A GGUF file of a tiny model's denoiser, written with the ``gguf`` package (llama.cpp's) the way
the published FLUX.1 and SD3.5 files are: each 2-D weight whose rows split into 32-value blocks
in Q8_0, the rest (biases, norms, convolutions, position tables) in F32.

Its tensor names are diffusers' own (the saved model's state dict), which diffusers' GGUF loader
takes as they are. The published files use the original layouts (``double_blocks.0.img_attn.qkv``)
and go through diffusers' converters, which assume the real models' widths (FLUX.1's 3072), so
a tiny model cannot exercise that step.
"""

from __future__ import annotations

from pathlib import Path


def write_gguf(model: Path, component: str, path: Path) -> Path:
    """Write ``model``'s ``component`` (``transformer``, ``unet``) as a Q8_0 GGUF file at ``path``."""
    import gguf
    from safetensors.torch import load_file

    q8 = gguf.GGMLQuantizationType.Q8_0
    block, _ = gguf.GGML_QUANT_SIZES[q8]
    weights = load_file(model / component / "diffusion_pytorch_model.safetensors")
    writer = gguf.GGUFWriter(path, arch=component)
    for name, tensor in weights.items():
        values = tensor.float().numpy()
        if values.ndim == 2 and values.shape[-1] % block == 0:
            writer.add_tensor(name, gguf.quants.quantize(values, q8), raw_dtype=q8)
        else:
            writer.add_tensor(name, values)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
