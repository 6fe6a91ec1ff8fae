"""Site navigation (navbar, sidebar, prev/next, footer) and the page around pandoc's body.

Navigation is resolved once per build against the set of rendered pages, so a
navbar or sidebar entry that points nowhere fails the build. Every link a page
carries is made relative to that page, so the site works from `file://`.
"""
from __future__ import annotations

import dataclasses
import json
import posixpath
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from .config import Project
from .errors import RenderError
from .options import PageOptions
from .pandoc import Fragment, snippet_html
from .qmd import Document

EXTERNAL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)")
STYLESHEET = "site_libs/fallback/site.css"
TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                               autoescape=True, trim_blocks=True, lstrip_blocks=True,
                               undefined=jinja2.StrictUndefined)


@dataclasses.dataclass(frozen=True)
class Link:
    text: str
    href: str  # output path from the site root ('chapters/a.html'), or an external URL


@dataclasses.dataclass(frozen=True)
class Section:
    title: str
    items: tuple


@dataclasses.dataclass(frozen=True)
class Navigation:
    title: str
    navbar_left: tuple[Link, ...]
    navbar_right: tuple[Link, ...]
    sidebar_title: str
    sidebar: tuple[Link | Section, ...]
    order: tuple[Link, ...]  # prev/next sequence: sidebar order, else navbar order
    page_navigation: bool
    footer: dict[str, str]  # left/center/right -> html with links relative to the site root
    description: str
    home: str | None  # 'index.html' when the site has an index page


def output_path(source: str) -> str:
    return source[: -len(".qmd")] + ".html"


def navigation(project: Project, docs: dict[str, Document]) -> Navigation:
    website = project.website
    navbar = website.get("navbar") or {}
    sidebar = website.get("sidebar") or {}
    left = tuple(_link(item, docs, f"website.navbar.left[{i}]") for i, item in enumerate(navbar.get("left") or []))
    right = tuple(_link(item, docs, f"website.navbar.right[{i}]") for i, item in enumerate(navbar.get("right") or []))
    side = tuple(_entry(item, docs, f"website.sidebar.contents[{i}]")
                 for i, item in enumerate(sidebar.get("contents") or []))
    order = [link for link in (_flatten(side) if side else left + right) if not EXTERNAL.match(link.href)]
    footer = website.get("page-footer") or {}
    footer = {"center": footer} if isinstance(footer, str) else footer
    return Navigation(
        title=str(navbar.get("title", website.get("title", ""))),
        navbar_left=left, navbar_right=right,
        sidebar_title=str(sidebar.get("title", "")), sidebar=side,
        order=tuple(dict.fromkeys(order)),
        page_navigation=bool(website.get("page-navigation", False)),
        footer={k: snippet_html(v, f"_quarto.yml: website.page-footer.{k}") for k, v in footer.items()},
        description=str(website.get("description", "")),
        home="index.html" if "index.qmd" in docs else None,
    )


def _link(item, docs: dict[str, Document], where: str) -> Link:
    href, text = (item, None) if isinstance(item, str) else (item["href"], item.get("text"))
    if EXTERNAL.match(href):
        return Link(str(text or href), href)
    source = posixpath.normpath(href.split("#")[0])
    source = source[: -len(".html")] + ".qmd" if source.endswith(".html") else source
    if source not in docs:
        raise RenderError(f"_quarto.yml: {where}: '{href}' is not a page of this site; rendered pages: "
                          f"{', '.join(sorted(docs))}")
    return Link(str(text if text is not None else docs[source].title), output_path(source))


def _entry(item, docs: dict[str, Document], where: str) -> Link | Section:
    if isinstance(item, dict) and "section" in item:
        return Section(item["section"], tuple(_entry(child, docs, f"{where}.contents[{i}]")
                                              for i, child in enumerate(item.get("contents") or [])))
    return _link(item, docs, where)


def _flatten(items) -> list[Link]:
    return [link for item in items for link in (_flatten(item.items) if isinstance(item, Section) else [item])]


def relative(href: str, page: str) -> str:
    """`href` (from the site root) as seen from `page` (also from the root)."""
    if EXTERNAL.match(href) or href.startswith("#"):
        return href
    return posixpath.relpath(href, posixpath.dirname(page) or ".")


def rebase(html_text: str, offset: str) -> str:
    """Prefix root-relative href/src attributes in `html_text` with the page's offset to the root."""
    return re.sub(r'(\s(?:href|src)=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)', rf"\g<1>{offset}", html_text)


# The one external script a page may load, as real Quarto emits it; loaded async, so the
# page is fully usable when it cannot load (offline, intranet).
COMMENT_SCRIPTS = {"hypothesis": "https://hypothes.is/embed.js"}


def render_page(doc: Document, fragment: Fragment, page: PageOptions, nav: Navigation, project: Project,
                include_in_header: str, css: list[str]) -> str:
    """The complete HTML page for `doc`; `css` are extra stylesheets, as paths from the site root."""
    here = output_path(doc.path)
    depth = here.count("/")
    offset = "../" * depth or "./"

    def link(item: Link) -> dict:
        return {"text": item.text, "href": relative(item.href, here), "active": item.href == here}

    def tree(items) -> list[dict]:
        return [{"section": item.title, "items": tree(item.items)} if isinstance(item, Section) else link(item)
                for item in items]

    order = [item.href for item in nav.order]
    position = order.index(here) if here in order else None
    prev_link = nav.order[position - 1] if position else None
    next_link = nav.order[position + 1] if position is not None and position + 1 < len(order) else None
    front = doc.front
    site_title = str(project.website.get("title", ""))
    title = str(front.get("title", ""))
    authors = front.get("author", [])
    return TEMPLATES.get_template("page.html").render(
        lang=page.html["lang"], words=page.words, offset=offset,
        head_title=" – ".join(dict.fromkeys(t for t in (doc.title, site_title) if t)),
        meta_description=str(front.get("description", nav.description)),
        include_in_header=Markup(include_in_header),
        stylesheets=[relative(STYLESHEET, here)] + [relative(c, here) for c in css],
        site_title=nav.title, home=relative(nav.home, here) if nav.home else None,
        navbar_left=[link(i) for i in nav.navbar_left], navbar_right=[link(i) for i in nav.navbar_right],
        sidebar_title=nav.sidebar_title, sidebar=tree(nav.sidebar),
        title=title, subtitle=str(front.get("subtitle", "")), description=str(front.get("description", "")),
        authors=[str(a) for a in (authors if isinstance(authors, list) else [authors])],
        date=str(front.get("date", "")),
        toc=Markup(fragment.toc),
        toc_title=page.html.get("toc-title", page.words["toc"]),
        body=Markup(fragment.body),
        prev=link(prev_link) if prev_link and nav.page_navigation else None,
        next=link(next_link) if next_link and nav.page_navigation else None,
        footer={k: Markup(rebase(v, offset) if depth else v) for k, v in nav.footer.items()},
        comments_script=COMMENT_SCRIPTS.get(project.comments),
        comments_config=Markup(json.dumps(project.comments_config).replace("</", "<\\/"))
        if project.comments and project.comments_config else None,
        favicon=relative(project.website["favicon"], here) if project.website.get("favicon") else None,
    )
