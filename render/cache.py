"""Per-page cache of executed notebooks under `<project>/.quarto-fallback/`.

A page is re-executed only when something that could change its outputs
changed: its own text, the project config, the renderer's Python sources,
the interpreter, or the `--depends` paths (the analysis package, results).
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import nbformat

from .errors import RenderError

CACHE_DIR = ".quarto-fallback"
RENDERER_DIR = Path(__file__).resolve().parent


def _hash_tree(digest: "hashlib._Hash", path: Path, root: Path) -> None:
    files = [path] if path.is_file() else sorted(
        p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.relative_to(path).parts)
    for file in files:
        digest.update(os.path.relpath(file, root).encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")


def shared_key(root: Path, config_files: tuple[Path, ...], depends: tuple[str, ...]) -> str:
    """The part of every page's key that does not depend on the page (computed once per build)."""
    digest = hashlib.sha256()
    digest.update(f"{sys.executable}\0{sys.version}\0".encode())
    for file in config_files:
        _hash_tree(digest, file, root)
    for source in sorted(RENDERER_DIR.glob("*.py")):
        _hash_tree(digest, source, RENDERER_DIR)
    for dependency in depends:
        path = (root / dependency).resolve()
        if not path.exists():
            raise RenderError(f"--depends {dependency}: no such file or directory in {root}")
        _hash_tree(digest, path, root)
    return digest.hexdigest()


def page_key(shared: str, qmd_text: str) -> str:
    return hashlib.sha256(f"{shared}\0{qmd_text}".encode()).hexdigest()


def _path(root: Path, page: str) -> Path:
    return root / CACHE_DIR / (page + ".ipynb")


def load(root: Path, page: str, key: str) -> nbformat.NotebookNode | None:
    """The stored executed notebook for `page` if it was made under `key`, else None."""
    path = _path(root, page)
    try:
        notebook = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return None
    return notebook if notebook.metadata.get("fallback", {}).get("key") == key else None


def store(root: Path, page: str, key: str, notebook: nbformat.NotebookNode) -> None:
    path = _path(root, page)
    path.parent.mkdir(parents=True, exist_ok=True)
    notebook.metadata["fallback"] = {**notebook.metadata.get("fallback", {}), "key": key}
    partial = path.with_suffix(".partial")
    nbformat.write(notebook, partial)
    partial.replace(path)
