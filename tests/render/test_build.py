"""Whole builds with real kernels: navigation, page content, resources, scripts, failures."""
import json
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fixture_site import SITE, quiet, write_files

from render import RenderError, build_site
from render.execute import write_kernel_spec

PAGES = ("index.html", "chapters/a.html", "chapters/b.html")


def page(root: Path, name: str) -> str:
    return (root / "_site" / name).read_text(encoding="utf-8")


def hrefs(html: str, selector_class: str) -> list[tuple[str, str]]:
    """(href, text) of the links inside the element whose class starts with `selector_class`."""
    start = html.index(f'class="{selector_class}')
    block = html[start:html.index("</nav>" if "navbar" not in selector_class else "</header>", start)]
    links = re.findall(r'<a\b[^>]*?href="([^"]+)"[^>]*>(.*?)</a>', block)
    return [(href, re.sub(r'<span class="nav-label">.*?</span>|<[^>]+>', "", text)) for href, text in links]


def test_report_lists_every_page_as_executed_on_first_build(built_site):
    root, report = built_site
    assert sorted(report.executed) == ["chapters/a.qmd", "chapters/b.qmd", "index.qmd"]
    assert report.cached == [] and report.output_dir == root.resolve() / "_site"


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_full_navigation_with_links_that_resolve(built_site, name):
    root, _ = built_site
    html = page(root, name)
    depth = name.count("/")
    assert f'<meta name="quarto:offset" content="{"../" * depth or "./"}">' in html
    assert '<html lang="ru">' in html and '<meta charset="utf-8">' in html and 'name="viewport"' in html
    assert '<meta name="fixture-header" content="included">' in html
    navbar = hrefs(html, "navbar")
    assert [text for _, text in navbar] == ["Тестовый сайт", "Обзор", "Глава А (меню)", "Глава Б"]
    sidebar = hrefs(html, "sidebar")
    assert [text for _, text in sidebar] == ["Обзор", "Глава А", "Глава Б"]  # link text = page title
    for href, _ in navbar + sidebar + hrefs(html, "page-navigation") + hrefs(html, "toc"):
        if not href.startswith("#"):
            assert (root / "_site" / posixpath.dirname(name) / href).resolve().is_file(), href
    for href in re.findall(r'<(?:link|script)[^>]+(?:href|src)="([^"]+)"', html):
        if href == "https://hypothes.is/embed.js":
            continue  # the comments script, checked on its own below
        assert not re.match(r"^(https?:)?//", href)
        assert (root / "_site" / posixpath.dirname(name) / href).resolve().is_file()
    active = re.findall(r'<a href="([^"]+)" class="active" aria-current="page">', html)
    assert active and all(posixpath.normpath(posixpath.join(posixpath.dirname(name), a)) == name for a in active)
    assert 'Главная</a>' in html and f'href="{"../" * depth}index.html">Главная' in html  # footer, relative


def test_prev_next_follow_sidebar_order(built_site):
    root, _ = built_site
    assert hrefs(page(root, "index.html"), "page-navigation") == [("chapters/a.html", "Глава А")]
    assert [t for _, t in hrefs(page(root, "chapters/a.html"), "page-navigation")] == ["Обзор", "Глава Б"]
    assert hrefs(page(root, "chapters/b.html"), "page-navigation") == [("a.html", "Глава А")]
    assert "Предыдущая" in page(root, "chapters/b.html")


def test_titles_toc_and_prose_links(built_site):
    root, _ = built_site
    index = page(root, "index.html")
    assert "<title>Обзор – Тестовый сайт</title>" in index
    assert '<h2 id="toc-title">Содержание</h2>' in index and 'href="#итоги"' in index
    assert '<a href="chapters/a.html">главы А</a>' in index  # .qmd link rewritten
    assert [t for _, t in hrefs(page(root, "chapters/a.html"), "toc")] == ["Данные", "Выводы"]


def test_chapter_content_is_executed_and_rendered(built_site):
    root, _ = built_site
    html = page(root, "chapters/a.html")
    assert "Итого 42 клиентов, а подпись a*b;" in html
    assert '<code>`{python} total`</code>' in html  # inline syntax inside a code span is left alone
    assert '<details class="code-fold"><summary>Код</summary>' in html and "total <span" in html
    assert "<pre><code>hello from a</code></pre>" in html
    assert '<div class="callout callout-note">' in html and "Главное" in html
    assert '<a href="#fig-bars" class="quarto-xref">Рисунок\u00a01</a>' in html
    assert "<svg id='bars'" in html and "Рисунок\u00a01: Столбцы по группам" in html
    assert "from IPython.display" not in html  # project-level echo: false


