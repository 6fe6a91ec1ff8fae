"""Chart text that fits: in both renderers' builds, at 1280 and 390 px no title, subtitle,
legend, axis or mark label of a Vega SVG chart lies outside its chart or overlaps another text
element.

Boxes are the text's own rotated rectangle (its SVG bounding box mapped to the screen), so
labels set at an angle are tested as drawn, not as their axis-aligned hull. Charts drawn on a
canvas (large scatter plots) have no text elements to measure and are not checked here.
"""

from __future__ import annotations

import pytest

from test_pages import DESKTOP, PAGES, PHONE, open_page

pytestmark = pytest.mark.browser

# Pixels two text boxes may share (anti-aliasing, a descender touching the next line) before
# they count as overlapping, and a text box may stick out of its chart.
OVERLAP_TOLERANCE_PX = 1.5
OUTSIDE_TOLERANCE_PX = 1.0

# For every SVG chart: each visible, non-empty <text> as the four screen corners of its
# rotated box; then the pairs whose boxes intersect (separating-axis test on the two
# quadrilaterals, each shrunk by the tolerance) and the boxes that leave the chart's svg.
TEXT_PROBLEMS = """([overlapTolerance, outsideTolerance]) => {
    const visible = el => {
        for (let node = el; node && node.tagName !== 'svg'; node = node.parentElement) {
            const style = getComputedStyle(node);
            if (style.display === 'none' || style.visibility === 'hidden' || parseFloat(style.opacity) === 0
                || node.getAttribute('opacity') === '0' || node.getAttribute('fill-opacity') === '0') return false;
        }
        return true;
    };
    const corners = el => {
        const box = el.getBBox(), m = el.getScreenCTM();
        const at = (x, y) => ({x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f});
        return [at(box.x, box.y), at(box.x + box.width, box.y),
                at(box.x + box.width, box.y + box.height), at(box.x, box.y + box.height)];
    };
    const shrink = (quad, by) => {
        const cx = quad.reduce((s, p) => s + p.x, 0) / 4, cy = quad.reduce((s, p) => s + p.y, 0) / 4;
        return quad.map(p => {
            const dx = p.x - cx, dy = p.y - cy, len = Math.hypot(dx, dy) || 1;
            const k = Math.max(0, len - by) / len;
            return {x: cx + dx * k, y: cy + dy * k};
        });
    };
    const separated = (a, b) => {
        for (const quad of [a, b]) {
            for (let i = 0; i < 4; i++) {
                const p = quad[i], q = quad[(i + 1) % 4];
                const nx = q.y - p.y, ny = p.x - q.x;
                const project = pts => pts.map(pt => pt.x * nx + pt.y * ny);
                const pa = project(a), pb = project(b);
                if (Math.max(...pa) <= Math.min(...pb) || Math.max(...pb) <= Math.min(...pa)) return true;
            }
        }
        return false;
    };
    const label = el => (el.textContent || '').trim().slice(0, 40);
    const problems = [];
    document.querySelectorAll('.oneclick-chart svg.marks').forEach(svg => {
        const chart = svg.closest('.oneclick-chart');
        const name = chart.id + ' «' + (chart.getAttribute('aria-label') || '').slice(0, 50) + '»';
        const frame = svg.getBoundingClientRect();
        const texts = [...svg.querySelectorAll('text')]
            .filter(el => (el.textContent || '').trim() && visible(el))
            .map(el => ({el, quad: corners(el)}))
            .filter(t => { const b = t.el.getBBox(); return b.width > 0 && b.height > 0; });
        for (const t of texts) {
            const xs = t.quad.map(p => p.x), ys = t.quad.map(p => p.y);
            if (Math.min(...xs) < frame.left - outsideTolerance || Math.max(...xs) > frame.right + outsideTolerance
                || Math.min(...ys) < frame.top - outsideTolerance || Math.max(...ys) > frame.bottom + outsideTolerance)
                problems.push(name + ': «' + label(t.el) + '» lies outside the chart');
        }
        for (let i = 0; i < texts.length; i++) {
            const a = shrink(texts[i].quad, overlapTolerance);
            for (let j = i + 1; j < texts.length; j++) {
                if (!separated(a, shrink(texts[j].quad, overlapTolerance)))
                    problems.push(name + ': «' + label(texts[i].el) + '» overlaps «' + label(texts[j].el) + '»');
            }
        }
    });
    return problems;
}"""

# Pages whose charts other engineers are still rewriting, known to fail today and listed so the
# integrator sees what overlaps where (none at the moment).
KNOWN_FAILURES: dict[tuple[str, str], str] = {}


def cases():
    for name in PAGES:
        for width_name in ("desktop", "phone"):
            reason = KNOWN_FAILURES.get((name, width_name))
            marks = [pytest.mark.xfail(strict=False, reason=reason)] if reason else []
            yield pytest.param(name, width_name, marks=marks, id=f"{name}-{width_name}")


@pytest.mark.parametrize("name, width_name", list(cases()))
def test_chart_text_stays_inside_its_chart_and_never_overlaps(each_renderers_site, offline_page, name, width_name):
    offline_page.set_viewport_size(DESKTOP if width_name == "desktop" else PHONE)
    open_page(offline_page, each_renderers_site, name)
    problems = offline_page.evaluate(TEXT_PROBLEMS, [OVERLAP_TOLERANCE_PX, OUTSIDE_TOLERANCE_PX])
    assert problems == [], f"{name} at {width_name} width:\n" + "\n".join(problems)


# Two charts drawn by hand: the first with a label past its right edge and two labels on top of
# each other, the second with labels set at -40° side by side (their axis-aligned hulls overlap,
# the rotated boxes do not) — the check must flag exactly the first chart's two problems
# (the transparent label under «видимая метка» is not drawn, so it overlaps nothing).
SYNTHETIC = """<!DOCTYPE html><html><body style="margin:0">
<div class="oneclick-chart" id="bad" aria-label="bad"><svg class="marks" width="200" height="100">
  <text x="10" y="20" font-size="12">Выручка, у. е.</text>
  <text x="14" y="22" font-size="12">Наложение</text>
  <text x="170" y="60" font-size="12">за краем графика</text>
  <text x="10" y="90" font-size="12" opacity="0">скрытая метка</text>
  <text x="12" y="90" font-size="12">видимая метка</text>
</svg></div>
<div class="oneclick-chart" id="good" aria-label="good"><svg class="marks" width="300" height="120">
  <text transform="translate(40,80) rotate(-40)" font-size="11">Первая подпись</text>
  <text transform="translate(70,80) rotate(-40)" font-size="11">Вторая подпись</text>
</svg></div>
</body></html>"""


def test_the_check_flags_overlapping_and_outside_text_and_spares_rotated_neighbours(offline_page):
    offline_page.set_content(SYNTHETIC)
    problems = offline_page.evaluate(TEXT_PROBLEMS, [OVERLAP_TOLERANCE_PX, OUTSIDE_TOLERANCE_PX])
    assert sorted(problems) == sorted([
        "bad «bad»: «за краем графика» lies outside the chart",
        "bad «bad»: «Выручка, у. е.» overlaps «Наложение»",
    ]), problems
