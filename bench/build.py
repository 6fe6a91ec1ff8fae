"""Cold and warm site builds: how long a reader waits, and that a no-change rebuild is cheap.

Cold = the fallback renderer with its cache disabled (every chapter executed);
warm = the same build again with the cache (no chapter should execute).
Prints figures; asserts nothing about time.
"""

import shutil
import time

from analysis.paths import PROJECT_ROOT

import render


def timed_build(use_cache: bool):
    started = time.perf_counter()
    report = render.build_site(PROJECT_ROOT, use_cache=use_cache,
                               depends=("analysis", "results"), log=lambda *_: None)
    return time.perf_counter() - started, report


def main() -> None:
    if shutil.which("quarto"):
        print("note: quarto is installed; this bench measures the fallback renderer")
    cold, cold_report = timed_build(use_cache=False)
    warm, warm_report = timed_build(use_cache=True)
    print(f"pages: {len(cold_report.pages)}")
    print(f"cold build (every chapter executed): {cold:6.1f} s, executed {len(cold_report.executed)}")
    print(f"warm build (nothing changed):        {warm:6.1f} s, executed {len(warm_report.executed)}")
    print(f"warm / cold: {warm / cold:.2f}")


if __name__ == "__main__":
    main()
