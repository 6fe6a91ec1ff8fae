"""Files the website serves besides its pages: the Vega and DataTables JavaScript, the downloads.

Kept free of heavy imports: both run as Quarto pre-render steps on every build,
so a no-change rebuild stays fast.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from ..paths import DEFAULT_SHARED_DATA_DIR, PROJECT_ROOT, RESULTS_DIR

VEGA_BUNDLE = PROJECT_ROOT / "assets" / "vendor" / "vega-bundle.js"


def write_vega_bundle(target: Path = VEGA_BUNDLE) -> bool:
    """Write Vega + Vega-Lite + vega-embed from the pinned vl-convert-python.

    The bundle is wrapped in a function scope so its top-level names cannot clash
    with other scripts on the page; it publishes `window.vegaEmbed` itself. Returns
    False (and does nothing) when the file already holds this version's bundle.
    """
    import vl_convert

    header = ("/* Vega, Vega-Lite and vega-embed, bundled by vl-convert-python "
              f"{vl_convert.__version__}. */\n")
    if target.exists():
        with open(target, encoding="utf-8") as existing:
            if existing.readline() == header:
                return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"{header}(function () {{\n{vl_convert.javascript_bundle()}\n}})();\n",
                      encoding="utf-8")
    return True


# DataTables as packaged by the pinned itables, for the customer lookup (customer_lookup.py).
DATATABLES_BUNDLE = PROJECT_ROOT / "assets" / "vendor" / "datatables.js"
DATATABLES_GLOBAL = "oneclickDataTables"


def site_path(path: Path) -> str:
    """A file of the site as a path from the site root, e.g. 'assets/vendor/datatables.js'."""
    return path.relative_to(PROJECT_ROOT).as_posix()


def write_datatables_bundle(target: Path = DATATABLES_BUNDLE) -> bool:
    """Write itables' DataTables bundle as a classic script, and its stylesheet next to it
    (same name, .css).

    The bundle is an ES module, which browsers refuse to import from file://. The script
    holds its text and imports it from a blob: URL (as itables' own offline mode does, but
    served as a file instead of inlined in every page), publishing the promise of the
    module as `window[DATATABLES_GLOBAL]`. Returns False (and does nothing) when both files
    already hold this version's bundle.
    """
    import itables
    from itables.utils import find_package_file

    source = Path(find_package_file("html/dt_bundle.js"))
    header = f"/* DataTables for itables {itables.__version__} (dt_bundle.js), loaded as a module from a blob. */\n"
    stylesheet = target.with_suffix(".css")
    if target.exists() and stylesheet.exists():
        with open(target, encoding="utf-8") as existing:
            if existing.readline() == header:
                return False
    module_text = json.dumps(source.read_text(encoding="utf-8"))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source.with_suffix(".css"), stylesheet)
    target.write_text(
        f"{header}(function () {{\n"
        f"  if (window.{DATATABLES_GLOBAL}) return;\n"
        f"  var url = URL.createObjectURL(new Blob([{module_text}], {{type: \"text/javascript\"}}));\n"
        f"  window.{DATATABLES_GLOBAL} = import(url);\n"
        "})();\n", encoding="utf-8")
    return True


DOWNLOADS_DIR = PROJECT_ROOT / "downloads"
DOWNLOAD_SUFFIXES = {".csv", ".json", ".xlsx"}


# Profiles (see _quarto.yml) whose site may hold customer-level data.
INTERNAL_PROFILES = frozenset({"internal"})
# Results with one row per customer (ids with risk, profit, drivers, offers or features).
# Any other CSV with an `id` column counts as customer-level too (`is_customer_level`).
CUSTOMER_LEVEL_FILES = frozenset({"customers.csv", "action_list.csv", "model_table.csv", "shap_values.csv",
                                  "scores.csv", "action_list.xlsx", "feature_copies.csv", "exclusions.csv", "revenue_outliers.csv",
                                  "customers.xlsx", "campaign.xlsx"})


def is_customer_level(path: Path) -> bool:
    """True for a result that names customers: a listed file, or a CSV whose header has `id`."""
    if path.name in CUSTOMER_LEVEL_FILES:
        return True
    if path.suffix != ".csv":
        return False
    with open(path, encoding="utf-8") as file:
        header = file.readline().strip().split(",")
    return "id" in header


def active_profiles(value: str | None) -> frozenset[str]:
    """Quarto's QUARTO_PROFILE (comma-separated; Quarto and the fallback set it for pre-render
    scripts); unset or empty is the project's default profile, `internal`."""
    names = frozenset(name.strip() for name in (value or "").split(",") if name.strip())
    return names or INTERNAL_PROFILES