def test_collapsible_callouts_are_details_closed_or_open_as_quarto_shows_them(built_site):
    root, _ = built_site
    html = page(root, "chapters/a.html")
    closed = re.search(r'<details class="callout callout-note callout-collapsible">\s*'
                       r'<summary class="callout-header">\s*Для аналитика\s*</summary>\s*'
                       r'<div class="callout-body">\s*<p>Подробности <em>под катом</em>.</p>\s*</div>\s*</details>', html)
    assert closed, html
    assert re.search(r'<details class="callout callout-tip callout-collapsible" open>\s*'
                     r'<summary class="callout-header">\s*Открыто сразу\s*</summary>', html)
    assert '<div class="callout callout-note">' in html  # a callout without collapse stays a box


def test_skip_link_is_the_first_thing_in_the_body_and_targets_the_focusable_main(built_site):
    root, _ = built_site
    for name in PAGES:
        html = page(root, name)
        body = html[html.index("<body>") + len("<body>"):].lstrip()
        assert body.startswith('<a class="skip-link" href="#quarto-document-content">Перейти к содержанию</a>'), name
        assert '<main class="content" id="quarto-document-content" tabindex="-1">' in html
        assert '<input type="checkbox" id="sidebar-toggle" class="sidebar-toggle" aria-controls="sidebar-menu">' in html
        assert '<nav class="sidebar" id="sidebar-menu"' in html


def test_warning_false_drops_warnings_and_kernel_is_this_interpreter(built_site):
    root, _ = built_site
    html = page(root, "chapters/b.html")
    assert "THIS WARNING MUST NOT APPEAR" not in html and "cell-output-stderr" not in html
    assert f"printed {sys.executable}" in html


def test_resources_copied_and_post_render_ran(built_site):
    root, _ = built_site
    assert (root / "_site/assets/logo.txt").read_text() == "logo"
    assert (root / "_site/post-render.txt").read_text() == str(root.resolve() / "_site")
    assert (root / "_site/site_libs/fallback/site.css").read_text().count("code span.kw") == 1


