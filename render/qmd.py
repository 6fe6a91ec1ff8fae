"""Split a `.qmd` file into front matter, prose, verbatim code and python cells.

Everything keeps its 1-based line number in the source file, so every later
error can point at the line an author has to fix. Parsing also validates:
cell options, unsupported constructs and cross-references all fail here,
before any kernel is started.
"""
from __future__ import annotations

import dataclasses
import re

import yaml

from . import unsupported
from .config import HTML_KEYS, check_execute, check_html, check_keys, expect, str_list
from .errors import RenderError

FRONT_KEYS = ("title", "subtitle", "description", "author", "date", "execute", "format", "jupyter") + HTML_KEYS
CELL_OPTIONS = {"echo": (bool, "fenced"), "eval": (bool,), "output": (bool, "asis"), "include": (bool,),
                "warning": (bool,), "error": (bool,), "label": (str,), "fig-cap": (str,), "tbl-cap": (str,),
                "fig-alt": (str,), "code-fold": (bool, "show"), "code-summary": (str,), "column": ("page", "body")}
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[ \t]*(.*?)[ \t]*$")
OPTION_LINE = re.compile(r"^#\s*\| ?(.*)$")
OPENING_BACKTICKS = re.compile(r"(?<![`\\])`+")
BLANK_LINE = re.compile(r"\n[ \t]*\n")
COMMENT_OPEN, COMMENT_CLOSE = "<!--", "-->"
INLINE_PYTHON = re.compile(r"^\{python\}[ \t]+(.+)$", re.DOTALL)
XREF = re.compile(r"\[(-?)@((?:fig|tbl)-[\w-]*\w)\]|(?<![\w.@])@((?:fig|tbl)-[\w-]*\w)")
LIST_ITEM = re.compile(r"^ {0,3}([-*+]|\d+[.)])[ \t]")


@dataclasses.dataclass(frozen=True)
class Prose:
    text: str
    line: int


@dataclasses.dataclass(frozen=True)
class Verbatim:
    """A fenced or indented code block shown as written (nothing inside is evaluated)."""

    text: str
    line: int


@dataclasses.dataclass(frozen=True)
class Cell:
    code: str  # without the '#|' option lines
    options: dict
    line: int  # line of the opening ```{python} fence
    code_line: int  # line of the first line of `code` (tracebacks count from here)
    text: str  # the cell exactly as written, for `echo: fenced`


@dataclasses.dataclass(frozen=True)
class InlineExpr:
    expr: str
    line: int
    start: int  # offsets of the whole code span inside its Prose.text
    end: int


@dataclasses.dataclass(frozen=True)
class Document:
    path: str  # project-relative, forward slashes
    front: dict
    blocks: tuple[Prose | Verbatim | Cell, ...]
    labels: dict  # 'fig-x' -> number within its kind, in document order

    @property
    def cells(self) -> list[Cell]:
        return [b for b in self.blocks if isinstance(b, Cell)]

    @property
    def title(self) -> str:
        return str(self.front.get("title") or self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0])


def parse(text: str, path: str) -> Document:
    """Parse and validate one `.qmd` source; `path` is used in error messages."""
    lines = text.replace("\r\n", "\n").split("\n")
    front, start = _front_matter(lines, path)
    blocks = _blocks(lines, start, path)
    labels = _labels(blocks, path)
    for block in blocks:
        if isinstance(block, Prose):
            _check_prose(block, labels, path)
    return Document(path=path, front=front, blocks=tuple(blocks), labels=labels)


