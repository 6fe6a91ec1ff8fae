"""No page of the built site shows where it was built: the build folder's absolute path (or its
parent's, where the shared data lives) means nothing to a reader and discloses the machine."""

from __future__ import annotations

from analysis.paths import PROJECT_ROOT


def test_no_page_or_download_contains_the_build_folders_absolute_path(rendered_site):
    machine_paths = (str(PROJECT_ROOT), str(PROJECT_ROOT.parent) + "/")
    pages = sorted(rendered_site.rglob("*.html")) + sorted((rendered_site / "downloads").glob("*.json"))
    assert pages
    found = [(str(page.relative_to(rendered_site)), path) for page in pages
             for path in machine_paths if path in page.read_text(encoding="utf-8")]
    assert found == []
