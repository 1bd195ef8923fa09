"""The ADI64 step of ../shared/bench/torchref/adi_step.py with its time split by phase, to set beside
`adi bench --suite adi` (which logs the same phases): the text encoder forward of the 16 layer-wise prompts, the
three UNet forward+backward passes to the contexts, and the three text backward passes to the identifiers.
The same work as adi_step.py (its single autograd.grad per sample is split at the contexts; nothing is added).

  OMP_NUM_THREADS=2 /usr/bin/python3 tools/parity/adi_step_phases.py [--latent 64] [--runs 2]

Set-up of the PyTorch side: ../shared/bench/torchref/README.md.
"""
import argparse, json, os, resource, statistics, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "shared", "bench", "torchref"))
import common  # noqa: E402,F401  (sys.path for diffusers and the stubs, baddbmm workaround)
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from diffusers import UNet2DConditionModel  # noqa: E402
from diffusers.models.attention_processor import AttnProcessor  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--latent", type=int, default=64)
ap.add_argument("--runs", type=int, default=2)
args = ap.parse_args()
torch.manual_seed(0)


class LayerContext(AttnProcessor):
    """Cross-attention processor that feeds layer i its own context row (as adi_step.py)."""
    def __init__(self, holder, index):
        super().__init__()
        self.holder, self.index = holder, index

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, *a, **kw):
        ctx = self.holder["ctx"][self.index:self.index + 1]
        return super().__call__(attn, hidden_states, ctx, *a, **kw)


config = json.load(open(os.path.join(common.FIXTURES, "manifests/sd21-unet-config.json")))
unet = UNet2DConditionModel.from_config(config).eval()
for p in unet.parameters():
    p.requires_grad_(False)
holder, procs, i = {}, {}, 0
for name in unet.attn_processors:
    if name.endswith("attn2.processor"):
        procs[name] = LayerContext(holder, i)
        i += 1
    else:
        procs[name] = AttnProcessor()
unet.set_attn_processor(procs)

width, layers, tokens = 1024, 23, 77
text = torch.nn.Sequential(*[torch.nn.TransformerEncoderLayer(width, 16, 4 * width, activation="gelu",
                                                              batch_first=True, norm_first=True) for _ in range(layers)])
final_ln = torch.nn.LayerNorm(width)
for p in list(text.parameters()) + list(final_ln.parameters()):
    p.requires_grad_(False)
text.eval()
final_ln.eval()
causal = torch.triu(torch.full((tokens, tokens), float("-inf")), 1)
base = torch.randn(1, tokens, width) * 0.02
pos = 6
print(f"torch {torch.__version__} threads {torch.get_num_threads()} latent {args.latent}", flush=True)


def step():
    t0 = time.perf_counter()
    v = (torch.randn(16, width) * 0.02).requires_grad_(True)
    emb = base.expand(16, tokens, width).clone()
    emb = torch.cat([emb[:, :pos], v[:, None, :], emb[:, pos + 1:]], 1)
    h = emb
    for blk in text:
        h = blk(h, src_mask=causal)
    ctx = final_ln(h)
    t1 = time.perf_counter()
    leaf = ctx.detach().requires_grad_(True)
    holder["ctx"] = leaf
    t = torch.tensor([500])
    dummy = torch.zeros(1, tokens, width)
    upstream = []
    for _ in range(3):
        x = torch.randn(1, 4, args.latent, args.latent)
        target = torch.randn(1, 4, args.latent, args.latent)
        loss = F.mse_loss(unet(x, t, dummy).sample, target)
        upstream.append(torch.autograd.grad(loss, leaf)[0])
    t2 = time.perf_counter()
    grads = [torch.autograd.grad(ctx, v, g, retain_graph=True)[0] for g in upstream]
    t3 = time.perf_counter()
    return grads, (t1 - t0, t2 - t1, t3 - t2)


times = []
for r in range(args.runs):
    t0 = time.perf_counter()
    _, (tf, tu, tb) = step()
    times.append(time.perf_counter() - t0)
    print(f"step {r + 1}: {times[-1]:.1f} s (text forward {tf:.1f} s, UNet {tu:.1f} s, text backward {tb:.1f} s), "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB", flush=True)
print(f"ADI{args.latent} step median {statistics.median(times):.1f} s over {args.runs} runs (first included)")
