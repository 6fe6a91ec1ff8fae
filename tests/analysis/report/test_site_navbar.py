"""The navbar marks exactly the page itself as current, in Quarto's navbar markup."""

from __future__ import annotations

import re

from analysis.report.site_navbar import link_target, mark_current_page

# Quarto 1.10's navbar as it writes it on chapters/03-model.html (trimmed), with its wrong mark
# on the first item (in the sidebar, which lists every page), plus a sidebar and a TOC link.
QUARTO_PAGE = """<header id="quarto-header"><nav class="navbar navbar-expand-lg " data-bs-theme="dark">
<a class="navbar-brand" href="../index.html"><span class="navbar-title">OneClick Insight</span></a>
<ul class="navbar-nav navbar-nav-scroll me-auto">
  <li class="nav-item"><a class="nav-link active" href="../chapters/01-data.html" aria-current="page">
<span class="menu-text">Данные</span></a></li>
  <li class="nav-item"><a class="nav-link" href="../chapters/03-model.html">
<span class="menu-text">Модель</span></a></li>
</ul>
<ul class="navbar-nav navbar-nav-scroll ms-auto">
  <li class="nav-item"><a class="nav-link" href="./glossary.html#roc-auc"><span class="menu-text">Словарь</span></a></li>
</ul></nav></header>
<nav id="quarto-sidebar"><a href="../chapters/01-data.html" class="sidebar-item-text sidebar-link">Данные</a>
<a href="../chapters/03-model.html" class="sidebar-item-text sidebar-link active">Модель</a></nav>
<nav id="TOC"><a href="#как-проверяли" class="nav-link active">Как проверяли</a></nav>"""


def navbar_marks(html: str) -> list[tuple[str, bool, bool]]:
    navbar = html[:html.index("</nav>")]
    return [(href, "active" in classes.split(), 'aria-current="page"' in tag)
            for tag, classes, href in re.findall(r'(<a class="(nav-link[^"]*)" href="([^"]*)"[^>]*>)', navbar)]


def test_only_the_page_itself_is_marked_in_the_navbar():
    marked = mark_current_page(QUARTO_PAGE, "chapters/03-model.html")
    assert navbar_marks(marked) == [("../chapters/01-data.html", False, False),
                                    ("../chapters/03-model.html", True, True),
                                    ("./glossary.html#roc-auc", False, False)]
    # The sidebar's and the table of contents' marks are Quarto's and stay.
    after_navbar = marked[marked.index("</nav>"):]
    assert after_navbar == QUARTO_PAGE[QUARTO_PAGE.index("</nav>"):]


def test_a_page_the_navbar_does_not_list_has_no_item_marked():
    home = QUARTO_PAGE.replace("../", "./")
    assert [active or current for _, active, current in navbar_marks(mark_current_page(home, "index.html"))] == [
        False, False, False]


def test_marking_twice_changes_nothing_and_a_page_without_quarto_navbar_is_left_alone():
    once = mark_current_page(QUARTO_PAGE, "chapters/glossary.html")
    assert [href for href, active, current in navbar_marks(once) if active and current] == ["./glossary.html#roc-auc"]
    assert mark_current_page(once, "chapters/glossary.html") == once
    fallback = '<header class="navbar"><ul><li><a href="01-data.html" class="active" aria-current="page">Данные</a>'
    assert mark_current_page(fallback, "chapters/01-data.html") == fallback


def test_link_targets_resolve_like_a_browser():
    assert link_target("../chapters/01-data.html", "chapters/03-model.html") == "chapters/01-data.html"
    assert link_target("./chapters/01-data.html?x=1#top", "index.html") == "chapters/01-data.html"
    assert link_target("#top", "chapters/planner.html") == "chapters/planner.html"
    assert link_target("../", "chapters/planner.html") == "index.html"
