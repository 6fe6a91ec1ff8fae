"""The per-page execution cache: reuse when nothing changed, re-execute when an input did."""
import pytest
from fixture_site import quiet, write_files

from render import RenderError, build_site

SITE = {
    "_quarto.yml": "project:\n  type: website\n",
    "index.qmd": "---\ntitle: Home\n---\n\nNo code here.\n",
    "chapter.qmd": "```{python}\nimport random\nprint('draw', random.random())\n```\n",
    "analysis/model.py": "THRESHOLD = 1\n",
    "results/metrics.json": "{}\n",
}


def draw(root) -> str:
    html = (root / "_site/chapter.html").read_text(encoding="utf-8")
    return html[html.index("draw "):].split("<", 1)[0]


def test_cache_reuses_outputs_and_invalidates_on_inputs(tmp_path):
    root = write_files(tmp_path, SITE)
    depends = ("analysis", "results")
    first = build_site(root, depends=depends, log=quiet)
    assert sorted(first.executed) == ["chapter.qmd", "index.qmd"]
    printed = draw(root)

    again = build_site(root, depends=depends, log=quiet)
    assert again.executed == [] and sorted(again.cached) == ["chapter.qmd", "index.qmd"]
    assert draw(root) == printed  # the stored outputs, not a new run

    (root / "analysis/__pycache__").mkdir()
    (root / "analysis/__pycache__/model.cpython-311.pyc").write_bytes(b"\0")
    assert build_site(root, depends=depends, log=quiet).executed == []

    (root / "analysis/model.py").write_text("THRESHOLD = 2\n")
    changed = build_site(root, depends=depends, log=quiet)
    assert sorted(changed.executed) == ["chapter.qmd", "index.qmd"]
    assert draw(root) != printed

    (root / "chapter.qmd").write_text(SITE["chapter.qmd"] + "\nMore prose.\n")
    assert build_site(root, depends=depends, log=quiet).executed == ["chapter.qmd"]

    assert sorted(build_site(root, use_cache=False, depends=depends, log=quiet).executed) == ["chapter.qmd",
                                                                                           "index.qmd"]


def test_config_change_invalidates_every_page(tmp_path):
    root = write_files(tmp_path, SITE)
    build_site(root, log=quiet)
    (root / "_quarto.yml").write_text("project:\n  type: website\nexecute:\n  echo: false\n")
    assert sorted(build_site(root, log=quiet).executed) == ["chapter.qmd", "index.qmd"]


def test_missing_depends_path_is_an_error(tmp_path):
    root = write_files(tmp_path, SITE)
    with pytest.raises(RenderError, match="--depends nope: no such file or directory"):
        build_site(root, depends=("nope",), log=quiet)
