"""What a Jupyter kernel sends for the project's values: the data Quarto and the fallback read.

Run in a real kernel (the one both renderers start), because the point is IPython's display
machinery: inline values must be clean text, and no output may carry `text/html` (Quarto
then adds require.js and jQuery from a CDN to the page).
"""

from __future__ import annotations

import sys

import pytest

from analysis.report.display import raw_html_markdown
from analysis.report.formatting import NBSP, Text, number, percent

jupyter_client = pytest.importorskip("jupyter_client")


@pytest.fixture(scope="module")
def kernel():
    manager, client = jupyter_client.manager.start_new_kernel(kernel_name="python3", extra_arguments=[],
                                                              executable=sys.executable)
    try:
        client.execute_interactive("import analysis\nfrom analysis.report import charts, data_tables, html_block, segment_tables\n"
                                   "from analysis.report.formatting import number, percent\nimport pandas as pd\n"
                                   "charts.setup_charts()", timeout=120)
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def _expressions(client, expressions: dict[str, str]) -> dict:
    reply = client.execute_interactive("", user_expressions=expressions, timeout=60)
    return {name: result["data"] for name, result in reply["content"]["user_expressions"].items()}


def _displays(client, code: str) -> list[dict]:
    outputs = []
    client.execute_interactive(code, timeout=120, output_hook=lambda msg: outputs.append(msg["content"]["data"])
                               if msg["msg_type"] in ("display_data", "execute_result") else None)
    return outputs


def test_inline_values_carry_no_escape_codes(kernel):
    data = _expressions(kernel, {"n": "number(1296)", "joined": '"из " + number(1296)',
                                 "fstring": 'f"{percent(0.178)} покупателей"', "plain": "'1\\xa0296'"})
    assert data["n"]["text/markdown"] == f"1{NBSP}296"
    assert data["joined"]["text/markdown"] == f"из 1{NBSP}296"  # + keeps the kind
    # Plain strings (an f-string) are quoted, as Quarto expects, but carry the character itself.
    assert data["fstring"]["text/plain"] == f"'17,8{NBSP}% покупателей'"
    assert data["plain"]["text/plain"] == f"'1{NBSP}296'"
    assert not any("\\x" in text for value in data.values() for text in value.values())


def test_charts_and_tables_are_raw_html_in_markdown_never_text_html(kernel):
    outputs = _displays(kernel, "import altair as alt\n"
                                "display(alt.Chart(pd.DataFrame({'x': [1, 2]})).mark_bar().encode(x='x'))\n"
                                "display(data_tables.raw_files_table(pd.DataFrame({'file': ['a.csv'], 'rows': [1], "
                                "'columns': [2], 'bytes': [3], 'sha256': ['ab']})))\n"
                                "html_block.show_html('<b>x</b>')")
    assert len(outputs) == 3
    for data in outputs:
        assert "text/html" not in data
        assert data["text/markdown"].startswith("```{=html}\n")
    assert 'class="oneclick-chart"' in outputs[0]["text/markdown"]
    assert "<table" in outputs[1]["text/markdown"] and "a.csv" in outputs[1]["text/markdown"]


def test_text_is_a_str_that_escapes_every_markdown_character():
    value = Text("a*b_[c] 1") + "$"
    assert isinstance(value, Text) and value == "a*b_[c] 1$"
    assert value._repr_markdown_() == "a\\*b\\_\\[c\\] 1\\$"
    assert isinstance(number(3), Text) and isinstance(percent(0.5), Text)
    with pytest.raises(TypeError):
        Text("a") + 1


def test_raw_html_fence_outlasts_backticks_inside():
    block = raw_html_markdown("<code>```js</code>")
    assert block.startswith("````{=html}\n") and block.endswith("\n````")
