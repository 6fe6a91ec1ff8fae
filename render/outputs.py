"""Turn a parsed page plus its executed notebook into pandoc markdown.

Mirrors what Quarto's Jupyter engine hands to pandoc: prose as written (with
inline values and cross-references filled in), code cells as `.cell` divs
holding the echoed code and one `.cell-output-*` div per output.
"""
from __future__ import annotations

import html
import re

from .errors import RenderError
from .execute import strip_ansi
from .options import PageOptions, cell_options
from .qmd import XREF, Cell, CodeSpan, Document, Prose, inline_expressions, literal_spans

# Quarto's priority for HTML output (display-data.ts): html > markdown > svg > png > jpeg > plain.
MIME_PRIORITY = ("text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/plain")
# The characters Quarto escapes in a quoted inline value: /([\\`*_{}\[\]()>#+-.!])/ (`+-.` is a range).
QUARTO_ESCAPED = re.compile(r"([\\`*_{}\[\]()>#+,\-.!])")


def page_markdown(doc: Document, notebook, page: PageOptions) -> str:
    """The whole page body as pandoc markdown (front matter removed)."""
    inline = iter(notebook.metadata.get("fallback", {}).get("inline", []))
    cells = iter(zip(doc.cells, notebook.cells))
    parts = []
    for block in doc.blocks:
        if isinstance(block, Cell):
            cell, node = next(cells)
            parts.append("\n" + cell_markdown(cell, node.outputs, cell_options(cell, page), doc, page) + "\n")
        elif isinstance(block, Prose):
            parts.append(prose_markdown(block, inline, doc, page))
        else:
            parts.append(block.text)
    return "\n".join(parts)


def prose_markdown(prose: Prose, inline, doc: Document, page: PageOptions) -> str:
    """Prose with `{python}` spans replaced by their values and @fig-/@tbl- refs by numbered links.

    Code spans and HTML comments pass through as written (pandoc shows the one and
    hides the other); only the text between them is markdown with references.
    """
    exprs = {e.start: e for e in inline_expressions(prose)}
    out, position = [], 0
    for span in literal_spans(prose.text) + [None]:
        end = span.start if span else len(prose.text)
        out.append(XREF.sub(lambda ref: _xref(ref, doc, page), prose.text[position:end]))
        if span is None:
            break
        expr = exprs.get(span.start) if isinstance(span, CodeSpan) else None
        # An empty value leaves the expression's code span on the page, as in Quarto
        # (executeInlineCodeHandler keeps the match when the result is falsy).
        value = inline_value(next(inline)["data"], f"{doc.path}:{expr.line}") if expr else ""
        out.append(value or prose.text[span.start:span.end])
        position = span.end
    return "".join(out)


def _xref(ref: re.Match, doc: Document, page: PageOptions) -> str:
    label = ref.group(2) or ref.group(3)
    number = doc.labels[label]
    text = str(number) if ref.group(1) else f"{page.words[label.split('-')[0]]}\u00a0{number}"
    return f"[{text}](#{label}){{.quarto-xref}}"


def inline_value(data: dict, where: str) -> str:
    """Render an inline result as Quarto does: raw html, markdown, or escaped plain text (str unquoted)."""
    if "text/html" in data:
        return _raw(_text(data["text/html"]), inline=True)
    if "text/markdown" in data:
        return _text(data["text/markdown"])
    if "text/plain" not in data:
        raise RenderError(f"{where}: inline expression produced {', '.join(data)}; only text can be inlined")
    return quoted_plain_markdown(_text(data["text/plain"]))


def quoted_plain_markdown(plain: str) -> str:
    """Quarto's `asEscapedMarkdown` (src/core/jupyter/jupyter-inline.ts), exactly: a `text/plain`
    value in quotes loses them and gets its markdown characters backslash-escaped; escape codes
    of a repr (`\\xa0`) are NOT decoded, as Quarto does not decode them. Anything else is
    markdown as it is."""
    if len(plain) >= 2 and plain[0] == plain[-1] and plain[0] in "'\"":
        inner = plain[1:-1].replace("\\", "\\\\")
        return QUARTO_ESCAPED.sub(r"\\\1", inner)
    return plain


