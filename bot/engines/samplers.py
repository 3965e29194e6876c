"""The samplers a job may pick, as diffusers schedulers built from the model's own config."""

from __future__ import annotations

from typing import Any

from diffusers import (
    DDIMScheduler,
    DPMSolverMultistepScheduler,
    EulerAncestralDiscreteScheduler,
    EulerDiscreteScheduler,
    FlowMatchEulerDiscreteScheduler,
    FlowMatchHeunDiscreteScheduler,
    LCMScheduler,
    PNDMScheduler,
    UniPCMultistepScheduler,
)
from diffusers.schedulers.scheduling_utils import SchedulerMixin

SCHEDULERS: dict[str, tuple[type[SchedulerMixin], dict[str, Any]]] = {
    "dpm++2m-karras": (DPMSolverMultistepScheduler, {"use_karras_sigmas": True}),
    "dpm++2m": (DPMSolverMultistepScheduler, {}),
    "euler-a": (EulerAncestralDiscreteScheduler, {}),
    "euler": (EulerDiscreteScheduler, {}),
    "ddim": (DDIMScheduler, {}),
    "unipc": (UniPCMultistepScheduler, {}),
    "lcm": (LCMScheduler, {}),
    "pndm": (PNDMScheduler, {"skip_prk_steps": True}),
    "flow-euler": (FlowMatchEulerDiscreteScheduler, {}),
    "flow-euler-karras": (FlowMatchEulerDiscreteScheduler, {"use_karras_sigmas": True}),
    "flow-euler-sde": (FlowMatchEulerDiscreteScheduler, {"stochastic_sampling": True}),
    "flow-heun": (FlowMatchHeunDiscreteScheduler, {}),
}
"""Name (``bot.config.SamplerName``) → scheduler class and the settings that make it that sampler
(DPM++ 2M Karras is DPM-Solver++ multistep with Karras sigmas; the ``flow-`` ones are for the
flow-matching families, which list the ones they can use in ``bot/domain/families.py``)."""


def make_scheduler(name: str, base: SchedulerMixin) -> SchedulerMixin:
    """A fresh scheduler ``name`` (empty: the model's own) from the model's scheduler ``base``
    (its betas and timestep spacing), so that no call inherits the state of the last."""
    if not name:
        return type(base).from_config(base.config)
    scheduler, extra = SCHEDULERS[name]
    return scheduler.from_config(base.config, **extra)


def sampler_label(name: str, base: SchedulerMixin) -> str:
    """What the PNG records: the sampler's name, or the class of the model's own scheduler."""
    return name or type(base).__name__