def is_public_build(env: dict[str, str] | None = None) -> bool:
    """True while a non-internal profile (`public`) is being rendered (QUARTO_PROFILE)."""
    env = os.environ if env is None else env
    return not active_profiles(env.get("QUARTO_PROFILE")) & INTERNAL_PROFILES


def public_numbers(results_dir: Path = RESULTS_DIR) -> dict[int, int]:
    """Every customer id of the raw file (modelled ones from model_table.csv, excluded ones from
    exclusions.csv) -> its public number: its place in id order, 1 for the smallest id.

    The public build shows these numbers instead of ids, everywhere the same, so a chart or
    a sentence still tells customers apart and keeps their order (the id-order leak chart
    still shows that the file is sorted), without naming anyone.
    """
    ids: set[int] = set()
    for name in ("model_table.csv", "exclusions.csv"):
        path = results_dir / name
        if path.exists():
            with open(path, encoding="utf-8") as file:
                header = file.readline().strip().split(",")
                column = header.index("id")
                ids.update(int(line.split(",")[column]) for line in file if line.strip())
    return {customer: place for place, customer in enumerate(sorted(ids), start=1)}


def pseudonymise_frame(frame, numbers: dict[int, int]):
    """A copy of `frame` whose integer columns holding customer ids hold public numbers."""
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if values.dtype.kind in "iu" and values.isin(numbers).any():
            frame[column] = values.map(lambda value: numbers.get(value, value))
    return frame


def pseudonymise_json(value, numbers: dict[int, int]):
    """`value` (parsed JSON) with every integer that is a customer id replaced by its public number."""
    if isinstance(value, dict):
        return {key: pseudonymise_json(item, numbers) for key, item in value.items()}
    if isinstance(value, list):
        return [pseudonymise_json(item, numbers) for item in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return numbers.get(value, value)
    return value


_SIX_DIGITS = re.compile(rb"(?<!\d)\d{6}(?!\d)")


def _names_a_customer(path: Path, numbers: dict[int, int]) -> bool:
    return any(int(token) in numbers for token in _SIX_DIGITS.findall(path.read_bytes()))


def _names_a_customer_text(text: str, numbers: dict[int, int]) -> bool:
    return any(int(token) in numbers for token in _SIX_DIGITS.findall(text.encode("utf-8")))


def copy_downloads(downloads: Path = DOWNLOADS_DIR, results_dir: Path = RESULTS_DIR,
                   profiles: frozenset[str] = INTERNAL_PROFILES) -> list[Path]:
    """Put the machine-readable results (CSV, JSON, the action list's XLSX) in downloads/, which the site ships as is:
    all of them for an internal profile; for any other (`public`) no customer-level file, and
    the aggregate ones with customer ids replaced by public numbers (`public_numbers`). A file
    that would still hold an id after that is left out.

    downloads/ is emptied first, so a public build never ships a customer file left behind
    by an internal one. A pre-render step rather than post-render: pages link to
    downloads/..., and the links must resolve while pages are rendered (the fallback checks
    every link).
    """
    import pandas as pd

    internal = bool(profiles & INTERNAL_PROFILES)
    numbers = {} if internal else public_numbers(results_dir)
    if downloads.exists():
        shutil.rmtree(downloads)
    downloads.mkdir(parents=True)
    copied = []
    for path in sorted(results_dir.glob("*")):
        if not (path.is_file() and path.suffix in DOWNLOAD_SUFFIXES):
            continue
        target = downloads / path.name
        if not internal and is_customer_level(path):
            continue
        if path.suffix == ".json":
            text = without_machine_paths(path.read_text(encoding="utf-8"))
            if not internal and _names_a_customer_text(text, numbers):
                text = json.dumps(pseudonymise_json(json.loads(text), numbers), ensure_ascii=False, indent=2)
            target.write_text(text, encoding="utf-8")
        elif internal or not _names_a_customer(path, numbers):
            shutil.copy2(path, target)
        else:
            pseudonymise_frame(pd.read_csv(path), numbers).to_csv(target, index=False)
        if not internal and _names_a_customer(target, numbers):
            target.unlink()
        else:
            copied.append(target)
    return copied


def without_machine_paths(text: str) -> str:
    """`text` with the build machine's folders named as data/README.md names them.

    provenance.json records where the raw files were read (an absolute path); published,
    that path means nothing to a reader and discloses the build folder. The shared data
    folder becomes `../shared/data`, the project folder `.`; the JSON stays valid.
    """
    for folder, name in ((DEFAULT_SHARED_DATA_DIR, "../shared/data"), (PROJECT_ROOT, ".")):
        text = text.replace(str(folder.resolve()), name).replace(str(folder), name)
    # A shared data folder recorded by a build elsewhere (results/ computed in another clone).
    return _RECORDED_SHARED_DATA.sub("../shared/data", text)


_RECORDED_SHARED_DATA = re.compile(r'/[^"\s]*/shared/data(?=[/"])')
