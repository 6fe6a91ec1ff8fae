"""What the site was built with, read at build time: a reader can rebuild the same numbers."""

from __future__ import annotations

import platform
import re
from importlib import metadata
from pathlib import Path

import pandas as pd

from .paths import PROJECT_ROOT

REQUIREMENTS_IN = PROJECT_ROOT / "requirements.in"
RENDER_README = PROJECT_ROOT / "render" / "README.md"


def direct_requirements(requirements_in: Path = REQUIREMENTS_IN) -> list[str]:
    """The packages the project asks for by name (requirements.txt pins them and the rest)."""
    lines = requirements_in.read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


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
    so the page and the README can never disagree.
    """
    text = readme.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    if match is None:
        raise ValueError(f"{readme}: no section '## {heading}'")
    return match.group(1).strip()
