"""Quarto-compatible fallback renderer: builds the project's website when `quarto` is not installed.

`build_site(project_dir)` renders `_quarto.yml` + `*.qmd` into the output dir
and returns a `BuildReport`; every problem is a `RenderError` whose message
names the file and line. See render/README.md for the supported subset.
"""
from .build import BuildReport, PageReport, build_site
from .errors import RenderError

__all__ = ["BuildReport", "PageReport", "RenderError", "build_site"]
