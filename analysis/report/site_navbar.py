"""The navbar's current page, marked as the fallback renderer marks it: exactly the item that
links to the page itself, and none on a page the navbar does not list (the home page).

Why this exists: Quarto (1.10, `navigationHtmlPostprocessor` in
src/project/types/website/website-navigation.ts) marks as active the first navbar link that is
either the page itself *or appears anywhere in the page's sidebar*. That rule suits sites with
one sidebar per navbar section; this site has one docked sidebar listing every page (it also
drives Quarto's prev/next links), so the first item, «Данные», was active on every page.
`scripts/navbar_current_page.py` runs this over every built page after rendering.
"""

from __future__ import annotations

import posixpath
import re

# Quarto's navbar: <nav class="navbar ...">…</nav>, its items <a class="nav-link …" href="…">.
NAVBAR = re.compile(r'(<nav\b[^>]*\bclass="navbar\b[^"]*"[^>]*>)(.*?)(</nav>)', re.DOTALL)
NAV_LINK = re.compile(r'<a\b[^>]*\bclass="nav-link\b[^"]*"[^>]*>')
CLASS = re.compile(r'\bclass="([^"]*)"')
HREF = re.compile(r'\bhref="([^"]*)"')
ARIA_CURRENT = re.compile(r'\s+aria-current="page"')


def link_target(href: str, page: str) -> str:
    """The site path ('chapters/03-model.html') a relative `href` on `page` leads to; its
    fragment and query ignored; a folder link means its index.html."""
    path = href.split("#", 1)[0].split("?", 1)[0]
    if not path:
        return page
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if path.endswith("/"):
        target = posixpath.normpath(posixpath.join(target, "index.html"))
    return target


def _marked(tag: str, current: bool) -> str:
    classes = [name for name in CLASS.search(tag).group(1).split() if name != "active"]
    if current:
        classes.append("active")
    tag = ARIA_CURRENT.sub("", CLASS.sub(f'class="{" ".join(classes)}"', tag, count=1))
    return tag[:-1].rstrip() + ' aria-current="page">' if current else tag


def mark_current_page(html: str, page: str) -> str:
    """`html` (a page Quarto built, at site path `page`, e.g. 'chapters/03-model.html') with
    `active` / `aria-current="page"` on exactly the navbar links to `page` itself.

    Only links inside the navbar (`<nav class="navbar">`) are touched; the sidebar's and the
    table of contents' own active marks stay as Quarto set them. A page without a Quarto navbar
    (the fallback renderer marks its navbar itself) comes back unchanged."""

    def fix_links(navbar: re.Match) -> str:
        def fix(link: re.Match) -> str:
            href = HREF.search(link.group(0))
            current = href is not None and link_target(href.group(1), page) == page
            return _marked(link.group(0), current)

        return navbar.group(1) + NAV_LINK.sub(fix, navbar.group(2)) + navbar.group(3)

    return NAVBAR.sub(fix_links, html, count=1)
