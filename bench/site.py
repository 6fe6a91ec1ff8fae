"""Site budgets: page weight, time until every chart is drawn, build times.

Budgets (issue 8): each page ≤ 2 MB of HTML + JS + data; every chart drawn within
2 s of navigation in headless Chromium; cold build (set-up excluded) ≤ 5 min; a
no-change rebuild ≤ 20 s. Prints figures and flags what is over budget; asserts
nothing, so a slow machine never fails a build.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.paths import PROJECT_ROOT
from build import timed_build  # bench/build.py: the same cold and warm render

SITE = PROJECT_ROOT / "_site"
PAGE_BUDGET_BYTES = 2_000_000
DRAW_BUDGET_SECONDS = 2.0
COLD_BUDGET_SECONDS = 300.0
WARM_BUDGET_SECONDS = 20.0
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The page header marks each chart data-drawn when its final drawing is on the page.
ALL_DRAWN = """() => [...document.querySelectorAll('.oneclick-chart')]
    .every(chart => chart.hasAttribute('data-drawn') && chart.querySelector('svg.marks, canvas.marks'))"""


def page_weight(page: Path) -> int:
    """The page plus every local script and stylesheet it loads (the Vega bundle if it has charts,
    the DataTables bundle for the customer lookup)."""
    html = page.read_text(encoding="utf-8")
    assets = set(re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^":]+)"', html))
    if 'class="oneclick-chart-spec"' in html:  # the header script loads the bundle only then
        assets.add(str(Path(_offset(page)) / "assets/vendor/vega-bundle.js"))
    if 'class="lookup-config"' in html:  # the customer lookup's script loads DataTables
        assets.update(str(Path(_offset(page)) / f"assets/vendor/datatables.{ext}") for ext in ("js", "css"))
    return page.stat().st_size + sum((page.parent / asset).stat().st_size
                                     for asset in assets if (page.parent / asset).is_file())


def _offset(page: Path) -> str:
    depth = len(page.relative_to(SITE).parts) - 1
    return "../" * depth or "./"


def draw_times(pages: list[Path]) -> dict[Path, tuple[int, float]]:
    from playwright.sync_api import sync_playwright

    times = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             args=CHROMIUM_FLAGS)
        for page_path in pages:
            page = browser.new_page()
            page.goto(page_path.as_uri())
            page.wait_for_function(ALL_DRAWN, timeout=30_000)
            seconds = page.evaluate("() => performance.now()") / 1000
            times[page_path] = (page.locator(".oneclick-chart").count(), seconds)
            page.close()
        browser.close()
    return times


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT_ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def build_times() -> tuple[float, float, float]:
    """Results computed from scratch (stage caches off) into a scratch folder, then a cold and a warm render."""
    python = sys.executable
    with tempfile.TemporaryDirectory() as scratch:
        results = timed([python, "-m", "analysis", "build-results", "--out", scratch, "--no-model-cache"])
    (cold_render, _), (warm_render, _) = timed_build(use_cache=False), timed_build(use_cache=True)
    return results, cold_render, warm_render


def over(value: float, budget: float) -> str:
    return "  OVER BUDGET" if value > budget else ""


def main() -> None:
    results, cold_render, warm_render = build_times()
    cold = results + cold_render
    print(f"cold build: results {results:.1f} s + render {cold_render:.1f} s = {cold:.1f} s "
          f"(budget {COLD_BUDGET_SECONDS:.0f} s){over(cold, COLD_BUDGET_SECONDS)}")
    print(f"no-change rebuild (render, all pages cached): {warm_render:.1f} s "
          f"(budget {WARM_BUDGET_SECONDS:.0f} s){over(warm_render, WARM_BUDGET_SECONDS)}")

    pages = sorted(SITE.rglob("*.html"))
    times = draw_times(pages)
    print(f"\n{'page':<28}{'charts':>7}{'weight MB':>11}{'drawn s':>9}")
    for page in pages:
        weight = page_weight(page)
        charts, seconds = times[page]
        flags = over(weight, PAGE_BUDGET_BYTES) + over(seconds, DRAW_BUDGET_SECONDS)
        print(f"{str(page.relative_to(SITE)):<28}{charts:>7}{weight / 1e6:>11.2f}{seconds:>9.2f}{flags}")
    total = sum(path.stat().st_size for path in SITE.rglob("*") if path.is_file())
    print(f"\nwhole _site/: {total / 1e6:.1f} MB in {sum(1 for p in SITE.rglob('*') if p.is_file())} files")


if __name__ == "__main__":
    main()
