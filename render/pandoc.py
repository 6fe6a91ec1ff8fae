"""Markdown to HTML with the pandoc bundled in pypandoc-binary (3.9, not on PATH).

Pandoc writes only the page body and its table of contents (template
`templates/fragment.html`); the page around it is `templates/page.html`.
"""
from __future__ import annotations

import dataclasses
import functools
import subprocess
from pathlib import Path

import pypandoc

from .errors import RenderError

HERE = Path(__file__).resolve().parent
FRAGMENT = HERE / "templates" / "fragment.html"
FILTER = HERE / "filters" / "quarto.lua"
SPLIT = "<!-- render:body -->"
CALLOUTS = ("note", "tip", "warning", "important", "caution")
# Pandoc's own markdown already enables what Quarto authors use: pipe tables, fenced divs,
# bracketed spans, raw html/attributes, tex math. Citations stay off: @fig- refs are resolved earlier.
READER = "markdown-citations"
COMMON = ["--to", "html5", "--wrap=none", "--mathml", "--syntax-highlighting=pygments"]


@dataclasses.dataclass(frozen=True)
class Fragment:
    toc: str
    body: str
    warnings: str


@functools.cache
def executable() -> str:
    return pypandoc.get_pandoc_path()


def _run(args: list[str], text: str, where: str) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run([executable(), *args], input=text, capture_output=True, text=True, encoding="utf-8")
    except OSError as error:
        raise RenderError(f"{where}: cannot run pandoc ({executable()}): {error}") from None
    if done.returncode != 0:
        raise RenderError(f"{where}: pandoc failed (exit {done.returncode}):\n{done.stderr.strip()}")
    return done


def page_html(markdown: str, *, toc: bool, toc_depth: int, words: dict, where: str,
              profiles: tuple[str, ...] = ()) -> Fragment:
    """Convert one page; `words` supplies the localised default callout titles, `profiles` the
    active Quarto profiles that `.content-visible when-profile=...` tests."""
    args = ["--from", READER, *COMMON, "--section-divs", f"--template={FRAGMENT}", f"--lua-filter={FILTER}",
            f"--toc-depth={toc_depth}"]
    args += ["--toc"] if toc else []
    for kind in CALLOUTS:
        args += ["--metadata", f"callout-{kind}-title={words[kind]}"]
    args += ["--metadata", f"quarto-profile={','.join(profiles)}"]
    done = _run(args, markdown, where)
    toc_html, _, body = done.stdout.partition(SPLIT)
    return Fragment(toc=toc_html.strip(), body=body.strip(), warnings=done.stderr.strip())


def snippet_html(markdown: str, where: str) -> str:
    """A short markdown string (e.g. the page footer) as HTML, `.qmd` links rewritten."""
    return _run(["--from", READER, *COMMON, f"--lua-filter={FILTER}"], markdown, where).stdout.strip()


def highlight_css() -> str:
    """The syntax-highlighting CSS pandoc would inline in every page; the site stylesheet carries it once."""
    template = HERE / "templates" / "highlight.css.template"
    return _run(["--from", READER, *COMMON, f"--template={template}"], "```python\nx = 1\n```\n",
                "syntax highlighting").stdout