def cell_markdown(cell: Cell, outputs: list, options: dict, doc: Document, page: PageOptions) -> str:
    if not options["include"]:
        return ""
    parts = [_echo(cell, options)] if options["echo"] and cell.code.strip() else []
    rendered = [] if options["output"] is False else _outputs(outputs, options, doc.path, cell)
    label = options.get("label", "")
    kind = label.split("-")[0] if label in doc.labels else None  # numbered fig-/tbl- label
    if not kind and ("fig-cap" in options or "tbl-cap" in options):
        kind, label = ("fig" if "fig-cap" in options else "tbl"), ""  # captioned but unnumbered
    if kind:
        parts += [text for text, is_display in rendered if not is_display]
        parts.append(_float([text for text, is_display in rendered if is_display], label, kind,
                            options.get(f"{kind}-cap"), doc, page))
    else:
        parts += [text for text, _ in rendered]
    body = "\n\n".join(p for p in parts if p)
    column = f" .column-{options['column']}" if "column" in options else ""  # Quarto's class on the cell div
    return body if options["output"] == "asis" else f"::::: {{.cell{column}}}\n{body}\n:::::"


def _echo(cell: Cell, options: dict) -> str:
    if options["echo"] == "fenced":
        text = "\n".join(line for line in cell.text.split("\n") if not re.match(r"^#\s*\|\s*echo:\s*fenced", line))
        code = _fenced(text, ".markdown .cell-code")
    else:
        code = _fenced(cell.code, ".python .cell-code")
    if options["code-fold"] is False:
        return code
    opened = " open" if options["code-fold"] == "show" else ""
    summary = html.escape(options["code-summary"])
    return (_raw(f'<details class="code-fold"{opened}><summary>{summary}</summary>') + "\n\n" + code + "\n\n"
            + _raw("</details>"))


def _outputs(outputs: list, options: dict, path: str, cell: Cell) -> list[tuple[str, bool]]:
    """(markdown, is_display_output) for each output that is shown."""
    asis = options["output"] == "asis"
    rendered = []
    for output in outputs:
        kind = output["output_type"]
        if kind == "stream":
            if output["name"] == "stderr" and not options["warning"]:
                continue
            text = strip_ansi(output["text"])
            rendered.append((text if asis else _div(f"cell-output-{output['name']}", _fenced(text)), False))
        elif kind == "error":
            rendered.append((_div("cell-output-error", _fenced(strip_ansi("\n".join(output["traceback"])))), False))
        elif kind in ("display_data", "execute_result"):
            text = _display(output["data"], options, asis, f"{path}:{cell.line}")
            rendered.append((text if asis else _div("cell-output-display", text), True))
    return rendered


def _display(data: dict, options: dict, asis: bool, where: str) -> str:
    mime = next((m for m in MIME_PRIORITY if m in data), None)
    rich = [m for m in data if m != "text/plain"]
    if mime is None or (mime == "text/plain" and rich):
        raise RenderError(f"{where}: the cell displays {', '.join(data)}; the fallback renderer shows only "
                          f"{', '.join(MIME_PRIORITY)} (for Altair, use alt.renderers.enable('html'))")
    content = _text(data[mime])
    if mime in ("text/html", "image/svg+xml"):
        return _raw(content)
    if mime == "text/markdown" or (mime == "text/plain" and asis):
        return content
    if mime == "text/plain":
        return _fenced(strip_ansi(content))
    alt = html.escape(options.get("fig-alt", options.get("fig-cap", "")), quote=True)
    return _raw(f'<img src="data:{mime};base64,{"".join(content.split())}" alt="{alt}">')


def _float(display: list[str], label: str, kind: str, caption: str | None, doc: Document,
           page: PageOptions) -> str:
    """A numbered figure/table: caption below figures and above tables, as Quarto places them."""
    title = f"{page.words[kind]}\u00a0{doc.labels[label]}" if label else ""
    caption_text = ": ".join(t for t in (title, caption) if t)
    ident = f' id="{label}"' if label else ""
    figcaption = f'{_raw("<figcaption>")}\n\n{caption_text}\n\n{_raw("</figcaption>")}' if caption_text else ""
    body = "\n\n".join(display)
    inner = [figcaption, body] if kind == "tbl" else [body, figcaption]
    return "\n\n".join([_raw(f'<figure{ident} class="quarto-float quarto-float-{kind}">'), *inner, _raw("</figure>")])


def _div(classes: str, content: str) -> str:
    return f"::: {{.cell-output .{classes}}}\n{content}\n:::"


def _fence_for(text: str, minimum: int) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(minimum, longest + 1)


def _fenced(text: str, attributes: str = "") -> str:
    fence = _fence_for(text, 3)
    return f"{fence}{{{attributes}}}\n{text.rstrip()}\n{fence}" if attributes else f"{fence}\n{text.rstrip()}\n{fence}"


def _raw(text: str, inline: bool = False) -> str:
    if inline:
        fence = _fence_for(text, 1)
        pad = " " if text.startswith("`") or text.endswith("`") else ""
        return f"{fence}{pad}{text}{pad}{fence}{{=html}}"
    fence = _fence_for(text, 3)
    return f"{fence}{{=html}}\n{text.rstrip()}\n{fence}"


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)
