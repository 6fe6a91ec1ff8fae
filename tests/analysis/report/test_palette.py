"""One meaning per colour: the palette is the only place a colour is written, and no two
meanings share one (issue 18: orange used to mean four different things)."""

from __future__ import annotations

import re

import pytest

from analysis.report import palette
from analysis.paths import PROJECT_ROOT
from analysis.decide.segments import SEGMENT_LABELS

# A hex colour (#abc, #aabbcc, #aabbccdd) inside a string literal, or a CSS colour word given as a colour.
HEX = re.compile(r"""["'][^"'\n]*#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b[^"'\n]*["']""")
NAMED = re.compile(r"""(?:colou?r|fill|stroke|alt\.value)\s*[=(]\s*["'](?:white|black|red|orange|blue|green|grey|gray|steelblue)["']""")


def literal_colours(source: str) -> list[tuple[int, str]]:
    """(line number, line) for each line of Python source that writes a colour literally."""
    return [(number, line.strip()) for number, line in enumerate(source.splitlines(), 1)
            if HEX.search(line) or NAMED.search(line)]


def test_no_module_outside_the_palette_writes_a_colour():
    offenders = {}
    for path in sorted((PROJECT_ROOT / "analysis").rglob("*.py")):
        if path.name == "palette.py":
            continue
        found = literal_colours(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(PROJECT_ROOT))] = found
    assert offenders == {}


@pytest.mark.parametrize("line", ['color="#D55E00"', "alt.value('#333')", 'range=["#e69f00", x]',
                                  'stroke="white"', 'alt.value("black")'])
def test_the_check_finds_a_literal_colour(line):
    assert literal_colours(line) == [(1, line)]


@pytest.mark.parametrize("line", ['f"## {section}"', 'return [f"#{index}" for index in range(width)]',
                                  "color=palette.DROP", 'line.split("#")[0]'])
def test_the_check_leaves_other_hashes_alone(line):
    assert literal_colours(line) == []


def test_no_two_meanings_share_a_colour():
    colours = [colour.upper() for colour, _ in palette.MEANINGS.values()]
    assert len(colours) == len(set(colours)), colours
    assert len(palette.SCHEMES) == len(set(palette.SCHEMES))
    assert all(re.fullmatch(r"#[0-9A-F]{6}", colour) for colour in colours)
    assert all(len(meaning) > 20 for _, meaning in palette.MEANINGS.values())


def test_a_segments_hue_is_its_risk_and_its_shade_its_profit():
    colours = palette.segment_colors(SEGMENT_LABELS)
    assert colours[SEGMENT_LABELS["high_risk_high_profit"]] == palette.DROP
    assert colours[SEGMENT_LABELS["high_risk_low_profit"]] == palette.DROP_PALE
    assert colours[SEGMENT_LABELS["low_risk_high_profit"]] == palette.STAY
    assert colours[SEGMENT_LABELS["low_risk_low_profit"]] == palette.STAY_PALE
    assert palette.MONEY_OUT not in colours.values()
    with pytest.raises(KeyError):
        palette.segment_colors({"promo_hunters": "Охотники за акциями"})
