"""Reference for full-parameter training: loss and d loss / d every UNet weight, computed by diffusers.

Writes one safetensors file holding the UNet's weights ("w.<name>"), the inputs (sample, timestep,
encoder_hidden_states, target), the loss and every weight's gradient ("grad.<name>") plus the context's
("grad.encoder_hidden_states"). Loss = mean((unet(sample, t, context) - target)^2), as adi4j's trainer.

  python3 tools/golden/unet_weight_grad.py \
      --config CONFIG.json [--weights W.safetensors] --batch 4 --out OUT.safetensors

Without --weights the UNet is diffusers' own random init with every weight then perturbed (so norms and
biases are not at 1/0 and their gradients are exercised), seeded. Set-up as ../shared/bench/torchref/README.md
(diffusers v0.27.2, torch with OpenBLAS); its common.py provides the paths and the safetensors stub.
"""
import argparse, json, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "bench", "torchref"))
import common  # noqa: F401  (paths, safetensors stub, torch 1.13 baddbmm workaround)
import torch
from safetensors.torch import save_file, load_file
from diffusers import UNet2DConditionModel

p = argparse.ArgumentParser()
p.add_argument("--config", required=True)
p.add_argument("--weights")
p.add_argument("--batch", type=int, default=4)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--out", required=True)
a = p.parse_args()

torch.manual_seed(a.seed)
cfg = json.load(open(a.config))
unet = UNet2DConditionModel.from_config(cfg)
if a.weights:
    unet.load_state_dict(load_file(a.weights))
else:
    with torch.no_grad():
        for prm in unet.parameters():
            prm.add_(0.05 * torch.randn_like(prm))
unet.train()
size = cfg["sample_size"]
sample = torch.randn(a.batch, cfg["in_channels"], size, size)
timestep = torch.randint(0, 1000, (a.batch,)).float()
context = torch.randn(a.batch, 16, cfg["cross_attention_dim"], requires_grad=True)
target = torch.randn(a.batch, cfg["out_channels"], size, size)
out = unet(sample, timestep, encoder_hidden_states=context).sample
loss = torch.mean((out - target) ** 2)
loss.backward()
t = {"sample": sample, "timestep": timestep, "encoder_hidden_states": context.detach(), "target": target,
     "output": out.detach(), "loss": loss.detach().reshape(1), "grad.encoder_hidden_states": context.grad}
for n, prm in unet.named_parameters():
    t["w." + n] = prm.detach()
    t["grad." + n] = prm.grad if prm.grad is not None else torch.zeros_like(prm)
save_file({k: v.contiguous() for k, v in t.items()}, a.out, metadata={"config": json.dumps(cfg)})
print(f"loss {loss.item():.6f}, {sum(1 for _ in unet.parameters())} weights -> {a.out}")
