"""`build_site`: the whole render, in Quarto's order.

pre-render scripts -> read config and pages -> validate every page (before
any kernel starts) -> execute or reuse each page -> pandoc -> recreate the
output dir and write pages, stylesheet, resources -> check local links ->
post-render scripts. Every finished page is checked for leftovers (an
unevaluated `{python}`, an unresolved `@fig-`/`@tbl-`). Nothing is written to the output dir until every page
has rendered, so a failing cell never leaves a half-built page behind.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import time
from pathlib import Path
from typing import Callable, Iterable

from . import cache, files, outputs, pandoc, qmd, scripts, site, unresolved
from .config import Project, load_project
from .errors import RenderError
from .execute import execute
from .options import page_options

SITE_CSS = Path(__file__).resolve().parent / "templates" / "site.css"


@dataclasses.dataclass(frozen=True)
class PageReport:
    source: str
    output: str
    executed: bool  # False: outputs reused from the cache, no kernel started
    seconds: float


@dataclasses.dataclass(frozen=True)
class BuildReport:
    output_dir: Path
    pages: tuple[PageReport, ...]
    seconds: float

    @property
    def executed(self) -> list[str]:
        return [p.source for p in self.pages if p.executed]

    @property
    def cached(self) -> list[str]:
        return [p.source for p in self.pages if not p.executed]


def build_site(project_dir: str | Path = ".", *, use_cache: bool = True, depends: Iterable[str] = (),
               log: Callable[[str], None] = print, profile: str | None = None) -> BuildReport:
    """Render the website project in `project_dir` into its output dir; raise `RenderError` on any problem.

    `profile`: Quarto profile names, comma-separated (None: QUARTO_PROFILE, else the config's
    `profile.default`). As Quarto does, the active profiles are then set in QUARTO_PROFILE for
    the scripts and kernels of this process.
    """
    started = time.perf_counter()
    root = Path(project_dir).resolve()
    project = load_project(root, profile)
    os.environ["QUARTO_PROFILE"] = ",".join(project.profiles)
    if project.pre_render:
        scripts.run(project, "pre-render", project.pre_render, {"input": files.pages(project)})
        project = load_project(root, ",".join(project.profiles))  # pre-render may change the config or add pages (Quarto >= 1.5)
    sources = files.pages(project)
    if not sources:
        raise RenderError(f"{root}: no .qmd pages to render")
    for source in sources:
        if project.output_dir in (root / source).parents:
            raise RenderError(f"_quarto.yml: project.output-dir contains the page {source}; it is deleted on "
                              "every build, so it must not hold sources")
    texts = {source: (root / source).read_text(encoding="utf-8") for source in sources}
    docs = {source: qmd.parse(texts[source], source) for source in sources}
    nav = site.navigation(project, docs)
    prepared = {source: page_options(project, doc) for source, doc in docs.items()}
    headers = {source: _header_includes(project, page.html["include-in-header"], source)
               for source, page in prepared.items()}
    for css in {c for page in prepared.values() for c in page.html["css"]}:
        if not (root / css).is_file():
            raise RenderError(f"css file '{css}' not found in {root}")
    shared = cache.shared_key(root, project.config_files, tuple(depends))

    written: dict[str, str] = {}
    reports = []
    for source, doc in docs.items():
        page_started = time.perf_counter()
        page = prepared[source]
        key = cache.page_key(shared, texts[source])
        notebook = cache.load(root, source, key) if use_cache else None
        executed = notebook is None
        if executed:
            cwd = (root / source).parent if project.execute_dir == "file" else root
            notebook = execute(doc, page, cwd)
            cache.store(root, source, key, notebook)
        fragment = pandoc.page_html(outputs.page_markdown(doc, notebook, page), toc=bool(page.html.get("toc")),
                                    toc_depth=int(page.html.get("toc-depth", 3)), words=page.words, where=source,
                                    profiles=project.profiles)
        if fragment.warnings:
            log(f"  {source}: pandoc: {fragment.warnings}")
        output = site.output_path(source)
        written[output] = site.render_page(doc, fragment, page, nav, project, headers[source],
                                           page.html["css"])
        unresolved.check(written[output], source, texts[source])
        seconds = time.perf_counter() - page_started
        reports.append(PageReport(source, output, executed, seconds))
        log(f"  {'executed' if executed else 'cached  '}  {source}  {seconds:.1f}s")

    _write_site(project, written, sorted({c for page in prepared.values() for c in page.html["css"]}))
    files.copy_resources(project)
    files.check_local_links(project, written)
    if project.post_render:
        scripts.run(project, "post-render", project.post_render, {"input": sources, "output": list(written)})
    report = BuildReport(project.output_dir, tuple(reports), time.perf_counter() - started)
    log(f"rendered {len(reports)} pages ({len(report.executed)} executed, {len(report.cached)} cached) "
        f"into {project.output_dir.relative_to(root)}/ in {report.seconds:.1f}s")
    return report


def _header_includes(project: Project, items: list, source: str) -> str:
    """`include-in-header` content, verbatim, in order (project entries first)."""
    parts = []
    for item in items:
        if isinstance(item, dict):
            parts.append(item["text"])
            continue
        try:
            parts.append((project.root / item).read_text(encoding="utf-8"))
        except OSError:
            raise RenderError(f"{source}: include-in-header file '{item}' not found in {project.root}") from None
    return "\n".join(parts)


def _write_site(project: Project, written: dict[str, str], css: list[str]) -> None:
    out = project.output_dir
    if out.exists():
        shutil.rmtree(out)
    for page, text in written.items():
        (out / page).parent.mkdir(parents=True, exist_ok=True)
        (out / page).write_text(text, encoding="utf-8")
    stylesheet = out / site.STYLESHEET
    stylesheet.parent.mkdir(parents=True)
    stylesheet.write_text(SITE_CSS.read_text(encoding="utf-8") + "\n" + pandoc.highlight_css(), encoding="utf-8")
    for path in css:
        files.copy_into_site(project, project.root / path)
    favicon = project.website.get("favicon")
    if favicon:
        if not (project.root / favicon).is_file():
            raise RenderError(f"_quarto.yml: website.favicon '{favicon}' not found in {project.root}")
        files.copy_into_site(project, project.root / favicon)
