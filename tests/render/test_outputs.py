"""From executed outputs to pandoc markdown to HTML, without kernels (outputs are built by hand)."""
import html as htmlmod

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from render import RenderError
from render.config import WORDS
from render.options import PageOptions
from render.outputs import inline_value, page_markdown
from render.pandoc import page_html
from render.qmd import parse

EN = PageOptions(html={"lang": "en"}, execute={"echo": True, "eval": True, "output": True, "include": True,
                                               "warning": True, "error": False}, words=WORDS["en"])
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def render(source: str, outputs: list[list[dict]], inline: list[dict] = (), page: PageOptions = EN) -> str:
    """HTML body of `source` whose cells produced `outputs` (one list per cell)."""
    doc = parse(source, "t.qmd")
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c.code, outputs=[nbformat.from_dict(o) for o in outs])
               for c, outs in zip(doc.cells, outputs)],
        metadata={"fallback": {"inline": list(inline)}})
    return page_html(page_markdown(doc, notebook, page), toc=False, toc_depth=3, words=page.words, where="t.qmd").body


def display(data: dict) -> dict:
    return {"output_type": "display_data", "data": data, "metadata": {}}


def stream(name: str, text: str) -> dict:
    return {"output_type": "stream", "name": name, "text": text}


CELL = "```{python}\n#| echo: false\nx\n```\n"


@pytest.mark.parametrize("data, expected, absent", [
    ({"text/html": "<b id='h'>H</b>", "text/markdown": "**M**", "image/png": PNG, "text/plain": "P"},
     "<b id='h'>H</b>", "<strong>M</strong>"),
    ({"text/markdown": "**M**", "image/svg+xml": "<svg id='s'></svg>", "text/plain": "P"}, "<strong>M</strong>", "svg"),
    ({"image/svg+xml": "<svg id='s'></svg>", "image/png": PNG, "text/plain": "P"}, "<svg id='s'></svg>", "base64"),
    ({"image/png": PNG, "text/plain": "<Figure>"}, f'src="data:image/png;base64,{PNG}"', "Figure"),
    ({"image/jpeg": "/9j/AA==", "text/plain": "<Figure>"}, 'src="data:image/jpeg;base64,/9j/AA=="', "Figure"),
    ({"text/plain": "   a  b\n0  1  2"}, "<pre><code>   a  b\n0  1  2</code></pre>", "cell-output-stdout"),
])
def test_mime_priority_matches_quarto(data, expected, absent):
    html = render(CELL, [[display(data)]])
    assert expected in html and absent not in html
    assert 'class="cell-output cell-output-display"' in html


def test_image_alt_text_comes_from_fig_alt():
    html = render("```{python}\n#| fig-alt: Bars by month\nx\n```\n", [[display({"image/png": PNG})]])
    assert 'alt="Bars by month"' in html


def test_rich_output_the_fallback_cannot_show_fails():
    with pytest.raises(RenderError, match=r"t.qmd:1: the cell displays application/vnd.vegalite.v5\+json"):
        render(CELL, [[display({"application/vnd.vegalite.v5+json": {}, "text/plain": "alt.Chart(...)"})]])


def test_streams_and_warning_option():
    outputs = [[stream("stdout", "hello\n"), stream("stderr", "UserWarning: careful\n")]]
    shown = render(CELL, outputs)
    assert "cell-output-stdout" in shown and "cell-output-stderr" in shown and "careful" in shown
    hidden = render("```{python}\n#| warning: false\nx\n```\n", outputs)
    assert "hello" in hidden and "careful" not in hidden


def test_output_asis_is_raw_markdown_without_containers():
    html = render("```{python}\n#| output: asis\n#| echo: false\nx\n```\n",
                  [[stream("stdout", "**bold** text\n"), display({"text/plain": "| a |\n|---|\n| 1 |"})]])
    assert "<strong>bold</strong>" in html and "<table>" in html and 'class="cell"' not in html


def test_error_output_is_shown_when_error_true():
    error = {"output_type": "error", "ename": "ValueError", "evalue": "bad",
             "traceback": ["\x1b[0;31mValueError\x1b[0m: bad"]}
    html = render("```{python}\n#| error: true\nx\n```\n", [[error]])
    assert "cell-output-error" in html and "ValueError: bad" in html and "\x1b" not in html


@pytest.mark.parametrize("options, present, absent", [
    ("", ['class="sourceCode python cell-code"'], ["<details"]),
    ("#| echo: false\n", [], ["cell-code"]),
    ("#| code-fold: true\n", ['<details class="code-fold"><summary>Code</summary>'], ["open>"]),
    ("#| code-fold: show\n#| code-summary: Show me\n", ['<details class="code-fold" open><summary>Show me</summary>'], []),
    ("#| echo: fenced\n#| label: c\n", ["```{python}", "#| label: c", "sourceCode markdown"], ["echo: fenced"]),
    ("#| include: false\n", [], ["cell", "out"]),
    ("#| output: false\n", ["cell-code"], ["out"]),
])
def test_echo_fold_include_and_output_options(options, present, absent):
    html = render(f"```{{python}}\n{options}x = 1\n```\n", [[stream("stdout", "out\n")]])
    for text in present:
        assert text in html
    for text in absent:
        assert text not in html


