"""The raw files' text, cell by cell as written, with the row numbers of the file.

The files do not share one format: money.csv uses `;`, decimal commas and CRLF.
`RAW_FORMATS` records each file's dialect in one place. Files must be UTF-8 (a BOM
is fine). There is deliberately no fallback encoding: a guessed encoding turns
Cyrillic labels into mojibake that may still look like text, and the published
files (data/SHA256SUMS) are UTF-8. A non-UTF-8 file is reported with the byte
offset, row and column, and with a hint when it decodes as Windows-1251.

Scoring reads the same files for up to millions of customers, so the common case
— a file without quotes — is parsed by pyarrow (a million customers in a few
seconds); Python's csv module reads everything else. Both give the same frames and
the same problems. Typing and schema checks are load.py's.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.csv as pacsv

from . import encodings
from .labels import ALLOWED_LABELS, COLUMNS, canonical_labels, label_key

RAW_FORMATS = {
    "market_file.csv": {"sep": ",", "decimal": "."},
    "market_money.csv": {"sep": ",", "decimal": "."},
    "market_time.csv": {"sep": ",", "decimal": "."},
    "money.csv": {"sep": ";", "decimal": ","},
}
OTHER_SEPARATORS = (",", ";", "\t", "|")
HEADER_ROW = 1
# pyarrow parses a file in blocks of this size, in parallel. Its default (1 MB) leaves
# a million rows in hundreds of small chunks whose freed pages the allocator keeps;
# 128 MB blocks are as fast here and keep the peak memory ~20 % lower (bench/loading.py).
PYARROW_BLOCK_BYTES = 128 << 20
SINGLE_BYTE_SAMPLE = 1 << 20  # bytes from the start of a non-UTF-8 file read for its encoding

@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input; `str()` is the line a person reads."""

    file: str
    issue: str
    expected: str = ""
    column: str | None = None
    row: int | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.column is not None:
            where.append(f"column '{self.column}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        text = ", ".join(where) + ": " + self.issue
        return f"{text}; expected {self.expected}" if self.expected else text


def read_text_table(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Every cell as written (str), index `row` = the row number in the file; or the problems.

    Two readers give the same result. A file without quotes, NUL bytes or lone
    CR characters (every real and synthetic file) is a plain grid of lines that
    pyarrow's CSV reader parses in parallel, without a Python object per cell and
    without holding the file's bytes; anything else, or anything that reader
    cannot vouch for, goes through Python's strict csv module, which also names
    the byte where a file stops being UTF-8.
    """
    name = path.name
    if not path.is_file():
        return None, [Problem(name, f"file not found in {path.parent}",
                              "the file (python -m analysis fetch-data puts it there)")]
    sep = RAW_FORMATS[name]["sep"]
    scan = _Scan.of(path, sep)
    if scan.plain:
        try:
            read = _read_plain_lines(name, path, scan, sep)
        except UnicodeDecodeError:
            read = None
        if read is not None:
            return read
    return read_with_csv_module(name, path.read_bytes(), sep)


def read_with_csv_module(name: str, data: bytes, sep: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    text, problem = _decode(name, data, sep)
    if problem:
        return None, [problem]
    if not text.strip():
        return None, [Problem(name, "the file is empty", "a header row and one row per record")]
    try:
        records = _records(text, sep)
    except csv.Error as error:
        return None, [Problem(name, f"not readable as CSV ({error})", f"'{sep}'-separated values")]
    (_, header), body = records[0], records[1:]
    problems = _header_problems(name, header, sep)
    if problems:
        return None, problems
    for row, fields in body:
        if len(fields) != len(header):
            problems.append(_field_count_problem(name, row, fields, header, sep))
    if not body:
        problems.append(_header_only_problem(name))
    if problems:
        return None, problems
    frame = pd.DataFrame([fields for _, fields in body], columns=header,
                         index=pd.Index([row for row, _ in body], name="row"), dtype="str")
    return frame, []


@dataclass(frozen=True)
class _Scan:
    """What one streaming pass over a file's bytes tells: its header line, and whether it is plain."""

    header: bytes  # the first line, without its line break
    body_lines: int
    body_separators: int
    plain: bool  # no quote, NUL or lone CR: every line is one record

    @classmethod
    def of(cls, path: Path, sep: str, chunk_size: int = 1 << 24) -> _Scan:
        with path.open("rb") as file:
            header = file.readline()
            plain, lines, separators, last_byte = _is_plain(header, file), 0, 0, b"\n"
            while chunk := file.read(chunk_size):
                plain = plain and _is_plain(chunk, file)
                lines += chunk.count(b"\n")
                separators += chunk.count(sep.encode())
                last_byte = chunk[-1:]
        return cls(header=header.removesuffix(b"\n").removesuffix(b"\r"), body_lines=lines + (last_byte != b"\n"),
                   body_separators=separators, plain=plain)


def _is_plain(chunk: bytes, file) -> bool:
    """No quote, no NUL, no CR that is not followed by LF (the byte after a chunk-final CR is peeked at)."""
    if b'"' in chunk or b"\0" in chunk:
        return False
    crs = chunk.count(b"\r")
    if not crs:
        return True
    pairs = chunk.count(b"\r\n") + (chunk.endswith(b"\r") and file.peek(1)[:1] == b"\n")
    return crs == pairs


def _read_plain_lines(name: str, path: Path, scan: _Scan,
                      sep: str) -> tuple[pd.DataFrame | None, list[Problem]] | None:
    """The fast reader for a file whose records are its lines; None where only the csv module can tell.

    With no quotes every line is one record split by `sep`, and row numbers are
    line numbers. If the body holds exactly (fields - 1) separators per line and
    the strict parse succeeds, no line is short or long; otherwise each line's
    fields are counted to name the wrong ones (blank lines are skipped, as the
    csv-module path skips them).
    """
    header = scan.header.removeprefix(codecs.BOM_UTF8).decode("utf-8").split(sep)
    if not _has_text(header):
        return None  # a blank first line: the header is further down
    problems = _header_problems(name, header, sep)
    if problems:
        return None, problems
    if not scan.body_lines:
        return None, [_header_only_problem(name)]
    rows = np.arange(scan.body_lines)
    fits = scan.body_separators == (len(header) - 1) * scan.body_lines
    frame = _pyarrow_frame(path, header, sep, skip_wrong_lines=False) if fits else None
    if frame is None:
        data = path.read_bytes()
        body = _Lines(data, data.find(b"\n") + 1, sep)
        fields = body.fields()
        wrong = [(line, values) for line in np.flatnonzero(fields != len(header))
                 if _has_text(values := body.text(line).split(sep))]
        if wrong:
            return None, [_field_count_problem(name, HEADER_ROW + 1 + int(line), values, header, sep)
                          for line, values in wrong]
        frame = _pyarrow_frame(pyarrow.BufferReader(data), header, sep, skip_wrong_lines=True)
        rows = np.flatnonzero((fields == len(header)) | body.empty())  # pyarrow reads an empty line as ""s
    if frame is None or len(frame) != len(rows):
        return None
    if not len(rows):
        return None, [_header_only_problem(name)]
    contiguous = rows[-1] == len(rows) - 1
    frame.index = (pd.RangeIndex(HEADER_ROW + 1, HEADER_ROW + 1 + len(rows), name="row") if contiguous
                   else pd.Index(rows + HEADER_ROW + 1, name="row"))
    blank = _blank_rows(frame)
    if blank.any():
        frame = frame.loc[~blank]
    return (frame, []) if len(frame) else (None, [_header_only_problem(name)])


class _Lines:
    """The lines of a file's body (after the header), located in its bytes without decoding them."""

    def __init__(self, data: bytes, start: int, sep: str):
        self.data, self.start, self.sep = data, start, sep
        self.count = data.count(b"\n", start) + (start < len(data) and not data.endswith(b"\n"))

    @functools.cached_property
    def _ends(self) -> np.ndarray:
        body = np.frombuffer(self.data, dtype=np.uint8, offset=self.start)
        ends = np.flatnonzero(body == ord("\n"))
        return ends if len(ends) == self.count else np.append(ends, len(body))

    @functools.cached_property
    def _starts(self) -> np.ndarray:
        return np.concatenate(([0], self._ends[:-1] + 1))

    def fields(self) -> np.ndarray:
        """Fields per line: separators + 1."""
        body = np.frombuffer(self.data, dtype=np.uint8, offset=self.start)
        separators = np.flatnonzero(body == ord(self.sep))
        return np.bincount(np.searchsorted(self._ends, separators), minlength=self.count) + 1

    def empty(self) -> np.ndarray:
        """True for a line with nothing before its line break."""
        length = self._ends - self._starts
        ends_in_cr = np.frombuffer(self.data, dtype=np.uint8)[self.start + self._ends - 1] == ord("\r")
        return (length == 0) | ((length == 1) & ends_in_cr)

    def text(self, line: int) -> str:
        start, end = self.start + int(self._starts[line]), self.start + int(self._ends[line])
        return self.data[start:end].decode("utf-8").removesuffix("\r")


def _pyarrow_frame(source, header: list[str], sep: str, *, skip_wrong_lines: bool) -> pd.DataFrame | None:
    """The body as str columns, one row per line (an empty line gives empty strings); None if pyarrow refuses it.

    With `skip_wrong_lines` a line with another number of fields than the header
    is left out (the caller has checked they are all blank).
    """
    options = dict(
        read_options=pacsv.ReadOptions(skip_rows=1, column_names=header, block_size=PYARROW_BLOCK_BYTES),
        parse_options=pacsv.ParseOptions(delimiter=sep, quote_char=False, escape_char=False,
                                         newlines_in_values=False, ignore_empty_lines=False,
                                         invalid_row_handler=(lambda row: "skip") if skip_wrong_lines else None),
        convert_options=pacsv.ConvertOptions(column_types={column: pyarrow.large_string() for column in header},
                                             strings_can_be_null=False, check_utf8=True),
    )
    try:
        table = pacsv.read_csv(source, **options)
    except pyarrow.ArrowInvalid:
        return None
    return table.to_pandas(self_destruct=True)


def _blank_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows whose every field is whitespace as `str.strip` sees it: the csv-module path skips them too.

    Only rows with a blank first field are looked at further, so this costs one
    vectorised match on a normal file.
    """
    whitespace_only = f"[{python_whitespace()}]*"
    blank = frame.iloc[:, 0].str.fullmatch(whitespace_only)
    for column in frame.columns[1:]:
        if not blank.any():
            break
        blank[blank] = frame.loc[blank, column].str.fullmatch(whitespace_only)
    return blank


LAST_WHITESPACE = 0x3000  # U+3000 IDEOGRAPHIC SPACE: no code point above it is whitespace


@functools.cache
def python_whitespace() -> str:
    """Every character `str.isspace` accepts, for a regex class pyarrow can run (its `\\s` is narrower)."""
    return "".join(chr(code) for code in range(LAST_WHITESPACE + 1) if chr(code).isspace())


def _has_text(fields: list[str]) -> bool:
    return any(field.strip() for field in fields)


def _field_count_problem(name: str, row: int, fields: list[str], header: list[str], sep: str) -> Problem:
    return Problem(name, f"{len(fields)} fields", f"{len(header)} fields as in the header "
                   f"(separated by '{sep}')", row=row, value=sep.join(fields))


def _header_only_problem(name: str) -> Problem:
    return Problem(name, "only a header, no data rows", "one row per record", row=HEADER_ROW)


def _decode(name: str, data: bytes, sep: str) -> tuple[str, Problem | None]:
    """The text of a UTF-8 file (a BOM is dropped), or the problem that names the encoding found instead.

    UTF-16/32 are recognised first: text of ASCII and Cyrillic in UTF-16 without a
    BOM can be valid UTF-8 byte by byte (full of zero bytes) and would otherwise
    be read as a broken CSV. See encodings.py for what counts as evidence.
    """
    wide = encodings.wide_encoding(data)
    if wide is not None:
        return "", Problem(name, f"the file is {wide.name}, not UTF-8 ({wide.evidence})",
                           f"UTF-8 text; convert it: {wide.convert(name)}", row=HEADER_ROW)
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[start:].decode("utf-8"), None
    except UnicodeDecodeError as error:
        offset = start + error.start
    line_start = data.rfind(b"\n", 0, offset) + 1
    line_end = data.find(b"\n", offset) % (len(data) + 1)
    row = data.count(b"\n", 0, offset) + 1
    field = data.count(sep.encode(), line_start, offset)
    header = data[start:data.find(b"\n")].decode("utf-8", errors="replace").rstrip("\r").split(sep)
    column = header[field] if row > HEADER_ROW and field < len(header) else None
    where = f"byte {data[offset:offset + 1].hex(' ')} at byte offset {offset} is not valid UTF-8"
    # The evidence: the start of the file and the line with the bad byte.
    window = data[:SINGLE_BYTE_SAMPLE] + b"\n" + data[line_start:line_end]
    found = encodings.single_byte_cyrillic(window, _known_words(name), key=label_key)
    if found is None:
        tried = ", ".join(name for name, _ in encodings.SINGLE_BYTE_CYRILLIC.values())
        return "", Problem(name, f"{where}, so the file is not UTF-8; it does not read as UTF-16, UTF-32, "
                                 f"{tried} either", "UTF-8 text: save the file as UTF-8 from the program that "
                                                    "wrote it", column=column, row=row)
    known = _known_words(name)
    if (encodings.known_fields(window.decode("utf-8", errors="replace"), known, key=label_key)
            >= encodings.known_fields(window.decode(found.codec, errors="replace"), known, key=label_key)):
        field_start = max(data.rfind(sep.encode(), line_start, offset) + 1, line_start)
        field_end = min(position for position in (data.find(sep.encode(), offset, line_end), line_end)
                        if position != -1)
        value = data[field_start:field_end].decode(found.codec).strip()
        return "", Problem(name, f"{where}: this value is {found.name} ({value!r}) in a file that is otherwise "
                                 "UTF-8", "UTF-8 text throughout: retype the value, or re-save the file as UTF-8",
                           column=column, row=row, value=value)
    return "", Problem(name, f"{where}: the file is {found.name} ({found.evidence})",
                       f"UTF-8 text; convert it: {found.convert(name)}", row=HEADER_ROW)


def _known_words(name: str) -> list[str]:
    """The file's column names and every label spelling its schema accepts: evidence of an encoding."""
    words = list(COLUMNS[name])
    for code_name in ALLOWED_LABELS.get(name, {}):
        words += list(canonical_labels(name, code_name))
    return words


def _records(text: str, sep: str) -> list[tuple[int, list[str]]]:
    """(row number, fields) of every non-blank record; blank lines carry no data and are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    return [(reader.line_num, fields) for fields in reader if fields and any(f.strip() for f in fields)]


def _header_problems(name: str, header: list[str], sep: str) -> list[Problem]:
    expected_columns = list(COLUMNS[name])
    if len(header) == 1 and len(expected_columns) > 1:
        found = [other for other in OTHER_SEPARATORS if other != sep and other in header[0]]
        seen = f"it is separated by '{found[0]}'" if found else "it has a single column"
        return [Problem(name, f"the header is not separated by '{sep}': {seen}",
                        f"'{sep}'-separated columns {expected_columns}", row=HEADER_ROW, value=header[0])]
    repeated = sorted({column for column in header if header.count(column) > 1})
    return [Problem(name, "the column appears more than once in the header", "each column once",
                    column=column, row=HEADER_ROW) for column in repeated]
