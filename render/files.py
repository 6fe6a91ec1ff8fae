"""Which files a build reads and writes: pages to render, resources, and local links.

Quarto copies files a page links to into the site; the fallback does the same
and fails on any relative link or image that resolves to nothing.
"""
from __future__ import annotations

import re
import shutil
import urllib.parse
from pathlib import Path

from .config import Project
from .errors import RenderError

LOCAL_REF = re.compile(r'<(?:a|img)\b[^>]*?\s(?:href|src)="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|//)([^"]+)"')
SKIP_DIRS = {".venv", "venv", "node_modules"}


def pages(project: Project) -> list[str]:
    """Project-relative `.qmd` paths to render, in `project.render` order (else sorted).

    Fails if a page's folder has a `_metadata.yml`: Quarto would merge it into
    the page's options, and silently ignoring it would render the page wrong.
    """
    found = _render_list(project)
    for page in found:
        folder = (project.root / page).parent
        while True:
            if (folder / "_metadata.yml").exists():
                raise RenderError(f"{(folder / '_metadata.yml').relative_to(project.root)}: directory metadata "
                                  "files are not supported by the fallback renderer (move the options into "
                                  "_quarto.yml or the page's front matter)")
            if folder == project.root:
                break
            folder = folder.parent
    return found


def _render_list(project: Project) -> list[str]:
    root = project.root
    if not project.render:
        found = []
        for path in sorted(root.rglob("*.qmd")):
            parts = path.relative_to(root).parts
            if not any(p.startswith(("_", ".")) or p in SKIP_DIRS for p in parts) \
                    and project.output_dir not in path.parents:
                found.append(path.relative_to(root).as_posix())
        return found
    chosen: dict[str, None] = {}
    for pattern in project.render:
        exclude = pattern.startswith("!")
        matches = sorted(p.relative_to(root).as_posix() for p in root.glob(pattern.lstrip("!")) if p.is_file())
        if not matches and not exclude:
            raise RenderError(f"_quarto.yml: project.render entry '{pattern}' matches no file")
        for match in matches:
            if exclude:
                chosen.pop(match, None)
            elif not match.endswith(".qmd"):
                raise RenderError(f"_quarto.yml: project.render entry '{pattern}' matches '{match}'; "
                                  "the fallback renderer only renders .qmd files")
            else:
                chosen[match] = None
    return list(chosen)


def copy_resources(project: Project) -> None:
    """Copy `project.resources` globs into the output dir, keeping their paths (directories recursively)."""
    for pattern in project.resources:
        # Globs are relative to the project root; Quarto's leading `/` (anchored) means the same.
        matches = [p for p in sorted(project.root.glob(pattern.lstrip("/")))
                   if project.output_dir not in (p, *p.parents)]
        if not matches:
            raise RenderError(f"_quarto.yml: project.resources entry '{pattern}' matches no file")
        for source in matches:
            copy_into_site(project, source)


def copy_into_site(project: Project, source: Path) -> None:
    target = project.output_dir / source.relative_to(project.root)
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        shutil.copy2(source, target)


def check_local_links(project: Project, written: dict[str, str]) -> None:
    """Every relative `<a href>`/`<img src>` of every page must resolve in the site.

    A target missing from the site but present in the project (an image, a
    CSV) is copied in, as Quarto does; one missing from both fails the build.
    """
    broken = []
    for page, html_text in written.items():
        page_dir = posixpath_dir(page)
        for ref in dict.fromkeys(LOCAL_REF.findall(html_text)):
            path = urllib.parse.unquote(ref.split("#")[0].split("?")[0])
            if not path:
                continue
            relative = Path(page_dir, path).as_posix()
            target, source = project.output_dir / relative, project.root / relative
            if target.exists():
                continue
            if source.is_file() and project.root in source.resolve().parents:
                copy_into_site(project, source.resolve())
            else:
                broken.append(f"{page}: '{ref}'")
    if broken:
        raise RenderError("links to files that are neither in the site nor in the project:\n  " + "\n  ".join(broken))


def posixpath_dir(page: str) -> str:
    return page.rsplit("/", 1)[0] if "/" in page else "."
