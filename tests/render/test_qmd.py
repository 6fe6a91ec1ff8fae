"""Parsing .qmd files: front matter, cells and their options, inline expressions, unsupported constructs."""
import pytest

from render import RenderError
from render.config import load_project
from render.options import cell_options, page_options
from render.qmd import Cell, Prose, Verbatim, inline_expressions, parse

PAGE = """\
---
title: Page
execute:
  echo: true
---

Intro `{python} n_customers` and `{python} f"{share:.0%}"`.

```{python}
#| label: fig-churn
#| fig-cap: "Churn: by month"
#| echo: false
#| code-fold: show
x = 1
```

Two `{python} a` in one line and `{python} b`.
"""


def test_front_matter_and_blocks_keep_their_line_numbers():
    doc = parse(PAGE, "chapters/x.qmd")
    assert doc.front == {"title": "Page", "execute": {"echo": True}}
    assert doc.title == "Page"
    [cell] = doc.cells
    assert cell.line == 9 and cell.code_line == 14
    assert cell.code == "x = 1"
    assert cell.options == {"label": "fig-churn", "fig-cap": "Churn: by month", "echo": False, "code-fold": "show"}
    assert doc.labels == {"fig-churn": 1}
    prose = [b for b in doc.blocks if isinstance(b, Prose)]
    assert [e.line for p in prose for e in inline_expressions(p)] == [7, 7, 17, 17]
    assert [e.expr for p in prose for e in inline_expressions(p)] == ["n_customers", 'f"{share:.0%}"', "a", "b"]


def test_title_defaults_to_file_name():
    assert parse("Just text.\n", "chapters/no_title.qmd").title == "no_title"


@pytest.mark.parametrize("markdown", [
    "Shown: `` `{python} x` ``.\n",
    "```python\n`{python} x`\n```\n",
    "~~~\n`{python} x`\n~~~\n",
    "Paragraph.\n\n    `{python} x`\n",
    "```{.python}\n`{python} x`\n```\n",
])
def test_inline_syntax_in_code_is_not_evaluated(markdown):
    doc = parse(markdown, "a.qmd")
    assert [e for b in doc.blocks if isinstance(b, Prose) for e in inline_expressions(b)] == []


def test_indented_list_continuation_is_prose_not_code():
    doc = parse("- item\n\n    continued `{python} x`\n", "a.qmd")
    assert not any(isinstance(b, Verbatim) for b in doc.blocks)
    assert [e.expr for e in inline_expressions(doc.blocks[0])] == ["x"]


def test_cell_options_precedence_cell_over_page_over_project(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nexecute:\n  echo: false\n  warning: false\n"
                                          "format:\n  html:\n    code-fold: true\n")
    project = load_project(tmp_path)
    doc = parse("---\nexecute:\n  warning: true\n---\n\n```{python}\n#| output: asis\n1\n```\n\n"
                "```{python}\n#| echo: true\n#| code-fold: false\n2\n```\n", "a.qmd")
    page = page_options(project, doc)
    first, second = (cell_options(cell, page) for cell in doc.cells)
    assert first == {"echo": False, "eval": True, "output": "asis", "include": True, "warning": True,
                     "error": False, "code-fold": True, "code-summary": "Code"}
    assert second["echo"] is True and second["code-fold"] is False and second["warning"] is True


