"""PyTorch side of `adi bench-net --net text`: the CLIP text encoder's share of one training step.

Usage: OMP_NUM_THREADS=2 /usr/bin/python3 text_bench.py --config TEXT_ENCODER/config.json --rows 16
           [--label tiny-sd] [--warmup 30] [--runs 5] [--weights model.safetensors]
       /usr/bin/python3 text_bench.py --config ... --weights ... --check-golden ../shared/fixtures/golden/text_forward.safetensors

Times, on a pure-torch CLIP text transformer of the config (clip_text.py; random weights unless --weights):
- forward: the layer-wise encode of one prompt, ROWS rows of max_position_embeddings tokens, row k holding
  identifier v_k at the placeholder token (the token embedding lookup included), without autograd;
- forward+backward: the same forward with inputs_embeds requiring grad, then d sum(out * upstream) / d inputs_embeds
  (upstream random [ROWS, tokens, D]) and the rows' gradient at the placeholder: what adi4j's LayerWiseEncoder.gradient
  computes for each sample of a training step.
One line per measurement (benchlib.py's format). Weights frozen. --check-golden instead compares the model with a
transformers golden (text_forward.safetensors: hidden states; text_grad_embedding.safetensors: the layer-wise
gradient w.r.t. the identifiers) and exits non-zero beyond 1e-4 (max abs error relative to the max abs value).
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402

import benchlib  # noqa: E402
from clip_text import ClipTextModel  # noqa: E402

PLACEHOLDER = 1000  # the token id adi4j's bench uses (AdiStepBench.PLACEHOLDER); with random weights any id does
POSITION = 6  # "<bos> a photo of a person <A> <eos> <eos>...": AdiStepBench.prompt


def prompt(cfg):
    """The same ids as adi4j's AdiStepBench.prompt: BOS, five words, the placeholder, EOS, EOS padding."""
    eos = cfg.get("eos_token_id", 2)
    ids = [cfg.get("bos_token_id", 0), 320, 1125, 539, 320, 2533, PLACEHOLDER, eos]
    return ids + [eos] * (cfg["max_position_embeddings"] - len(ids))


def check_golden(model, path):
    """Compares with a transformers golden of ../shared/fixtures/golden: text_forward (input_ids -> hidden_states.*,
    last_hidden_state) or text_grad_embedding's layerwise.* (the timed forward+backward path: d loss / d v)."""
    import safetensors.torch
    g = safetensors.torch.load_file(path)
    results = []
    if "input_ids" in g and "hidden_states.0" in g:
        hidden = []
        with torch.no_grad():
            out = model(g["input_ids"].long(), hidden_states=hidden)
        results += [("last_hidden_state", out, g["last_hidden_state"])]
        results += [(f"hidden_states.{i}", h, g[f"hidden_states.{i}"]) for i, h in enumerate(hidden) if f"hidden_states.{i}" in g]
    if "layerwise.v" in g:
        ids, v, target = g["layerwise.input_ids"].long(), g["layerwise.v"], g["layerwise.target"]
        rows = v.shape[0]
        at = ids[0] >= model.config["vocab_size"]  # the added placeholder token's positions
        e = model.embed(ids.clamp(max=model.config["vocab_size"] - 1).expand(rows, -1)).clone()
        e[:, at] = v[:, None, :]
        e.requires_grad_(True)
        out = model(inputs_embeds=e)
        loss = ((out - target) ** 2).mean(dim=(1, 2)).sum()
        (grad,) = torch.autograd.grad(loss, e)
        results += [("layerwise.out", out.detach(), g["layerwise.out"]),
                    ("layerwise.grad_v", grad[:, at].sum(1), g["layerwise.grad_v"])]
    if not results:
        print(f"golden check FAIL: {path} holds neither text_forward nor layerwise text gradient tensors")
        return False
    worst = 0.0
    for name, value, expected in results:
        err = ((value - expected).abs().max() / expected.abs().max().clamp(min=1e-12)).item()
        worst = max(worst, err)
        print(f"{name:20s} max abs err / max abs value {err:.3g}")
    print(f"golden check {'PASS' if worst <= 1e-4 else 'FAIL'}: {worst:.3g} (tolerance 1e-4)")
    return worst <= 1e-4


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True, help="a CLIPTextModel config.json")
    ap.add_argument("--rows", type=int, default=16, help="layer-wise rows (the UNet's cross-attention layers)")
    ap.add_argument("--label", default="tiny-sd")
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--weights", help="CLIPTextModel safetensors (default: random N(0, 0.02) weights)")
    ap.add_argument("--check-golden", metavar="FILE", help="compare with a golden instead of timing")
    ap.add_argument("--torchref", default=os.path.join(HERE, "..", "..", "..", "shared", "bench", "torchref"),
                    help="shared/bench/torchref, for its pure-Python safetensors when the real one is missing")
    ap.add_argument("--modes", default="fwd,grad")
    a = ap.parse_args()
    sys.path.append(os.path.join(a.torchref, "stubs"))
    with open(a.config) as f:
        cfg = json.load(f)
    benchlib.set_threads()
    torch.manual_seed(0)
    model = ClipTextModel(cfg).eval()
    model.load_safetensors(a.weights) if a.weights else model.random_init()
    for p in model.parameters():
        p.requires_grad_(False)
    if a.check_golden:
        sys.exit(0 if check_golden(model, a.check_golden) else 1)

    rows, tokens, width = a.rows, cfg["max_position_embeddings"], cfg["hidden_size"]
    ids = torch.tensor([prompt(cfg)] * rows)
    v = torch.randn(rows, width) * 0.02
    upstream = torch.randn(rows, tokens, width)

    def embeds():
        e = model.embed(ids)
        e[:, POSITION] = v
        return e

    def forward():
        with torch.no_grad():
            return model(inputs_embeds=embeds())

    def forward_backward():
        e = embeds().requires_grad_(True)
        out = model(inputs_embeds=e)
        (grad,) = torch.autograd.grad((out * upstream).sum(), e)
        return grad[:, POSITION]

    modes = a.modes.split(",")
    if "fwd" in modes:
        benchlib.timed(f"{a.label} text T{tokens} x{rows} forward", forward, a.warmup, a.runs)
    if "grad" in modes:
        benchlib.timed(f"{a.label} text T{tokens} x{rows} forward+backward(inputs_embeds)", forward_backward, a.warmup,
                       a.runs)


if __name__ == "__main__":
    main()
