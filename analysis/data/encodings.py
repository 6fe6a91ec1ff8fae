"""Which encoding a raw file that is not UTF-8 is really in, and the command that converts it.

The raw files must be UTF-8 (raw_text.py refuses anything else rather than guess),
but the refusal must send a person in the right direction: Excel's «Unicode text»
is UTF-16LE with a BOM, old Windows exports are Windows-1251, Unix ones KOI8-R.
Advice that names the wrong encoding turns one problem into thousands.

Two kinds of evidence, both about the bytes actually present:

- UTF-16 and UTF-32 by their BOM, or without one by where the zero bytes fall
  (every ASCII character — digits, separators, line breaks — carries one or three);
- single-byte Cyrillic encodings by what the text *says* when decoded: the file's
  own column names and labels are known, so the encoding under which they appear
  is the file's. Windows-1251, KOI8-R, CP866 and Mac Cyrillic all decode any byte
  string, so "it decodes" is no evidence; "it reads as 'Выручка'" is.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Collection
from dataclasses import dataclass

BOMS = (  # UTF-32LE's BOM starts with UTF-16LE's: longest first
    (codecs.BOM_UTF32_LE, "UTF-32LE", "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32BE", "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16LE", "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16BE", "UTF-16"),
)
# Python codec -> (name a person knows, iconv's name)
SINGLE_BYTE_CYRILLIC = {
    "cp1251": ("Windows-1251", "CP1251"),
    "koi8_r": ("KOI8-R", "KOI8-R"),
    "cp866": ("CP866 (DOS)", "CP866"),
    "mac_cyrillic": ("Mac Cyrillic", "MACCYRILLIC"),
}
SAMPLE_BYTES = 1 << 16  # wide encodings show their zero-byte pattern within the first few lines
# In UTF-16 text of this kind at least a fifth of the characters are ASCII; UTF-8 text has no zero bytes.
MIN_ZERO_SHARE, MAX_OTHER_ZERO_SHARE = 0.2, 0.02
FIELD_SPLIT = re.compile(r"[,;\t|\r\n]")


@dataclass(frozen=True)
class Encoding:
    """An encoding found in a file's bytes; `convert(file)` is the command that makes it UTF-8."""

    name: str  # e.g. "UTF-16LE with a BOM"
    iconv: str  # iconv's -f argument
    evidence: str  # what in the bytes shows it
    codec: str  # Python's name for it

    def convert(self, file: str) -> str:
        stem = file.rsplit(".", 1)[0]
        return f"iconv -f {self.iconv} -t UTF-8 {file} > {stem}.utf8.csv"


def wide_encoding(data: bytes) -> Encoding | None:
    """UTF-32 or UTF-16 (either byte order), by BOM or by the positions of zero bytes; else None."""
    for bom, name, iconv in BOMS:
        if data.startswith(bom):
            return Encoding(f"{name} with a BOM", iconv, f"it starts with the {name} byte-order mark "
                                                         f"{bom.hex(' ')}", iconv.lower().replace("-", "_"))
    sample = data[:SAMPLE_BYTES - SAMPLE_BYTES % 4]
    sample = sample[:len(sample) - len(sample) % 4]
    if len(sample) < 4 or b"\0" not in sample:
        return None
    share = [sample[offset::4].count(0) / (len(sample) // 4) for offset in range(4)]
    patterns = (  # (zero bytes expected at these offsets of every 4, not at the others)
        ("UTF-32LE", (2, 3), (0,)), ("UTF-32BE", (0, 1), (3,)),
        ("UTF-16LE", (1, 3), (0, 2)), ("UTF-16BE", (0, 2), (1, 3)),
    )
    for name, zeros, others in patterns:
        if (all(share[i] >= (0.9 if name.startswith("UTF-32") else MIN_ZERO_SHARE) for i in zeros)
                and all(share[i] <= MAX_OTHER_ZERO_SHARE for i in others) and _decodes(sample, name)):
            place = "every other byte" if name.startswith("UTF-16") else "three bytes of every four"
            return Encoding(f"{name} without a BOM", name, f"zero bytes fill {place} in its first "
                                                            f"{len(sample)} bytes", _codec(name))
    return None


def single_byte_cyrillic(data: bytes, known_words: Collection[str], *, key=str.casefold) -> Encoding | None:
    """The single-byte Cyrillic encoding under which the most of `known_words` appear as fields; None if none do.

    `known_words` are the file's column names and labels; `key` normalises a field
    before it is looked up (the caller's label spelling rules). Text that is not
    Cyrillic (Latin-1, say) reads as none of them, and gets no suggestion.
    """
    best, best_count = None, 0
    for codec in SINGLE_BYTE_CYRILLIC:
        count = known_fields(data.decode(codec, errors="replace"), known_words, key=key)
        if count > best_count:
            best, best_count = codec, count
    if best is None:
        return None
    name, iconv = SINGLE_BYTE_CYRILLIC[best]
    return Encoding(name, iconv, f"{best_count} of its fields read as this file's column names or labels "
                                 f"in {name}, more than in any other", best)


def known_fields(text: str, known_words: Collection[str], *, key=str.casefold) -> int:
    """How many fields of `text` (split at separators and line breaks) are among `known_words`.

    Only words with a non-ASCII character count: 'id' reads the same in every encoding.
    """
    known = {key(word) for word in known_words if not word.isascii()}
    return sum(1 for field in FIELD_SPLIT.split(text) if field.strip() and key(field) in known)


def _codec(name: str) -> str:
    return name.lower().replace("-", "_")


def _decodes(sample: bytes, name: str) -> bool:
    try:
        sample.decode(_codec(name))
    except UnicodeDecodeError:
        return False
    return True
