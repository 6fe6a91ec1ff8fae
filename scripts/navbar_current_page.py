"""Post-render step: in every built page, the navbar marks the page itself as current and
nothing else (analysis/report/site_navbar.py says why Quarto's own mark is wrong for this site)."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.report.site_navbar import mark_current_page  # noqa: E402

site = Path(os.environ["QUARTO_PROJECT_OUTPUT_DIR"]).resolve()
for page in sorted(site.rglob("*.html")):
    html = page.read_text(encoding="utf-8")
    marked = mark_current_page(html, page.relative_to(site).as_posix())
    if marked != html:
        page.write_text(marked, encoding="utf-8")