def test_lang_localises_code_summary(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\nlang: ru\n")
    page = page_options(load_project(tmp_path), parse("```{python}\n1\n```\n", "a.qmd"))
    assert cell_options(parse("```{python}\n1\n```\n", "a.qmd").cells[0], page)["code-summary"] == "Код"
    assert page.html["lang"] == "ru"


@pytest.mark.parametrize("source, message", [
    ("```{python}\n#| fig-width: 5\nx\n```\n", "a.qmd:2: cell option 'fig-width' is not supported"),
    ("\n\n```{python}\n#| echo: false\n#| cache: true\nx\n```\n", "a.qmd:5: cell option 'cache'"),
    ("```{python}\n#| echo: maybe\nx\n```\n", "a.qmd:2: 'cell option echo' is 'maybe'"),
    ("```{python}\n#| echo: [\nx\n```\n", "a.qmd:1: invalid YAML in the cell options"),
    ("```{python}\nx = 1\n", "a.qmd:1: the python cell is never closed"),
    ("---\ntitle: T\nbibliography: refs.bib\n---\n", "a.qmd: key 'bibliography' is not supported"),
    ("---\njupyter: julia-1.9\n---\n", "a.qmd: 'jupyter' is 'julia-1.9'"),
    ("---\nformat: pdf\n---\n", "a.qmd: 'format' must be a mapping"),
    ("---\nformat:\n  html:\n    code-tools: true\n---\n", "'format.html.code-tools' is True"),
    ("---\ntitle: T\n", "a.qmd:1: the front matter is never closed"),
    ("```{python}\n#| label: fig-a\n1\n```\n\n```{python}\n#| label: fig-a\n2\n```\n", "a.qmd:6: duplicate cell label"),
    ("See @fig-missing.\n", "a.qmd:1: cross-reference '@fig-missing' does not match any cell label"),
    ("```{python}\n#| label: tbl-a\n1\n```\n\nSee @tbl-b.\n", "a.qmd:6: cross-reference '@tbl-b'"),
])
def test_bad_input_names_file_and_line(source, message):
    with pytest.raises(RenderError) as error:
        parse(source, "a.qmd")
    assert message in str(error.value)


@pytest.mark.parametrize("construct, message", [
    ("{{< include _part.qmd >}}", "include directives"),
    ("{{< video https://example.com >}}", "shortcodes"),
    ("As shown in @sec-intro.", "cross-references to sections and equations"),
    ("Equation @eq-energy.", "cross-references to sections and equations"),
    ("![Plot](plot.png){#fig-plot}", "figure/table/equation labels in markdown"),
    ("::: {.panel-tabset}", "tabsets"),
    ("::: {.column-margin}", "column layouts"),
    ("::: {.column-page-inset}", "column layouts"),
    ("::: {layout-ncol=2}", "layout attributes"),
    ('::: {layout="[1,1]"}', "layout attributes"),
    ("::: {.callout-danger}", "callout types other than"),
    ('::: {.callout-note collapse="maybe"}', "callout collapse values other than true and false"),
    ('::: {.callout-note appearance="simple"}', "callout options appearance and icon"),
    ("Inline R: `{r} 1 + 1`.", "inline code in engines other than python"),
    ("```{r}\n1\n```", "code cells in engines other than python"),
    ("```{julia}\n1\n```", "code cells in engines other than python"),
    ("```{ojs}\n1\n```", "code cells in engines other than python"),
    ("```{mermaid}\ngraph LR\n```", "code cells in engines other than python"),
    ("```{dot}\ndigraph {}\n```", "code cells in engines other than python"),
    ("```{python echo=false}\n1\n```", "options in the cell header"),
])
def test_unsupported_constructs_fail_with_file_and_line(construct, message):
    source = f"---\ntitle: T\n---\n\nFirst paragraph.\n\n{construct}\n"
    with pytest.raises(RenderError) as error:
        parse(source, "chapters/c.qmd")
    assert f"chapters/c.qmd:7: {message}" in str(error.value)
    assert "not supported by the fallback renderer" in str(error.value)


@pytest.mark.parametrize("harmless", [
    "Write `{{< include x >}}` in Quarto, or `::: {.panel-tabset}`.",
    "```markdown\n{{< include _part.qmd >}}\n::: {.panel-tabset}\n```",
    "Mail me at someone@sec-ops.example.",
    "```{=html}\n<b>raw</b>\n```",
    "::: {.callout-tip title=\"Tip\"}\nok\n:::",
])
def test_mentions_inside_code_or_allowed_syntax_are_not_flagged(harmless):
    parse(f"{harmless}\n", "a.qmd")


def test_verbatim_blocks_are_kept_exactly():
    source = "Text\n\n```python\nx = 1\n```\n"
    doc = parse(source, "a.qmd")
    assert [type(b) for b in doc.blocks] == [Prose, Verbatim, Prose]
    assert doc.blocks[1].text == "```python\nx = 1\n```"
    assert not isinstance(doc.blocks[1], Cell)


# Code spans end at their paragraph; HTML comments are raw HTML (issue 17) -------------

FIGURE_CELL = "```{python}\n#| label: fig-bars\n1\n```\n"


def prose_expressions(doc) -> list[str]:
    return [e.expr for b in doc.blocks if isinstance(b, Prose) for e in inline_expressions(b)]


@pytest.mark.parametrize("opening", [
    "Поле `id в выгрузке CRM.",
    "Поле ``id в выгрузке CRM.",
    "Поле ``id` в выгрузке` CRM.",
    "Поле `id\nв выгрузке CRM.",
])
def test_an_unclosed_backtick_ends_at_its_paragraph(opening):
    """As in pandoc: the later paragraph's expression is evaluated and its reference checked."""
    doc = parse(f"{FIGURE_CELL}\n{opening}\n\nСм. @fig-bars и `{{python}} 2 + 2`.\n", "a.qmd")
    assert prose_expressions(doc) == ["2 + 2"]
    line = opening.count("\n") + 3
    with pytest.raises(RenderError, match=rf"a.qmd:{line}: cross-reference '@fig-old'"):
        parse(f"{opening}\n\nСм. @fig-old и `{{python}} 2 + 2`.\n", "a.qmd")


def test_double_backtick_code_may_hold_a_backtick_and_spans_may_break_lines():
    doc = parse("Код ``a ` b`` и `{python} x`, потом `много\nстрок` и `{python} y`.\n", "a.qmd")
    assert prose_expressions(doc) == ["x", "y"]


@pytest.mark.parametrize("comment", [
    "<!-- см. @fig-old -->",
    "Текст <!-- см. @fig-old и `{python} 1 / 0` --> дальше.",
    "<!--\nСтарый абзац: @tbl-old.\n\n`{python} undefined` и {{< include _x.qmd >}}\n-->",
    "<!-- открытая ` кавычка --> и @fig-bars",
])
def test_html_comments_are_skipped_by_every_check(comment):
    """Quarto passes a comment through as raw HTML: nothing in it is checked or evaluated."""
    doc = parse(f"{FIGURE_CELL}\n{comment}\n\nИтог `{{python}} total`.\n", "a.qmd")
    assert prose_expressions(doc) == ["total"]


def test_a_comment_opener_inside_code_is_code_and_an_unclosed_comment_is_text():
    doc = parse("Пишите `<!--` и `{python} x`.\n", "a.qmd")
    assert prose_expressions(doc) == ["x"]
    with pytest.raises(RenderError, match="'@fig-old'"):
        parse("Начало <!-- без конца, см. @fig-old.\n", "a.qmd")


# --- The house rules for chapter cells (issue 14): a chapter calls analysis/, it holds no logic. ---

import ast  # noqa: E402
from pathlib import Path  # noqa: E402

PROJECT = Path(__file__).resolve().parents[2]
CHAPTER_FILES = sorted(["index.qmd", *(p.relative_to(PROJECT).as_posix() for p in (PROJECT / "chapters").glob("*.qmd")
                                       if not p.name.startswith("_"))])
PRINTING_CALLS = {"print", "display", "show_html"}


def _is_number(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp):
        return _is_number(node.operand)
    if isinstance(node, (ast.Tuple, ast.List)):
        return bool(node.elts) and all(_is_number(element) for element in node.elts)
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def _names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _names(element)]
    return []


