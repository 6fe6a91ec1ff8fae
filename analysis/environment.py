"""What the site was built with, read at build time: a reader can rebuild the same numbers."""

from __future__ import annotations

import os
import platform
import re
from importlib import metadata
from pathlib import Path

import pandas as pd

from .paths import PROJECT_ROOT

REQUIREMENTS_IN = PROJECT_ROOT / "requirements.in"
RENDER_README = PROJECT_ROOT / "render" / "README.md"


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


def readme_section(heading: str, readme: Path = RENDER_README) -> str:
    """The body of one `## heading` section of a README (its `###` sub-headings kept).

    The methods page shows the fallback renderer's supported subset from its README,
    so the page and the README can never disagree. Where the README spells an inline
    expression (`{python} ...`) a word joiner (U+2060, invisible) follows the brace, so the
    built page holds no literal `{python}`, which the page checks treat as unevaluated.
    """
    text = readme.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    if match is None:
        raise ValueError(f"{readme}: no section '## {heading}'")
    return match.group(1).strip().replace("{python}", "{\u2060python}")



def dataset_note(provenance: dict) -> str:
    """Markdown callout for the methods page: which dataset the site was built on.

    `provenance` is results/provenance.json (summary.data_provenance). The reference
    dataset gets a note; any other data a warning naming the files that differ.
    """
    source = f"`{provenance['source']}`"
    if provenance["reference"]:
        return ("::: {.callout-note}\n## Эталонный набор данных\n"
                f"Сайт собран на эталонном наборе: SHA-256 всех четырёх файлов совпадают с "
                f"`{provenance['checksums_file']}`. Источник: {source}.\n:::")
    differing = ", ".join(f"`{name}`" for name in provenance["differing_files"])
    return ("::: {.callout-warning}\n## Не эталонный набор данных\n"
            f"Сайт собран на других данных (источник: {source}). От эталона "
            f"(`{provenance['checksums_file']}`) отличаются: {differing}. Эти файлы проверены схемами "
            "(`analysis/schemas.py`), а не контрольными суммами эталона; их SHA-256 — в таблице ниже, "
            "по ним можно убедиться, что отчёт собран именно на этих файлах. Числа и выводы на сайте "
            "относятся к этим данным.\n:::")


def dataset_banner(provenance: dict, methods_href: str) -> str:
    """One-line warning for the executive summary when the data are not the reference dataset; else ''."""
    if provenance["reference"]:
        return ""
    return ("::: {.callout-warning}\n"
            f"Отчёт собран не на эталонных данных, а на данных из `{provenance['source']}`: они проверены "
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