def _blocks(lines: list[str], start: int, path: str) -> list:
    """Split the body into Prose, Verbatim (fenced or indented code) and Cell blocks."""
    blocks: list = []
    prose: list[str] = []
    prose_line, in_list, i = start + 1, False, start
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        indented = line.startswith(("    ", "\t")) and not in_list and (not prose or not prose[-1].strip())
        if not fence and not indented:
            if line.strip() and not line.startswith((" ", "\t")):
                in_list = bool(LIST_ITEM.match(line))  # indented lines in a list continue it, they are not code
            prose.append(line)
            i += 1
            continue
        if prose:
            blocks.append(Prose("\n".join(prose), prose_line))
        end = _closing_fence(lines, i, fence.group(2)) if fence else _indented_end(lines, i)
        if fence and fence.group(3) == "{python}":
            if end == len(lines):
                raise RenderError(f"{path}:{i + 1}: the python cell is never closed with {fence.group(2)}")
            blocks.append(_cell(lines[i:end + 1], path, i + 1))
        else:
            if fence:
                unsupported.check(unsupported.FENCE, fence.group(3), path, i + 1)
            blocks.append(Verbatim("\n".join(lines[i:end + 1]), i + 1))
        prose, prose_line, i = [], end + 2, end + 1
    if prose:
        blocks.append(Prose("\n".join(prose), prose_line))
    return blocks


def _indented_end(lines: list[str], start: int) -> int:
    end = start
    while end + 1 < len(lines) and (lines[end + 1].startswith(("    ", "\t")) or not lines[end + 1].strip()):
        end += 1
    while not lines[end].strip():
        end -= 1
    return end


