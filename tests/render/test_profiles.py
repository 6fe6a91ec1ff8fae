"""Quarto profiles, conditional content, column classes and the chrome-only website keys."""
from __future__ import annotations

import os

import pytest
from fixture_site import quiet, write_files

from render import RenderError, build_site
from render.config import load_project

BASE = """\
profile:
  default: internal
  group:
    - [internal, public]
project:
  type: website
  render: [index.qmd]
  pre-render: scripts/profile.py
website:
  title: T
  favicon: icon.svg
  search: true
  repo-url: https://github.com/x/y
  repo-actions: [edit, issue]
  navbar:
    left: [index.qmd]
format:
  html:
    theme:
      light: [cosmo, theme.scss]
      dark: darkly
    code-copy: true
    anchor-sections: true
"""
INTERNAL = """\
project:
  render: [secret.qmd]
website:
  navbar:
    left: [secret.qmd]
"""
PUBLIC = """\
project:
  output-dir: _public
"""
INDEX = """\
---
title: Главная
---

Для всех.

::: {.content-visible when-profile="internal"}
Только внутри: 215349.
:::

::: {.content-hidden when-profile="internal"}
Только снаружи.
:::

Текст [и ссылка на [секрет](secret.qmd)]{.content-visible unless-profile="public"}.

::: {.column-page}
Широкий блок.
:::

```{python}
#| column: page
print("широкая ячейка")
```
"""
FILES = {
    "_quarto.yml": BASE,
    "_quarto-internal.yml": INTERNAL,
    "_quarto-public.yml": PUBLIC,
    "index.qmd": INDEX,
    "secret.qmd": "---\ntitle: Секрет\n---\n\nid 215349\n",
    "icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "scripts/profile.py": "import os, pathlib\npathlib.Path('profile.txt').write_text(os.environ['QUARTO_PROFILE'])\n",
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.delenv("QUARTO_PROFILE", raising=False)
    yield write_files(tmp_path, FILES)
    os.environ.pop("QUARTO_PROFILE", None)  # build_site sets it, as Quarto does


def test_default_profile_merges_its_file_and_appends_lists(project):
    config = load_project(project)
    assert config.profiles == ("internal",)
    assert config.render == ("index.qmd", "secret.qmd")
    assert config.output_dir == project / "_site"


def test_requested_profile_replaces_the_default_and_groups_add_nothing_when_met(project):
    config = load_project(project, "public")
    assert config.profiles == ("public",)
    assert config.render == ("index.qmd",)
    assert config.output_dir == project / "_public"


def test_environment_variable_chooses_the_profile_and_a_group_adds_its_first_member(project, monkeypatch):
    monkeypatch.setenv("QUARTO_PROFILE", "extra")
    assert load_project(project).profiles == ("extra", "internal")


def test_internal_build_keeps_internal_content_and_chrome_keys(project):
    build_site(project, log=quiet)
    html = (project / "_site" / "index.html").read_text(encoding="utf-8")
    assert "Только внутри: 215349." in html and "Только снаружи." not in html
    assert 'href="secret.html"' in html and (project / "_site" / "secret.html").is_file()
    assert (project / "profile.txt").read_text() == "internal"  # scripts see QUARTO_PROFILE
    # Quarto's column class on a div and, for the cell option, on the cell's div.
    assert '<div class="column-page">' in html
    assert '<div class="cell column-page">' in html
    assert '<link rel="icon" href="icon.svg">' in html and (project / "_site" / "icon.svg").is_file()


def test_public_build_drops_internal_pages_and_content(project):
    build_site(project, log=quiet, profile="public")
    site = project / "_public"
    assert sorted(p.name for p in site.glob("*.html")) == ["index.html"]
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "Только снаружи." in html
    assert "215349" not in html and "secret" not in html
    assert (project / "profile.txt").read_text() == "public"


def test_unknown_condition_fails_with_its_name(project):
    (project / "index.qmd").write_text('---\ntitle: x\n---\n\n::: {.content-visible when-meta="x"}\nx\n:::\n',
                                       encoding="utf-8")
    with pytest.raises(RenderError, match="condition 'when-meta' is not supported"):
        build_site(project, log=quiet)


def test_repo_actions_need_a_repo_url(project):
    (project / "_quarto.yml").write_text(BASE.replace("  repo-url: https://github.com/x/y\n", ""), encoding="utf-8")
    with pytest.raises(RenderError, match="repo-actions needs website.repo-url"):
        load_project(project)
