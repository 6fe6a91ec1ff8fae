"""Files the website serves besides its pages: the Vega and DataTables JavaScript, the downloads.

Kept free of heavy imports: both run as Quarto pre-render steps on every build,
so a no-change rebuild stays fast.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .paths import DEFAULT_SHARED_DATA_DIR, PROJECT_ROOT, RESULTS_DIR

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


def copy_downloads(downloads: Path = DOWNLOADS_DIR, results_dir: Path = RESULTS_DIR) -> list[Path]:
    """Put every machine-readable result (CSV, JSON, the action list's XLSX) in downloads/, which the site
    ships as is.

    A pre-render step rather than post-render: pages link to downloads/..., and the
    links must resolve while pages are rendered (the fallback checks every link).
    """
    downloads.mkdir(parents=True, exist_ok=True)
    copied = []
    for path in sorted(results_dir.glob("*")):
        if path.is_file() and path.suffix == ".json":
            target = downloads / path.name
            target.write_text(without_machine_paths(path.read_text(encoding="utf-8")), encoding="utf-8")
            copied.append(target)
        elif path.is_file() and path.suffix in DOWNLOAD_SUFFIXES:
            copied.append(Path(shutil.copy2(path, downloads / path.name)))
    return copied


def without_machine_paths(text: str) -> str:
    """`text` with the build machine's folders named as data/README.md names them.

    provenance.json records where the raw files were read (an absolute path); published,
    that path means nothing to a reader and discloses the build folder. The shared data
    folder becomes `../shared/data`, the project folder `.`; the JSON stays valid.
    """
    for folder, name in ((DEFAULT_SHARED_DATA_DIR, "../shared/data"), (PROJECT_ROOT, ".")):
        text = text.replace(str(folder.resolve()), name).replace(str(folder), name)
    return text
