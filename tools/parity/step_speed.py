"""Base-model training speed, adi4j and PyTorch back to back on this machine: the mini world's recipe, the same
initial model folder and rendered data, N steps each. Run it on a quiet machine (nothing else on the two cores);
both sides skip their first 10 steps (graph compilation, warm-up) and report steps/s over the rest.

  /usr/bin/python3 tools/parity/step_speed.py --run RUN [--steps 100] [--data DATA.safetensors]

RUN is an `adi mini train-base` run folder (init/ and checkpoint.safetensors): adi4j resumes a copy of it for
--steps steps, PyTorch (tools/parity/train_base_torch.py) trains from RUN/init for as many. Without --data the data
is rendered first (`adi mini train-base --write-data`). Set-up of the PyTorch side: ../shared/bench/torchref/README.md.
"""
import argparse, json, os, re, shutil, struct, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ADI = os.path.join(ROOT, "bin", "adi")
WINDOW = re.compile(r"^step (\d+)/\d+ loss \S+ \(mean of last \d+ \S+\) ([\d.]+) steps/s")


def checkpoint_step(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return int(json.loads(f.read(n))["__metadata__"]["step"])


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stdout[-3000:]}")
    return p.stdout


def adi4j_rate(run_dir, steps, tmp):
    copy = os.path.join(tmp, "adi4j-run")
    shutil.copytree(os.path.join(run_dir, "init"), os.path.join(copy, "init"))
    shutil.copy(os.path.join(run_dir, "checkpoint.safetensors"), copy)
    start = checkpoint_step(os.path.join(copy, "checkpoint.safetensors"))
    out = run([ADI, "mini", "train-base", "--out", copy, "--steps", str(start + steps)])
    # train.log windows are 10 steps each: steps/s of all windows after the first, weighted by time
    windows = [(int(m.group(1)), float(m.group(2))) for m in map(WINDOW.match, out.splitlines()) if m]
    later = [r for s, r in windows if s > start + 10]
    if not later:
        sys.exit("adi4j printed no step windows:\n" + out[-2000:])
    return len(later) * 10 / sum(10 / r for r in later)


def torch_rate(run_dir, data, steps, tmp):
    script = os.path.join(HERE, "train_base_torch.py")
    out = run([sys.executable, script, "--init", os.path.join(run_dir, "init"), "--data", data, "--steps", str(steps),
               "--log-every", "10", "--prediction", "v_prediction", "--out", os.path.join(tmp, "torch-model")])
    # its lines give steps/s since the start: elapsed(step) = step / rate
    elapsed = {int(m.group(1)): int(m.group(1)) / float(m.group(2)) for m in map(WINDOW.match, out.splitlines()) if m}
    if 10 not in elapsed or steps not in elapsed:
        sys.exit("PyTorch printed no step lines:\n" + out[-2000:])
    return (steps - 10) / (elapsed[steps] - elapsed[10])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--data")
    a = ap.parse_args()
    if a.steps <= 10 or a.steps % 10:
        sys.exit("--steps must be a multiple of 10 above 10")
    with tempfile.TemporaryDirectory(prefix="adi4j-step-speed-") as tmp:
        data = a.data
        if data is None:
            data = os.path.join(tmp, "data.safetensors")
            run([ADI, "mini", "train-base", "--out", os.path.join(tmp, "data-run"), "--write-data", data])
        ours = adi4j_rate(a.run, a.steps, tmp)
        theirs = torch_rate(a.run, data, a.steps, tmp)
    print(f"| base-model training step (batch 32, steps 11-{a.steps}) | adi4j {ours:.3f} steps/s "
          f"| PyTorch {theirs:.3f} steps/s | time ratio {theirs / ours:.2f}x |")


if __name__ == "__main__":
    main()
