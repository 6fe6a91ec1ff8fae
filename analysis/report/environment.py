"""What the site was built with, read at build time: a reader can rebuild the same numbers."""

from __future__ import annotations

import os
import platform
import re
from importlib import metadata
from pathlib import Path

import pandas as pd

from ..constants import PUBLIC_DATA_URL
from ..paths import DEFAULT_SHARED_DATA_DIR, PROJECT_ROOT

REQUIREMENTS_IN = PROJECT_ROOT / "requirements.in"


REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def direct_requirements(requirements_in: Path = REQUIREMENTS_IN) -> list[str]:
    """The packages the project asks for by name (requirements.txt pins them and the rest).

    Only the distribution name of each line: extras (`dask[dataframe]`), version
    specifiers and markers are not part of it.
    """
    names = []
    for line in requirements_in.read_text(encoding="utf-8").splitlines():
        match = REQUIREMENT_NAME.match(line.split("#")[0].strip())
        if match:
            names.append(match.group(0))
    return names


def library_versions(requirements_in: Path = REQUIREMENTS_IN) -> pd.DataFrame:
    """Installed version of every direct requirement, from the running environment."""
    rows = [{"package": name, "version": metadata.version(name)}
            for name in direct_requirements(requirements_in)]
    return pd.DataFrame(rows)


def runtime() -> dict[str, str]:
    return {"python": platform.python_version(), "platform": platform.platform(terse=True)}


def source_name(source: str, shared_dir: Path = DEFAULT_SHARED_DATA_DIR) -> str:
    """Where the raw files came from, in markdown, as data/README.md names the sources.

    Never the absolute path of the machine that built the site (it means nothing to a
    reader and discloses the build folder): the shared folder is `../shared/data/`, the
    public course location its URL, any other folder (ONECLICK_DATA_DIR) by its own name.
    """
    if source.startswith(("http://", "https://")):
        return f"публичный адрес курса (`{source}`)" if source.startswith(PUBLIC_DATA_URL) else f"`{source}`"
    if Path(source).resolve() == Path(shared_dir).resolve():
        return "папка `../shared/data/` рядом с репозиторием"
    return f"папка из `ONECLICK_DATA_DIR` («{Path(source).name}»)"


def dataset_note(provenance: dict) -> str:
    """Markdown callout for the methods page: which dataset the site was built on.

    `provenance` is results/provenance.json (summary.data_provenance). The reference
    dataset gets a note; any other data a warning naming the files that differ.
    """
    source = source_name(provenance["source"])
    if provenance["reference"]:
        return ("::: {.callout-note}\n## Эталонный набор данных\n"
                f"Сайт собран на эталонном наборе: SHA-256 всех четырёх файлов совпадают с "
                f"`{provenance['checksums_file']}`. Источник: {source}.\n:::")
    differing = ", ".join(f"`{name}`" for name in provenance["differing_files"])
    return ("::: {.callout-warning}\n## Не эталонный набор данных\n"
            f"Сайт собран на других данных (источник: {source}). От эталона "
            f"(`{provenance['checksums_file']}`) отличаются: {differing}. Эти файлы проверены схемами "
            "(`analysis/data/schemas.py`), а не контрольными суммами эталона; их SHA-256 — в таблице ниже, "
            "по ним можно убедиться, что отчёт собран именно на этих файлах. Числа и выводы на сайте "
            "относятся к этим данным.\n:::")


def dataset_banner(provenance: dict, methods_href: str) -> str:
    """One-line warning for the executive summary when the data are not the reference dataset; else ''."""
    if provenance["reference"]:
        return ""
    return ("::: {.callout-warning}\n"
            f"Отчёт собран не на эталонных данных, а на данных (источник: {source_name(provenance['source'])}): они проверены "
            f"схемами, а не контрольными суммами эталона — источник и SHA-256 файлов в [«Методах»]({methods_href}).\n"
            ":::")


def renderer(env: dict[str, str] | None = None) -> str:
    """Which program is rendering this page, for the methods page: «Quarto 1.10.18» or
    «запасной рендерер (render/)».

    Quarto's launcher sets QUARTO_SHARE_PATH for everything it runs, kernels included, and
    keeps its version in `version` there; the fallback renderer sets neither.
    """
    env = os.environ if env is None else env
    share = env.get("QUARTO_SHARE_PATH")
    if share:
        version_file = Path(share) / "version"
        version = version_file.read_text(encoding="utf-8").strip() if version_file.is_file() else "неизвестной версии"
        return f"Quarto {version}"
    return "запасной рендерер (render/)"
