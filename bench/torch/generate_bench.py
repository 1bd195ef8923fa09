"""PyTorch side of `adi bench-net --mode generate`: text-to-image with diffusers' networks, per image.

Usage: OMP_NUM_THREADS=2 /usr/bin/python3 generate_bench.py --model ../shared/fixtures/tiny-sd [--size 128x128]
           [--steps 25] [--guidance 7.5] [--ids 49406,320,...] [--negative-ids 49406,49407,...]
           [--weights fixture|random] [--label tiny-sd] [--warmup 3] [--runs 5] [--torchref DIR]

Builds diffusers' UNet2DConditionModel and AutoencoderKL from the folder's configs (with the folder's safetensors
weights through torchref's pure-Python safetensors, or random weights), clip_text.py's text encoder (the folder's
text_encoder weights, or random), and the diffusers scheduler named by scheduler/scheduler_config.json (the class adi4j
picks by default, e.g. DDIMScheduler). Each timed run is StableDiffusionPipeline.__call__'s loop for one image
(diffusers' pipeline class itself needs transformers, which is not installed): encode the prompt and the negative
prompt (token ids given, since the tokenizer is transformers'; adi4j passes its own tokenizer's ids), set the
timesteps, draw latents x init_noise_sigma, then per step the UNet on [negative, positive] as one batch of 2,
guidance, scheduler.step; finally vae.decode(latents / scaling_factor) and (x / 2 + 0.5).clamp(0, 1). No autograd.
One line per measurement (benchlib.py's format), then the images/s.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

ap = argparse.ArgumentParser()
ap.add_argument("--model", required=True, help="a diffusers model folder (unet/, vae/, text_encoder/, scheduler/)")
ap.add_argument("--size", default="128x128", help="WxH in pixels")
ap.add_argument("--steps", type=int, default=25)
ap.add_argument("--guidance", type=float, default=7.5)
ap.add_argument("--ids", help="prompt token ids, comma-separated (default: BOS, 'a photo', EOS padding)")
ap.add_argument("--negative-ids", help="negative prompt token ids (default: the empty prompt, BOS EOS padding)")
ap.add_argument("--weights", choices=["fixture", "random"], default="fixture")
ap.add_argument("--label", default="tiny-sd")
ap.add_argument("--name", help="the measurement's name (default: LABEL generate WxH N steps cfg G)")
ap.add_argument("--warmup", type=int, default=3)
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--torchref", default=os.path.join(HERE, "..", "..", "..", "shared", "bench", "torchref"),
                help="shared/bench/torchref: diffusers' path set-up (common.py) and stubs")
a = ap.parse_args()

sys.path.insert(0, os.path.abspath(a.torchref))
import common  # noqa: E402,F401  (diffusers and the stubs on sys.path, torch 1.13 baddbmm workaround)
import safetensors.torch  # noqa: E402,F401  (diffusers calls safetensors.torch.load_file)
import torch  # noqa: E402

import diffusers  # noqa: E402
from diffusers import AutoencoderKL, UNet2DConditionModel  # noqa: E402

import benchlib  # noqa: E402
from clip_text import ClipTextModel  # noqa: E402

benchlib.set_threads()
torch.manual_seed(0)
width, height = (int(x) for x in a.size.lower().split("x"))


def load(cls, sub):
    if a.weights == "fixture":
        return cls.from_pretrained(a.model, subfolder=sub, low_cpu_mem_usage=False)
    return cls.from_config(cls.load_config(os.path.join(a.model, sub)))


unet = load(UNet2DConditionModel, "unet").eval()
vae = load(AutoencoderKL, "vae").eval()
text = ClipTextModel.from_config_file(os.path.join(a.model, "text_encoder", "config.json")).eval()
if a.weights == "fixture":
    text.load_safetensors(os.path.join(a.model, "text_encoder", "model.safetensors"))
else:
    text.random_init()
with open(os.path.join(a.model, "scheduler", "scheduler_config.json")) as f:
    scheduler_config = json.load(f)
scheduler = getattr(diffusers, scheduler_config["_class_name"]).from_config(scheduler_config)

tcfg = text.config
n_tokens = tcfg["max_position_embeddings"]


def token_ids(csv, words):
    if csv:
        ids = [int(x) for x in csv.split(",")]
    else:
        ids = [tcfg.get("bos_token_id", 0)] + words + [tcfg.get("eos_token_id", 2)]
        ids += [tcfg.get("eos_token_id", 2)] * (n_tokens - len(ids))
    if len(ids) != n_tokens:
        sys.exit(f"expected {n_tokens} token ids, got {len(ids)}")
    return torch.tensor([ids])


prompt_ids = token_ids(a.ids, [320, 1125])
negative_ids = token_ids(a.negative_ids, [])
cfg_on = a.guidance > 1.0
scale = 2 ** (len(vae.config.block_out_channels) - 1)
print(f"{type(scheduler).__name__}, {a.steps} steps, guidance {a.guidance}, {width}x{height}, {a.weights} weights",
      flush=True)


def generate():
    with torch.no_grad():
        embeds = text(prompt_ids)
        if cfg_on:
            embeds = torch.cat([text(negative_ids), embeds])
        scheduler.set_timesteps(a.steps)
        latents = torch.randn(1, unet.config.in_channels, height // scale, width // scale) * scheduler.init_noise_sigma
        for t in scheduler.timesteps:
            model_input = torch.cat([latents] * 2) if cfg_on else latents
            model_input = scheduler.scale_model_input(model_input, t)
            noise = unet(model_input, t, encoder_hidden_states=embeds, return_dict=False)[0]
            if cfg_on:
                uncond, cond = noise.chunk(2)
                noise = uncond + a.guidance * (cond - uncond)
            latents = scheduler.step(noise, t, latents, return_dict=False)[0]
        image = vae.decode(latents / vae.config.scaling_factor, return_dict=False)[0]
        return (image / 2 + 0.5).clamp(0, 1)


g = f"{a.guidance:g}"
name = a.name or f"{a.label} generate {width}x{height} {a.steps} steps cfg {g}"
median = benchlib.timed(name, generate, a.warmup, a.runs)
print(f"{1000.0 / median:.3f} images/s", flush=True)
