"""Reading `_quarto.yml`: defaults, the supported subset, and loud errors for everything else."""
import pytest

from render import RenderError
from render.config import load_project


def project_from(tmp_path, text, **extra_files):
    (tmp_path / "_quarto.yml").write_text(text, encoding="utf-8")
    for name, content in extra_files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    return load_project(tmp_path)


def test_defaults(tmp_path):
    project = project_from(tmp_path, "project:\n  type: website\n")
    assert project.output_dir == tmp_path.resolve() / "_site"
    assert project.execute_dir == "file"
    assert project.render == project.resources == project.pre_render == project.post_render == ()
    assert project.website == {} and project.html == {} and project.execute == {} and project.lang is None


def test_full_supported_config(tmp_path):
    project = project_from(tmp_path, """\
project:
  type: website
  output-dir: public
  render: [index.qmd, "chapters/*.qmd"]
  resources: assets
  execute-dir: project
  pre-render: scripts/prepare.py
  post-render: [scripts/a.py, echo done]
lang: ru
website:
  title: T
  description: D
  site-url: https://example.com
  repo-url: https://github.com/x/y
  page-navigation: true
  navbar: {title: Home, left: [index.qmd, {href: a.qmd, text: A}], right: [{href: "https://x.org", text: X}]}
  sidebar: {style: docked, title: S, contents: [index.qmd, {section: Part, contents: [a.qmd]}]}
  page-footer: {left: L, right: R}
format:
  html:
    theme: cosmo
    toc: true
    toc-depth: 2
    toc-title: Contents
    toc-location: right
    code-fold: show
    code-summary: Show
    code-tools: false
    include-in-header: header.html
    css: extra.css
    number-sections: false
    smooth-scroll: true
    anchor-sections: false
execute:
  echo: fenced
  output: asis
  warning: false
  freeze: auto
""")
    assert project.output_dir.name == "public"
    assert project.render == ("index.qmd", "chapters/*.qmd")
    assert project.resources == ("assets",)
    assert project.post_render == ("scripts/a.py", "echo done")
    assert project.lang == "ru"
    assert project.html["toc-depth"] == 2
    assert project.execute["echo"] == "fenced"


def test_metadata_files_merge_over_quarto_yml(tmp_path):
    project = project_from(tmp_path, "project:\n  type: website\nmetadata-files: [extra.yml]\n"
                                     "website:\n  title: Base\n  navbar:\n    left: [index.qmd]\n",
                           **{"extra.yml": "website:\n  title: Override\n  navbar:\n    left: [a.qmd]\n"})
    assert project.website["title"] == "Override"
    assert project.website["navbar"]["left"] == ["index.qmd", "a.qmd"]
    assert tmp_path.resolve() / "extra.yml" in project.config_files


@pytest.mark.parametrize("text, message", [
    ("project:\n  type: book\n", "only builds 'website' projects"),
    ("project:\n  type: website\nbook:\n  title: x\n", "key 'book' is not supported by the fallback renderer; "
                                                        "supported: project, website"),
    ("project:\n  type: website\n  lib-dir: libs\n", "key 'project.lib-dir' is not supported"),
    ("project:\n  type: website\nwebsite:\n  announcement: hi\n", "key 'website.announcement' is not supported"),
    ("project:\n  type: website\nwebsite:\n  navbar:\n    background: primary\n", "key 'website.navbar.background'"),
    ("project:\n  type: website\nwebsite:\n  navbar:\n    left:\n      - text: Menu\n        menu: [a.qmd]\n",
     "key 'website.navbar.left[0].menu'"),
    ("project:\n  type: website\nwebsite:\n  sidebar:\n    contents:\n      - section: S\n        href: s.qmd\n",
     "key 'website.sidebar.contents[0].href'"),
    ("project:\n  type: website\nwebsite:\n  sidebar: [{contents: [a.qmd]}]\n", "'website.sidebar' must be a mapping"),
    ("project:\n  type: website\nformat:\n  pdf: default\n", "key 'format.pdf' is not supported"),
    ("project:\n  type: website\nformat:\n  html:\n    number-sections: true\n", "'format.html.number-sections' is True"),
    ("project:\n  type: website\nformat:\n  html:\n    code-tools: true\n", "'format.html.code-tools' is True"),
    ("project:\n  type: website\nformat:\n  html:\n    fig-width: 8\n", "key 'format.html.fig-width'"),
    ("project:\n  type: website\nexecute:\n  cache: true\n", "key 'execute.cache' is not supported"),
    ("project:\n  type: website\nexecute:\n  echo: sometimes\n", "'execute.echo' is 'sometimes'"),
    ("project:\n  type: website\n  execute-dir: elsewhere\n", "'project.execute-dir' is 'elsewhere'"),
    ("project:\n  type: website\n  output-dir: ..\n", "must be a folder inside the project"),
    ("project:\n  type: website\n  output-dir: .\n", "must be a folder inside the project"),
    ("project:\n  type: website\nlang: de\n", "lang 'de' is not supported"),
    ("project:\n  type: website\ncomments:\n  giscus:\n    repo: a/b\n", "key 'comments.giscus' is not supported"),
    ("project:\n  type: website\ncomments:\n  hypothesis: yes please\n", "'comments.hypothesis' is 'yes please'"),
    ("project:\n  type: website\ncomments:\n  hypothesis:\n    openSidebar: nope\n",
     "'comments.hypothesis.openSidebar' is 'nope'"),
    ("project:\n  type: website\ncomments:\n  hypothesis:\n    group: abc\n", "key 'comments.hypothesis.group'"),
    ("project: [\n", "_quarto.yml: invalid YAML"),
])
def test_unsupported_or_invalid_config_fails_naming_the_key(tmp_path, text, message):
    with pytest.raises(RenderError) as error:
        project_from(tmp_path, text)
    assert message in str(error.value)
    assert "_quarto.yml" in str(error.value)


def test_hypothesis_comments_are_the_one_supported_provider(tmp_path):
    assert project_from(tmp_path, "project:\n  type: website\n").comments is None
    enabled = project_from(tmp_path, "project:\n  type: website\ncomments:\n  hypothesis: true\n")
    assert enabled.comments == "hypothesis"
    disabled = project_from(tmp_path, "project:\n  type: website\ncomments:\n  hypothesis: false\n")
    assert disabled.comments is None
    configured = project_from(tmp_path, "project:\n  type: website\ncomments:\n  hypothesis:\n"
                                        "    openSidebar: false\n    theme: clean\n")
    assert configured.comments == "hypothesis"
    assert configured.comments_config == {"openSidebar": False, "theme": "clean"}
    assert enabled.comments_config == {}


def test_missing_config_file(tmp_path):
    with pytest.raises(RenderError, match="_quarto.yml: file not found"):
        load_project(tmp_path)
