"""Timing and output shared by this folder's PyTorch benchmarks.

Every measurement is one line in the format of ../shared/bench/torchref/unet_bench.py, which `adi bench-net --torch`
parses (dev.adi4j.cli.TorchOutput):
    NAME   median X ms  min Y  peak RSS Z GiB
preceded by a header `torch VERSION, threads N`. Peak RSS is the process's ru_maxrss so far (a fresh process per
benchmark, so a row's peak includes the rows before it in the same process).
"""
import os
import resource
import statistics
import time

import torch


def set_threads():
    """The thread count of OMP_NUM_THREADS (default 2), as unet_bench.py does; prints the header line."""
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}", flush=True)


def peak_rss_gib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20


def timed(name, fn, warmup, runs):
    """Runs fn warmup + runs times; prints the median and min of the timed runs and the peak RSS. Returns the median ms."""
    ms = []
    for _ in range(warmup + runs):
        t0 = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t0) * 1000)
    median = statistics.median(ms[warmup:])
    print(f"{name:36s} median {median:9.1f} ms  min {min(ms[warmup:]):9.1f}  peak RSS {peak_rss_gib():.2f} GiB",
          flush=True)
    return median
