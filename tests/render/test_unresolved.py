"""The last check on every finished page: no unevaluated `{python}` and no unresolved @fig-/@tbl- left."""
import pytest
from fixture_site import quiet, write_files

from render import RenderError, build_site
from render.unresolved import check

SOURCE = "---\ntitle: T\n---\n\nA paragraph.\n\nSee @fig-bars and `{python} 2 + 2`.\n"


@pytest.mark.parametrize("html, shown", [
    ("<p>See @fig-bars and 4.</p>", "@fig-bars"),
    ("<p>See [-@tbl-x] and more</p>", "[-@tbl-x]"),
    ("<p>See <a href='#fig-bars'>Рисунок 1</a> and {python} 2 + 2.</p>", "{python} 2 + 2."),
    ("<h2>{python} total</h2>", "{python} total"),
])
def test_a_leftover_on_the_page_fails_with_page_and_line(html, shown):
    with pytest.raises(RenderError) as error:
        check(f"<html><body>{html}</body></html>", "chapters/a.qmd", SOURCE)
    assert f"still shows {shown!r}" in str(error.value)
    assert str(error.value).startswith("chapters/a.qmd")


def test_the_line_is_named_when_the_source_holds_the_text():
    with pytest.raises(RenderError, match=r"^chapters/a.qmd:7: the rendered page still shows '@fig-bars'"):
        check("<p>See @fig-bars</p>", "chapters/a.qmd", SOURCE)


@pytest.mark.parametrize("html", [
    "<p>Write <code>`{python} x`</code> in Quarto; see <a href='#fig-a'>Рисунок 1</a>.</p>",
    "<pre><code>See @fig-bars\n`{python} 1`</code></pre>",
    "<!-- см. @fig-old и `{python} 1` -->",
    "<script type='application/json'>{\"note\": \"{python} @fig-x\"}</script>",
    "<p>Mail someone@fig-tree.example</p>",
])
def test_code_comments_and_scripts_may_show_the_syntax(html):
    check(f"<html><body>{html}</body></html>", "a.qmd", SOURCE)


def test_an_inline_value_that_prints_a_reference_fails_the_build(tmp_path):
    """A miss anywhere before pandoc (here a computed string) is still caught on the page."""
    root = write_files(tmp_path, {"_quarto.yml": "project:\n  type: website\n",
                                  "index.qmd": "---\ntitle: T\n---\n\nText `{python} 'см. @fig-none'`.\n"})
    with pytest.raises(RenderError, match=r"index.qmd:5: the rendered page still shows '@fig-none'"):
        build_site(root, log=quiet)
    assert not (root / "_site").exists()


def test_the_issue_page_renders_the_value_and_the_link(tmp_path):
    page = ("---\ntitle: T\n---\n\nПоле `id в выгрузке CRM.\n\n<!-- см. @fig-old -->\n\n"
            "См. @fig-bars и `{python} 2 + 2`.\n\n```{python}\n#| label: fig-bars\n#| fig-cap: Столбцы\n"
            "from IPython.display import HTML\nHTML('<b>bars</b>')\n```\n")
    root = write_files(tmp_path, {"_quarto.yml": "project:\n  type: website\nlang: ru\n", "index.qmd": page})
    build_site(root, log=quiet)
    html = (root / "_site/index.html").read_text(encoding="utf-8")
    assert "Поле `id в выгрузке CRM." in html
    assert 'href="#fig-bars"' in html and "Рисунок\u00a01</a> и 4." in html
    assert "<!-- см. @fig-old -->" in html
