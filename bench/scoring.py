"""Scoring at scale: `python -m analysis score` on 10k, 100k and 1M synthetic customers, both engines.

Synthetic customers are resampled from the real data with a fixed seed
(analysis/data/synthetic.py). Each run is the real CLI in its own process; the peak
memory is the largest sum of the resident memory of that process and all its
children (dask workers included), sampled every 50 ms. Targets for 1M customers
with the pandas engine: ≤ 60 s and ≤ 2 GB on this machine's 2 cores. Prints figures;
asserts nothing (the budget line says whether the target is met).

    .venv/bin/python bench/scoring.py [--sizes 10000 100000 1000000] [--engines pandas dask]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from analysis.paths import RAW_DATA_DIR, RESULTS_DIR
from analysis.data.synthetic import write_synthetic_dataset

TARGET_CUSTOMERS, TARGET_SECONDS, TARGET_MEMORY_GB = 1_000_000, 60, 2.0


def tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_measured(command: list[str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS of the process tree in bytes, stderr) of one command."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak, watched = 0, psutil.Process(child.pid)
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss(watched))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = child.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors}")
    return seconds, peak, errors


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    options.add_argument("--engines", nargs="+", default=["pandas", "dask"])
    args = options.parse_args()
    print(f"{'customers':>10} {'engine':>7} {'wall s':>7} {'rows/s':>9} {'peak RSS':>9}  steps")
    with tempfile.TemporaryDirectory(prefix="oneclick-scoring-") as scratch:
        for size in args.sizes:
            data = Path(scratch) / f"n{size}"
            started = time.perf_counter()
            write_synthetic_dataset(RAW_DATA_DIR, data, size)
            print(f"{size:>10} {'(data)':>7} {time.perf_counter() - started:7.1f}  synthetic files written")
            for engine in args.engines:
                output = Path(scratch) / f"scores_{size}_{engine}.csv"
                seconds, peak, log = run_measured([
                    sys.executable, "-m", "analysis", "score", "--data-dir", str(data), "--output", str(output),
                    "--model", str(RESULTS_DIR / "model.skops"), "--engine", engine])
                steps = "; ".join(line for line in log.splitlines() if line.endswith(" s"))
                print(f"{size:>10} {engine:>7} {seconds:7.1f} {size / seconds:9.0f} {peak / 2**30:7.2f} GB  {steps}")
                if size == TARGET_CUSTOMERS and engine == "pandas":
                    met = seconds <= TARGET_SECONDS and peak / 2**30 <= TARGET_MEMORY_GB
                    print(f"budget (1M, pandas): ≤ {TARGET_SECONDS} s and ≤ {TARGET_MEMORY_GB} GB — "
                          f"{'met' if met else 'NOT met'}")
                output.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