def _front_matter(lines: list[str], path: str) -> tuple[dict, int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise RenderError(f"{path}:1: the front matter is never closed with ---")
    try:
        front = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        raise RenderError(f"{path}: invalid YAML in the front matter: {error}") from None
    check_keys(front, FRONT_KEYS, "", path)
    check_html({k: v for k, v in front.items() if k in HTML_KEYS}, "front matter", path)
    check_execute(front.get("execute"), "execute", path)
    expect(front.get("jupyter", "python3"), ("python3",), "jupyter", path)
    str_list(front.get("author"), "author", path)
    if "format" in front and front["format"] != "html":
        check_html(check_keys(front["format"], ("html",), "format", path).get("html"), "format.html", path)
    return front, end + 1


def _closing_fence(lines: list[str], start: int, opener: str) -> int:
    """Index of the closing fence line, or len(lines) if the block runs to the end (as in pandoc)."""
    closing = re.compile(rf"^ {{0,3}}{re.escape(opener[0])}{{{len(opener)},}}[ \t]*$")
    for end in range(start + 1, len(lines)):
        if closing.match(lines[end]):
            return end
    return len(lines)


def _cell(lines: list[str], path: str, line: int) -> Cell:
    body = lines[1:-1]
    option_lines = []
    for text in body:
        match = OPTION_LINE.match(text)
        if not match:
            break
        option_lines.append(match.group(1))
    try:
        options = yaml.safe_load("\n".join(option_lines)) or {}
    except yaml.YAMLError as error:
        raise RenderError(f"{path}:{line}: invalid YAML in the cell options: {error}") from None
    if not isinstance(options, dict):
        raise RenderError(f"{path}:{line + 1}: cell options must be 'key: value' lines, got {options!r}")
    for key, value in options.items():
        key_line = line + 1 + next((n for n, text in enumerate(option_lines) if text.startswith(f"{key}:")), 0)
        if key not in CELL_OPTIONS:
            raise RenderError(f"{path}:{key_line}: cell option '{key}' is not supported by the fallback renderer; "
                              f"supported: {', '.join(CELL_OPTIONS)}")
        expect(value, CELL_OPTIONS[key], f"cell option {key}", f"{path}:{key_line}")
    code = "\n".join(body[len(option_lines):])
    return Cell(code=code, options=options, line=line, code_line=line + 1 + len(option_lines),
                text="\n".join(lines))


def _labels(blocks: list, path: str) -> dict[str, int]:
    labels: dict[str, int] = {}
    counts = {"fig": 0, "tbl": 0}
    for cell in (b for b in blocks if isinstance(b, Cell)):
        label = cell.options.get("label")
        if label in labels:
            raise RenderError(f"{path}:{cell.line}: duplicate cell label '{label}'")
        kind = (label or "").split("-", 1)[0]
        if kind in counts:
            counts[kind] += 1
            labels[label] = counts[kind]
    return labels


@dataclasses.dataclass(frozen=True)
class CodeSpan:
    """Inline code: `fence` (a run of backticks) around `content`, at text[start:end]."""

    start: int
    end: int
    fence: str
    content: str

    @property
    def text(self) -> str:
        return self.fence + self.content + self.fence


@dataclasses.dataclass(frozen=True)
class Comment:
    """An HTML comment `<!-- ... -->` at text[start:end]: raw HTML to pandoc, invisible on the page."""

    start: int
    end: int


def literal_spans(text: str) -> list[CodeSpan | Comment]:
    """The code spans and HTML comments of a prose block, left to right, as pandoc finds them.

    Whichever starts first wins: a backtick inside a comment opens nothing, and a
    `<!--` inside inline code is code. A run of n backticks is closed by the next
    run of exactly n *in the same paragraph*; without one the backticks are
    literal text (pandoc: an unclosed backtick never swallows the next paragraph).
    A comment runs to the first `-->`, across blank lines, as pandoc's raw HTML does;
    an unclosed `<!--` is literal text.
    """
    found: list[CodeSpan | Comment] = []
    position = 0
    while position < len(text):
        ticks = OPENING_BACKTICKS.search(text, position)
        comment = text.find(COMMENT_OPEN, position)
        if comment != -1 and (ticks is None or comment < ticks.start()):
            close = text.find(COMMENT_CLOSE, comment + len(COMMENT_OPEN))
            if close == -1:
                position = comment + len(COMMENT_OPEN)
                continue
            found.append(Comment(comment, close + len(COMMENT_CLOSE)))
            position = close + len(COMMENT_CLOSE)
            continue
        if ticks is None:
            break
        paragraph_end = BLANK_LINE.search(text, ticks.end())
        limit = paragraph_end.start() if paragraph_end else len(text)
        fence = ticks.group(0)
        closing = re.compile(rf"(?<!`){fence}(?!`)").search(text, ticks.end(), limit)
        if closing is None:
            position = ticks.end()
            continue
        found.append(CodeSpan(ticks.start(), closing.end(), fence, text[ticks.end():closing.start()]))
        position = closing.end()
    return found


def code_spans(text: str) -> list[CodeSpan]:
    """Inline code spans of `text` (outside HTML comments, each within its paragraph)."""
    return [span for span in literal_spans(text) if isinstance(span, CodeSpan)]


def mask_literals(text: str) -> str:
    """`text` with code spans and HTML comments blanked (newlines kept), so offsets and line numbers stay valid.

    What is left is the prose that pandoc reads as markdown: the only text that checks
    for cross-references and unsupported constructs may look at.
    """
    for span in literal_spans(text):
        blank = re.sub(r"[^\n]", " ", text[span.start:span.end])
        text = text[:span.start] + blank + text[span.end:]
    return text


def inline_expressions(prose: Prose) -> list[InlineExpr]:
    """The `` `{python} expr` `` spans of one prose block, in order."""
    found = []
    for span in code_spans(prose.text):
        match = INLINE_PYTHON.match(span.content)
        if match and len(span.fence) == 1:
            line = prose.line + prose.text.count("\n", 0, span.start)
            found.append(InlineExpr(match.group(1).strip(), line, span.start, span.end))
    return found


def _check_prose(prose: Prose, labels: dict, path: str) -> None:
    masked = mask_literals(prose.text)
    unsupported.check(unsupported.PROSE, masked, path, prose.line)
    for span in code_spans(prose.text):
        unsupported.check(unsupported.CODE_SPAN, span.content, path,
                          prose.line + prose.text.count("\n", 0, span.start))
    for ref in XREF.finditer(masked):
        label = ref.group(2) or ref.group(3)
        if label not in labels:
            line = prose.line + masked.count("\n", 0, ref.start())
            raise RenderError(f"{path}:{line}: cross-reference '@{label}' does not match any cell label on this "
                              f"page (known: {', '.join(labels) or 'none'})")
