#!/usr/bin/env bash
# GPU smoke test of the `cuda` profile: builds adi4j with nd4j-cuda-11.6 and runs the tiny-model network goldens
# (UNet, VAE, text encoder: reference outputs computed on CPU by diffusers/transformers) on the GPU.
#
# Supported GPUs: ND4J 1.0.0-M2.1's CUDA kernels are built for sm_37..sm_86 without PTX, so Kepler..Ampere/Ada
# (e.g. T4, A10, A100, RTX 30xx/40xx) can work; Hopper (H100) and newer cannot. Needs an NVIDIA driver for
# CUDA 11.6+; the CUDA libraries themselves come from Maven (org.bytedeco:cuda redist, ~1.8 GB).
#
# Usage: scripts/gpu-smoke.sh [path/to/shared]   (default: ../shared beside the checkout)
# Not run by CI (no GPU there). Leaves the CPU build untouched: it builds into a separate copy.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(cd "${1:-$here/../shared}" && pwd)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,compute_cap,driver_version --format=csv || \
  echo "gpu-smoke: nvidia-smi not found; the CUDA backend will fail to initialise without a driver" >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git -C "$here" archive HEAD | tar -x -C "$work"
(cd "$work" && mvn -B -q -Pcuda,!onednn-natives -DskipTests package)
python3 - "$shared/fixtures/cases.json" "$work/gpu-cases.json" "$shared/fixtures" <<'PY'
import json, sys, os
src, dst, root = sys.argv[1], sys.argv[2], sys.argv[3]
idx = json.load(open(src))
keep = {"unet_forward", "unet_grad", "vae_encode", "vae_decode", "text_forward", "layerwise_unet_grad"}
cases = [c for c in idx["cases"] if c["kind"] in keep]
for c in cases:
    for k in ("file", "model"):
        if k in c: c[k] = os.path.join(root, c[k])
json.dump({"format": idx["format"], "cases": cases}, open(dst, "w"), indent=1)
PY
cd "$work"
java -Xmx4g -cp "adi/target/adi4j-adi-0.1.0-SNAPSHOT.jar:adi/target/lib/*" dev.adi4j.cli.Main golden gpu-cases.json