def test_kernel_ignores_user_kernelspecs(tmp_path, monkeypatch):
    """A user-level `python3` kernelspec pointing elsewhere must not be used."""
    bogus = tmp_path / "jupyter" / "kernels" / "python3"
    bogus.mkdir(parents=True)
    (bogus / "kernel.json").write_text(json.dumps({"argv": ["/bin/false", "{connection_file}"],
                                                   "display_name": "wrong", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter"))
    root = write_files(tmp_path / "site", {"_quarto.yml": "project:\n  type: website\n",
                                           "index.qmd": "```{python}\nimport sys\n```\n\nKernel: `{python} sys.executable`\n"})
    build_site(root, log=quiet)
    assert f"Kernel: {sys.executable}" in page(root, "index.html")
    spec = json.loads((Path(write_kernel_spec(tmp_path / "spec")) / "render-fallback-python" / "kernel.json").read_text())
    assert spec["argv"][0] == sys.executable


@pytest.mark.parametrize("execute_dir, cwd", [("file", "chapters"), ("project", ".")])
def test_execute_dir_and_css(tmp_path, execute_dir, cwd):
    root = write_files(tmp_path, {
        "_quarto.yml": f"project:\n  type: website\n  execute-dir: {execute_dir}\n"
                       "format:\n  html:\n    css: styles/extra.css\n",
        "chapters/p.qmd": "```{python}\nimport os\nprint('cwd=' + os.getcwd())\n```\n",
        "styles/extra.css": "body { color: black; }\n"})
    build_site(root, log=quiet)
    html = page(root, "chapters/p.html")
    assert f"cwd={(root / cwd).resolve()}</code>" in html
    assert '<link rel="stylesheet" href="../styles/extra.css">' in html
    assert (root / "_site/styles/extra.css").is_file()


def test_failing_cell_fails_the_build_and_writes_no_page(tmp_path):
    bad = "---\ntitle: Bad\n---\n\nText.\n\n```{python}\n#| label: boom\n#| echo: false\nrows = 0\n1 / rows\n```\n"
    root = write_files(tmp_path, {"_quarto.yml": "project:\n  type: website\n", "index.qmd": "# Home\n",
                                  "chapters/bad.qmd": bad})
    with pytest.raises(RenderError) as error:
        build_site(root, log=quiet)
    message = str(error.value)
    assert message.startswith("chapters/bad.qmd:7: cell 'boom' failed with ZeroDivisionError: division by zero")
    assert "cell code starts at line 10" in message and "1 / rows" in message and "\x1b" not in message
    assert not (root / "_site").exists()
    assert not (root / ".quarto-fallback/chapters/bad.qmd.ipynb").exists()


def test_failing_inline_expression_names_file_and_line(tmp_path):
    root = write_files(tmp_path, {"_quarto.yml": "project:\n  type: website\n",
                                  "index.qmd": "---\ntitle: T\n---\n\nValue `{python} undefined_name`.\n"})
    with pytest.raises(RenderError, match=r"index.qmd:5: inline expression `undefined_name` failed with NameError"):
        build_site(root, log=quiet)


def test_problems_in_any_page_fail_before_any_kernel_starts(tmp_path):
    root = write_files(tmp_path, {"_quarto.yml": "project:\n  type: website\n",
                                  "a.qmd": "```{python}\nopen('ran.txt', 'w').write('x')\n```\n",
                                  "z.qmd": "Intro\n\n{{< include _x.qmd >}}\n"})
    with pytest.raises(RenderError, match=r"z.qmd:3: include directives"):
        build_site(root, log=quiet)
    assert not (root / "ran.txt").exists()


@pytest.mark.parametrize("files, message", [
    ({"index.qmd": "See [missing](missing.qmd).\n"}, "index.html: 'missing.html'"),
    ({"index.qmd": "![](img/none.png)\n"}, "index.html: 'img/none.png'"),
    ({"_quarto.yml": "project:\n  type: website\nwebsite:\n  navbar:\n    left: [nowhere.qmd]\n", "index.qmd": "x\n"},
     "website.navbar.left[0]: 'nowhere.qmd' is not a page of this site"),
    ({"_quarto.yml": "project:\n  type: website\n  post-render: exit 3\n", "index.qmd": "x\n"},
     "project.post-render script 'exit 3' failed with exit code 3"),
    ({"_quarto.yml": "project:\n  type: website\n  resources: [nothing/*]\n", "index.qmd": "x\n"},
     "project.resources entry 'nothing/*' matches no file"),
    ({"index.qmd": "---\ninclude-in-header: missing.html\n---\n"}, "include-in-header file 'missing.html' not found"),
    ({"index.qmd": "x\n", "ch/a.qmd": "x\n", "ch/_metadata.yml": "toc: true\n"},
     "ch/_metadata.yml: directory metadata files are not supported"),
    ({"_quarto.yml": "project:\n  type: website\n  render: [index.qmd, notes.md]\n", "index.qmd": "x\n",
      "notes.md": "x\n"}, "matches 'notes.md'; the fallback renderer only renders .qmd files"),
    ({"_quarto.yml": "project:\n  type: website\n  output-dir: pages\n  render: [pages/*.qmd]\n", "pages/index.qmd": "x\n"},
     "project.output-dir contains the page pages/index.qmd"),
])
def test_build_errors(tmp_path, files, message):
    root = write_files(tmp_path, {"_quarto.yml": "project:\n  type: website\n", **files})
    with pytest.raises(RenderError) as error:
        build_site(root, log=quiet)
    assert message in str(error.value)


def test_linked_project_files_are_copied_and_pre_render_can_add_pages(tmp_path):
    prepare = ("import os, pathlib\n"
               "assert os.environ['QUARTO_PROJECT_RENDER_ALL'] == '1'\n"
               "pathlib.Path('generated.qmd').write_text('---\\ntitle: Generated\\n---\\n')\n")
    root = write_files(tmp_path, {"_quarto.yml": "project:\n  type: website\n  pre-render: prepare.py\n",
                                  "index.qmd": "[Data](data/table.csv) and [gen](generated.qmd)\n",
                                  "data/table.csv": "a,b\n", "prepare.py": prepare})
    report = build_site(root, log=quiet)
    assert sorted(report.executed) == ["generated.qmd", "index.qmd"]
    assert (root / "_site/data/table.csv").read_text() == "a,b\n"
    assert "<title>Generated</title>" in page(root, "generated.html")


def test_cli_prints_one_line_per_page_and_a_total(tmp_path):
    root = write_files(tmp_path, {"_quarto.yml": "project:\n  type: website\n", "index.qmd": "# Hi\n",
                                  "about.qmd": "# About\n"})
    done = subprocess.run([sys.executable, "-m", "render", str(root)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    lines = done.stdout.rstrip().splitlines()
    assert re.fullmatch(r"  executed  about.qmd  \d+\.\ds", lines[0])
    assert lines[-1].startswith("rendered 2 pages (2 executed, 0 cached) into _site/ in ")
    assert done.stderr == ""


def test_cli_error_is_one_clear_message_and_exit_1(tmp_path):
    write_files(tmp_path, {"_quarto.yml": "project:\n  type: website\nwebsite:\n  announcement: hi\n"})
    done = subprocess.run([sys.executable, "-m", "render", str(tmp_path), "--quiet"], capture_output=True,
                          text=True, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("render: error: _quarto.yml: key 'website.announcement' is not supported")
    assert "Traceback" not in done.stderr


def test_every_page_loads_the_comments_script_async_and_nothing_else_external(built_site):
    root, _ = built_site
    for page in (root / "_site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert ('<script type="application/json" class="js-hypothesis-config">{"openSidebar": false}</script>\n'
                '<script src="https://hypothes.is/embed.js" async></script>') in html
        external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html)
        assert external == ["https://hypothes.is/embed.js"], page.name
