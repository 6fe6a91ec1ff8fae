"""Tables and charts fit the text column: in both renderers' builds, at 1280 and 390 px no
great-tables table and no chart is wider than its box, so nothing scrolls sideways inside the page
(folded «Для аналитика» callouts included).

A great-tables table sits in great-tables' own box (a div with the table's id, which scrolls
what overflows it) inside the cell's output box; a chart is its `.oneclick-chart` box. Each box
must hold its content: scrollWidth <= clientWidth + 1 (a rounding pixel). At 390 px the tables
wrap their text and the planner draws its phone layout (assets/tables-header.html,
assets/charts-header.html).
"""

from __future__ import annotations

import pytest

from test_pages import DESKTOP, PAGES, PHONE, open_page

pytestmark = pytest.mark.browser

# Every box that is wider inside than outside: «what (title): content px in a box of px».
# Collapsed «Для аналитика» callouts are opened first (Quarto's collapse div, the fallback's
# <details>): a table a reader unfolds must fit too.
OPEN_CALLOUTS = """async () => {
    document.querySelectorAll('.callout-collapse.collapse').forEach(body => body.classList.add('show'));
    document.querySelectorAll('details.callout').forEach(details => { details.open = true; });
    // Two frames: the page header's resize observers run between layout and paint.
    for (let frame = 0; frame < 2; frame++) await new Promise(done => requestAnimationFrame(done));
}"""
TOO_WIDE = """() => {
    const problems = [];
    const check = (box, what) => {
        if (box && box.scrollWidth > box.clientWidth + 1)
            problems.push(what + ': ' + box.scrollWidth + ' px in a box of ' + box.clientWidth + ' px');
    };
    document.querySelectorAll('table.gt_table').forEach(table => {
        const title = (table.querySelector('.gt_title') || table.querySelector('th, td') || table).textContent;
        const what = 'table «' + title.trim().slice(0, 50) + '»';
        check(table.parentElement, what);
        check(table.closest('.cell-output-display'), what + ' (cell output)');
    });
    document.querySelectorAll('.oneclick-chart').forEach(chart => {
        check(chart, 'chart ' + chart.id + ' «' + (chart.getAttribute('aria-label') || '').slice(0, 50) + '»');
    });
    return problems;
}"""


@pytest.mark.parametrize("width_name", ["desktop", "phone"])
@pytest.mark.parametrize("name", PAGES)
def test_no_table_or_chart_is_wider_than_its_box(each_renderers_site, offline_page, name, width_name):
    offline_page.set_viewport_size(DESKTOP if width_name == "desktop" else PHONE)
    open_page(offline_page, each_renderers_site, name)
    offline_page.evaluate(OPEN_CALLOUTS)
    problems = offline_page.evaluate(TOO_WIDE)
    assert problems == [], f"{name} at {width_name} width:\n" + "\n".join(problems)


# A table wider than its great-tables box (a cell that cannot wrap) and a chart wider than its
# box, beside a table and a chart that fit: the check must name exactly the first two.
SYNTHETIC = """<!DOCTYPE html><html><body style="margin:0; width:300px">
<div class="cell-output-display"><div id="wide" style="overflow-x:auto">
  <table class="gt_table"><tr><td class="gt_title">Широкая</td></tr>
  <tr><td style="white-space:nowrap">очень длинная строка, которая не переносится и не помещается</td></tr></table>
</div></div>
<div class="cell-output-display"><div id="narrow" style="overflow-x:auto">
  <table class="gt_table"><tr><td class="gt_title">Узкая</td></tr><tr><td>коротко</td></tr></table>
</div></div>
<div class="oneclick-chart" id="big" aria-label="большой" style="overflow-x:auto"><svg width="500" height="10"></svg></div>
<div class="oneclick-chart" id="small" aria-label="маленький" style="overflow-x:auto"><svg width="200" height="10"></svg></div>
</body></html>"""


def test_the_check_names_the_table_and_the_chart_that_overflow(offline_page):
    offline_page.set_content(SYNTHETIC)
    problems = offline_page.evaluate(TOO_WIDE)
    assert [problem.split(":")[0] for problem in problems] == ["table «Широкая»", "chart big «большой»"], problems
