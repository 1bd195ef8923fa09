"""PyTorch yardstick for adi4j's mini-world base-model trainer (dev.adi4j.mini.base): the same model folder,
the same rendered data, the same recipe (BaseTrainConfig.standard: AdamW 3e-4 with 200 warm-up steps, weight
decay 0.01, batch 32, grad-norm clip 1.0, EMA 0.999 with warm-up, 10% empty prompts, epsilon MSE, uniform
timesteps, the UNet and the token embeddings trained, the text transformer frozen; --train-text trains it too). Only the random stream
differs (torch's instead of java.util.Random). Writes a model folder adi4j loads (EMA weights), so
`adi mini check-base --model OUT` judges it exactly like adi4j's own run.

  python3 tools/parity/train_base_torch.py --init RUN/init --data DATA.safetensors --steps N --out OUT
  python3 tools/parity/train_base_torch.py --check-text   # the CLIP text forward against the shared golden

DATA: "latents" [N, 12, 16, 16], "ids" [N, 16], "empty_ids" [16] (floats holding token ids), as adi4j renders it:
`bin/adi mini train-base --out RUN --write-data DATA.safetensors` (RUN/init is then the shared initial model).
Set-up: ../shared/bench/torchref/README.md (diffusers v0.27.2, torch with OpenBLAS).
"""
import argparse, json, math, os, shutil, sys, time
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "shared", "bench", "torchref"))
import common  # noqa: F401  (paths, safetensors stub, torch 1.13 baddbmm workaround)
import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from diffusers import UNet2DConditionModel, DDPMScheduler

TOK = "text_model.embeddings.token_embedding.weight"


def clip_text(w, cfg, ids, table):
    """transformers' CLIPTextModel last_hidden_state (pre-norm layers, causal mask, exact GELU)."""
    heads, eps = cfg["num_attention_heads"], cfg["layer_norm_eps"]
    b, n = ids.shape
    x = table[ids] + w["text_model.embeddings.position_embedding.weight"][:n]
    mask = torch.full((n, n), float("-inf")).triu(1)
    for i in range(cfg["num_hidden_layers"]):
        p = f"text_model.encoder.layers.{i}."
        lin = lambda h, m: F.linear(h, w[p + m + ".weight"], w[p + m + ".bias"])
        h = F.layer_norm(x, (x.shape[-1],), w[p + "layer_norm1.weight"], w[p + "layer_norm1.bias"], eps)
        d = h.shape[-1] // heads
        q = lin(h, "self_attn.q_proj").view(b, n, heads, d).transpose(1, 2) * d ** -0.5
        k = lin(h, "self_attn.k_proj").view(b, n, heads, d).transpose(1, 2)
        v = lin(h, "self_attn.v_proj").view(b, n, heads, d).transpose(1, 2)
        a = torch.softmax(q @ k.transpose(-1, -2) + mask, dim=-1) @ v
        x = x + lin(a.transpose(1, 2).reshape(b, n, -1), "self_attn.out_proj")
        h = F.layer_norm(x, (x.shape[-1],), w[p + "layer_norm2.weight"], w[p + "layer_norm2.bias"], eps)
        x = x + lin(F.gelu(lin(h, "mlp.fc1")), "mlp.fc2")
    return F.layer_norm(x, (x.shape[-1],), w["text_model.final_layer_norm.weight"],
                        w["text_model.final_layer_norm.bias"], eps)


