"""Loading at scale: synthetic data, then load_raw_data → clean → build_model_data, for 10k, 100k and 1M customers.

Scoring a million customers must fit in 60 s and 2 GB, and prediction alone takes
about half of that, so the data layer's share is about 20 s and well under 1 GB.
Each step runs in a fresh process (`resource.getrusage` peak RSS is per process,
so per size and per step). A customer is 7 raw rows (1 + 3 + 2 + 1 over the four
files). Prints figures; asserts nothing about time.

    .venv/bin/python bench/loading.py [--sizes 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

RAW_ROWS_PER_CUSTOMER = 7

GENERATE = """
import json, resource, sys, time
from pathlib import Path
from analysis.paths import RAW_DATA_DIR
from analysis.data.synthetic import write_synthetic_dataset
started = time.perf_counter()
write_synthetic_dataset(RAW_DATA_DIR, Path(sys.argv[1]), int(sys.argv[2]))
print(json.dumps({"seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

LOAD = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
from analysis.data.cleaning import clean
from analysis.data.load import load_raw_data
from analysis.data.features import build_model_data
imported = time.perf_counter()
model = build_model_data(clean(load_raw_data(Path(sys.argv[1]))))
print(json.dumps({"seconds": time.perf_counter() - imported, "import_seconds": imported - started,
                  "modelled": len(model.table), "excluded": len(model.exclusions),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measured(script: str, *args: str) -> dict:
    """Run `script` in a fresh interpreter; its last stdout line is a JSON of figures."""
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"bench step failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    sizes = options.parse_args().sizes
    print(f"{'customers':>10} | {'generate s':>10} {'peak MB':>8} | {'load+clean+table s':>18} {'customers/s':>11} "
          f"{'raw rows/s':>10} {'peak MB':>8}")
    with tempfile.TemporaryDirectory(prefix="oneclick-loading-") as scratch:
        for size in sizes:
            folder = Path(scratch) / f"n{size}"
            generated = measured(GENERATE, str(folder), str(size))
            loaded = measured(LOAD, str(folder))
            assert loaded["modelled"] + loaded["excluded"] == size, "every customer accounted for"
            seconds = loaded["seconds"]
            print(f"{size:>10} | {generated['seconds']:>10.1f} {generated['peak_mb']:>8.0f} | {seconds:>18.1f} "
                  f"{size / seconds:>11,.0f} {RAW_ROWS_PER_CUSTOMER * size / seconds:>10,.0f} "
                  f"{loaded['peak_mb']:>8.0f}", flush=True)
    print(f"(imports, not counted above: {loaded['import_seconds']:.1f} s; "
          f"1M target for this step: ≲ 20 s and ≲ 1 GB)")


if __name__ == "__main__":
    main()