def logic_in_code(code: str) -> list[str]:
    """What a chapter cell or inline expression defines that belongs in analysis/: functions,
    lambdas, UPPERCASE = number thresholds, and conditional expressions (a sentence or value whose
    wording depends on the data is a tested function, not an `a if … else b` in the page)."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found.append(f"defines function {node.name}()")
        elif isinstance(node, ast.Lambda):
            found.append(f"defines a lambda «{ast.unparse(node)[:40]}»")
        elif isinstance(node, ast.IfExp):
            found.append(f"conditional expression «{ast.unparse(node)[:60]}»")
        elif isinstance(node, ast.Assign) and _is_number(node.value):
            constants = [name for target in node.targets for name in _names(target) if name.isupper()]
            if constants:
                found.append(f"defines threshold {', '.join(constants)} = {ast.unparse(node.value)}")
    return found


# Keys of results documents that hold how long a computation took: a page that prints one
# reads differently on every build (the same numbers on every build is a house rule).
RUN_TIME_KEYS = {"seconds"}


def run_times_in_code(code: str) -> list[str]:
    """Where a chapter cell or inline expression reads a run time (`meta["seconds"]`)."""
    return [f"prints a run time «{ast.unparse(node)[:40]}» (it differs between builds)"
            for node in ast.walk(ast.parse(code))
            if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant)
            and node.slice.value in RUN_TIME_KEYS]


def is_setup_cell(code: str) -> bool:
    """A cell that shows nothing: its last statement is not an expression (Jupyter displays only
    that) and it prints nothing."""
    body = ast.parse(code).body
    if not body or isinstance(body[-1], ast.Expr):
        return False
    return not any(isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute))
                   and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) in PRINTING_CALLS
                   for node in ast.walk(ast.parse(code)))


def chapter_rule_problems(path: str, text: str) -> list[str]:
    doc = parse(text, path)
    problems = []
    for block in doc.blocks:
        if isinstance(block, Cell):
            where = f"{path}:{block.line} cell {block.options.get('label', '(no label)')}"
            problems += [f"{where}: {found}" for found in logic_in_code(block.code) + run_times_in_code(block.code)]
            if (is_setup_cell(block.code) and block.options.get("echo") is not False
                    and block.options.get("include") is not False):
                problems.append(f"{where}: shows nothing but lacks `#| echo: false` (an empty «Код» toggle)")
        elif isinstance(block, Prose):
            problems += [f"{path}:{expr.line} inline `{expr.expr[:50]}`: {found}"
                         for expr in inline_expressions(block)
                         for found in logic_in_code(expr.expr) + run_times_in_code(expr.expr)]
    return problems


@pytest.mark.parametrize("path", CHAPTER_FILES)
def test_chapter_cells_hold_no_logic_and_setup_cells_show_no_code(path):
    assert chapter_rule_problems(path, (PROJECT / path).read_text(encoding="utf-8")) == []


def test_the_chapter_rules_flag_logic_and_visible_setup_and_spare_thin_cells():
    page = ('```{python}\n#| label: setup\nfrom analysis.report import charts\nresults = charts.load()\n```\n\n'
            '```{python}\n#| label: words\n#| echo: false\nLIMIT, GAP = 0.8, -1\nname = lambda x: x\n'
            'def helper():\n    return 1\n```\n\n'
            '```{python}\n#| label: fig-x\ncharts.chart(results)\n```\n\n'
            '```{python}\n#| label: quiet\n#| include: false\nrows = len(results)\n```\n\n'
            '```{python}\n#| output: asis\nsentence = "x"\nprint(sentence)\n```\n\n'
            'Text `{python} "больше" if rows > 1 else "меньше"` and `{python} charts.words(rows)`.\n\n'
            'Took `{python} number(meta["seconds"])` s.\n')
    assert chapter_rule_problems("chapters/x.qmd", page) == [
        "chapters/x.qmd:1 cell setup: shows nothing but lacks `#| echo: false` (an empty «Код» toggle)",
        "chapters/x.qmd:7 cell words: defines threshold LIMIT, GAP = (0.8, -1)",
        "chapters/x.qmd:7 cell words: defines function helper()",
        "chapters/x.qmd:7 cell words: defines a lambda «lambda x: x»",
        "chapters/x.qmd:33 inline `\"больше\" if rows > 1 else \"меньше\"`: conditional expression "
        "«'больше' if rows > 1 else 'меньше'»",
        "chapters/x.qmd:35 inline `number(meta[\"seconds\"])`: prints a run time «meta['seconds']» "
        "(it differs between builds)",
    ]