def test_figure_and_table_captions_are_numbered_and_referenced():
    source = ("See @fig-a, @tbl-b and [-@fig-c].\n\n"
              "```{python}\n#| label: fig-a\n#| fig-cap: First\nx\n```\n\n"
              "```{python}\n#| label: tbl-b\n#| tbl-cap: Numbers\nx\n```\n\n"
              "```{python}\n#| label: fig-c\nx\n```\n")
    out = [display({"image/svg+xml": "<svg></svg>"})]
    html = render(source, [out, [display({"text/html": "<table id='t'></table>"})], out])
    assert '<a href="#fig-a" class="quarto-xref">Figure\u00a01</a>' in html
    assert '<a href="#tbl-b" class="quarto-xref">Table\u00a01</a>' in html
    assert '<a href="#fig-c" class="quarto-xref">2</a>' in html
    assert '<figure id="fig-a" class="quarto-float quarto-float-fig">' in html
    assert "<p>Figure\u00a01: First</p>" in html and "<p>Figure\u00a02</p>" in html
    table = html[html.index('<figure id="tbl-b"'):]
    assert table.index("Table\u00a01: Numbers") < table.index("<table id='t'>")  # table captions go above


def test_caption_without_label_is_an_unnumbered_figure():
    html = render("```{python}\n#| fig-cap: Just a caption\nx\n```\n", [[display({"image/svg+xml": "<svg></svg>"})]])
    assert '<figure class="quarto-float quarto-float-fig">' in html and "<p>Just a caption</p>" in html


def test_russian_words_in_captions_and_refs():
    ru = PageOptions(html={"lang": "ru"}, execute=EN.execute, words=WORDS["ru"])
    html = render("@fig-a\n\n```{python}\n#| label: fig-a\n#| fig-cap: Подпись\nx\n```\n",
                  [[display({"image/svg+xml": "<svg></svg>"})]], page=ru)
    assert "Рисунок\u00a01: Подпись" in html and ">Рисунок\u00a01</a>" in html


@pytest.mark.parametrize("data, expected", [
    ({"text/plain": "'a*b_[c]$5'"}, "a*b_[c]$5"),
    ({"text/plain": '"it\'s"'}, "it\u2019s"),  # Quarto does not escape quotes: pandoc makes it typographic
    ({"text/plain": "'1\u00a0296 (2,5)'"}, "1\u00a0296 (2,5)"),  # a real no-break space stays one
    # Quarto strips a repr's quotes and does not decode its escapes, it doubles the backslash:
    # real Quarto 1.10.18 renders '1\xa0296' as «1\\xa0296» (seen with the CLI).
    ({"text/plain": "'1\\xa0296'"}, "1\\\\xa0296"),
    ({"text/plain": "42"}, "42"),
    ({"text/plain": "0.25"}, "0.25"),
    ({"text/markdown": "**12%**", "text/plain": "<Markdown>"}, "<strong>12%</strong>"),
    ({"text/html": "<span class='v'>7</span>", "text/plain": "7"}, "<span class='v'>7</span>"),
])
def test_inline_values_render_like_quarto(data, expected):
    html = render("Value: `{python} v`.\n", [], inline=[{"data": data}])
    assert f"<p>Value: {expected}.</p>" in html


def test_an_empty_inline_value_leaves_the_code_on_the_page_as_quarto_does():
    html = render("A `{python} v` B\n", [], inline=[{"data": {"text/plain": "''"}}])
    assert "<code>{python} v</code>" in html


def test_inline_value_without_text_fails():
    with pytest.raises(RenderError, match="t.qmd:3: inline expression produced image/png"):
        inline_value({"image/png": PNG}, "t.qmd:3")


def test_callouts_titles_and_qmd_links():
    html = render('::: {.callout-tip title="Read *this*"}\nBody with [link](other.qmd#part).\n:::\n\n'
                  "::: {.callout-warning}\n## Heading title\nText\n:::\n\n::: {.callout-important}\nNo title\n:::\n", [])
    assert '<div class="callout callout-tip">' in html and "Read <em>this</em>" in html
    assert 'href="other.html#part"' in html
    assert "Heading title\n</div>" in html and "<h2" not in html
    important = html[html.index("callout-important"):]
    assert "Important" in important


WORD = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126) | st.sampled_from("абвгдё«»№—"),
               min_size=1, max_size=8)


@settings(max_examples=25, deadline=None)
@given(st.lists(WORD, min_size=1, max_size=6).map(" ".join))
def test_any_inline_project_text_is_shown_verbatim(value):
    """The project's prose values (`analysis.report.formatting.Text`, markdown with every punctuation
    character escaped) appear exactly as the string: no markdown, smart quotes or math."""
    from analysis.report.formatting import Text

    data = {"text/markdown": Text(value)._repr_markdown_(), "text/plain": value}
    html = render("`{python} v`\n", [], inline=[{"data": data}])
    assert html.startswith("<p>") and html.endswith("</p>")
    assert "<" not in html[3:-4].replace("&lt;", "")
    assert htmlmod.unescape(html[3:-4]) == value