def check_text():
    fx = os.path.join(common.FIXTURES)
    w = load_file(os.path.join(fx, "tiny-sd", "text_encoder", "model.safetensors"))
    cfg = json.load(open(os.path.join(fx, "tiny-sd", "text_encoder", "config.json")))
    g = load_file(os.path.join(fx, "golden", "text_forward.safetensors"))
    out = clip_text(w, cfg, g["input_ids"].long(), w[TOK])
    err = (out - g["last_hidden_state"]).abs().max().item()
    print(f"text forward vs golden: max_abs {err:.3e}")
    return err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--init"); ap.add_argument("--data"); ap.add_argument("--out")
    ap.add_argument("--steps", type=int, default=4000); ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--save-every", type=int, default=0, help="also write OUT-<step> model folders")
    ap.add_argument("--train-text", action="store_true", help="train the whole text encoder, not only the token table")
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--prediction", choices=["epsilon", "v_prediction"], default="epsilon")
    ap.add_argument("--check-text", action="store_true")
    a = ap.parse_args()
    if a.check_text:
        sys.exit(0 if check_text() < 1e-4 else 1)
    torch.manual_seed(a.seed)
    lr, warmup, wd, batch, clip, ema_decay, dropout = a.lr, 200, 0.01, 32, 1.0, 0.999, 0.1
    unet = UNet2DConditionModel.from_pretrained(os.path.join(a.init, "unet"))
    unet.train()
    tcfg = json.load(open(os.path.join(a.init, "text_encoder", "config.json")))
    tw = load_file(os.path.join(a.init, "text_encoder", "model.safetensors"))
    tw = {k: (torch.nn.Parameter(v.clone()) if a.train_text and "position_ids" not in k else v) for k, v in tw.items()}
    table = tw[TOK] if a.train_text else torch.nn.Parameter(tw[TOK].clone())
    sched = DDPMScheduler.from_pretrained(os.path.join(a.init, "scheduler"))
    ab = sched.alphas_cumprod.float()
    data = load_file(a.data)
    lat, ids, empty = data["latents"], data["ids"].long(), data["empty_ids"].long()
    text_names = [k for k, v in tw.items() if isinstance(v, torch.nn.Parameter)] if a.train_text else [TOK]
    params = list(unet.parameters()) + ([tw[k] for k in text_names] if a.train_text else [table])
    opt = torch.optim.AdamW(params, lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=wd)
    ema = [p.detach().clone() for p in params]
    start = time.time()
    recent = []
    for step in range(1, a.steps + 1):
        for gr in opt.param_groups:
            gr["lr"] = lr * min(1.0, step / warmup)
        rows = torch.randint(0, lat.shape[0], (batch,))
        x0 = lat[rows]
        cap = ids[rows].clone()
        cap[torch.rand(batch) < dropout] = empty
        t = torch.randint(0, sched.config.num_train_timesteps, (batch,))
        noise = torch.randn_like(x0)
        s = ab[t].view(-1, 1, 1, 1)
        xt = s.sqrt() * x0 + (1 - s).sqrt() * noise
        ctx = clip_text(tw, tcfg, cap, table)
        target = noise if a.prediction == "epsilon" else s.sqrt() * noise - (1 - s).sqrt() * x0
        loss = F.mse_loss(unet(xt, t.float(), encoder_hidden_states=ctx).sample, target)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, clip)
        opt.step()
        d = min(ema_decay, (1.0 + step) / (10.0 + step))
        with torch.no_grad():
            for e, p in zip(ema, params):
                e.mul_(d).add_(p.detach(), alpha=1 - d)
        recent.append(loss.item())
        if step % a.log_every == 0:
            el = time.time() - start
            print(f"step {step}/{a.steps} loss {loss.item():.5f} (mean of last {len(recent)} "
                  f"{sum(recent) / len(recent):.5f}) {step / el:.3f} steps/s", flush=True)
            recent = []
        if a.save_every and step % a.save_every == 0 and step < a.steps:
            export(a.init, f"{a.out}-{step}", unet, tw, text_names, ema, a.prediction)
    export(a.init, a.out, unet, tw, text_names, ema, a.prediction)
    print(f"done: {a.steps} steps in {time.time() - start:.0f} s -> {a.out}")


def export(init, out, unet, tw, text_names, ema, prediction):
    """A model folder of the EMA weights (UNet first in ema, then the trained text tensors)."""
    shutil.copytree(init, out, dirs_exist_ok=True)
    sc = os.path.join(out, "scheduler", "scheduler_config.json")
    cfg = json.load(open(sc)); cfg["prediction_type"] = prediction
    json.dump(cfg, open(sc, "w"), indent=2)
    names = [n for n, _ in unet.named_parameters()]
    save_file({n: e.contiguous() for n, e in zip(names, ema)},
              os.path.join(out, "unet", "diffusion_pytorch_model.safetensors"))
    text = {k: v.detach().contiguous() for k, v in tw.items()}
    for k, e in zip(text_names, ema[len(names):]):
        text[k] = e.contiguous()
    save_file(text, os.path.join(out, "text_encoder", "model.safetensors"))


if __name__ == "__main__":
    main()
