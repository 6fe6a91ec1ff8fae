"""Read `_quarto.yml` and check it against the subset the fallback supports.

Strict on purpose: an option Quarto would honour but the fallback would
silently ignore gives a site that looks right and is wrong, so every unknown
key is an error that names the key, the file and what is supported.
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import yaml

from .errors import RenderError

TOP_KEYS = ("project", "website", "format", "execute", "lang", "comments", "metadata-files", "profile")
PROFILE_KEYS = ("default", "group")
COMMENT_PROVIDERS = ("hypothesis",)
# Hypothesis client options the fallback passes through (its config names, camelCase as in Quarto).
HYPOTHESIS_OPTIONS = {"openSidebar": (bool,), "showHighlights": (bool, "always", "never", "whenSidebarOpen"),
                      "theme": ("classic", "clean")}
PROJECT_KEYS = ("type", "output-dir", "render", "resources", "execute-dir", "pre-render", "post-render")
WEBSITE_KEYS = ("title", "description", "site-url", "repo-url", "page-navigation", "navbar", "sidebar",
                "page-footer", "favicon", "search", "repo-actions")
REPO_ACTIONS = ("edit", "source", "issue")
NAVBAR_KEYS = ("title", "left", "right")
SIDEBAR_KEYS = ("title", "style", "contents")
LINK_KEYS = ("href", "text")
SECTION_KEYS = ("section", "contents")
FOOTER_KEYS = ("left", "center", "right")
HTML_KEYS = ("theme", "toc", "toc-depth", "toc-title", "toc-location", "code-fold", "code-summary", "code-tools",
             "include-in-header", "css", "lang", "number-sections", "smooth-scroll", "anchor-sections",
             "code-copy")
EXECUTE_KEYS = ("echo", "eval", "output", "include", "warning", "error", "freeze")
EXECUTE_DEFAULTS = {"echo": True, "eval": True, "output": True, "include": True, "warning": True, "error": False}

# The words Quarto localises that the fallback prints (from Quarto's _language-*.yml).
WORDS = {
    "en": {"fig": "Figure", "tbl": "Table", "code": "Code", "toc": "On this page", "prev": "Previous",
           "next": "Next", "menu": "Navigation", "note": "Note", "tip": "Tip", "warning": "Warning",
           "important": "Important", "caution": "Caution", "skip": "Skip to main content"},
    "ru": {"fig": "Рисунок", "tbl": "Таблица", "code": "Код", "toc": "Содержание", "prev": "Предыдущая",
           "next": "Следующая", "menu": "Навигация", "note": "Уведомление", "tip": "Совет",
           "warning": "Предупреждение", "important": "Важное уведомление", "caution": "Осторожность",
           "skip": "Перейти к содержанию"},
}


@dataclasses.dataclass(frozen=True)
class Project:
    """The validated project settings; `website` keeps the raw (checked) mapping."""

    root: Path
    config_files: tuple[Path, ...]
    output_dir: Path
    render: tuple[str, ...]
    resources: tuple[str, ...]
    execute_dir: str
    pre_render: tuple[str, ...]
    post_render: tuple[str, ...]
    website: dict
    html: dict
    execute: dict
    lang: str | None
    comments: str | None  # the enabled comment provider ("hypothesis") or None
    # Hypothesis' client settings (`comments: hypothesis: {openSidebar: false}`), emitted as
    # Quarto does: a JSON `js-hypothesis-config` script before embed.js; {} for `true`.
    comments_config: dict = dataclasses.field(default_factory=dict)
    profiles: tuple[str, ...] = ()  # active Quarto profiles, first has priority


def check_keys(mapping: Any, allowed: tuple[str, ...], where: str, file: str) -> dict:
    """Return `mapping` if it is a dict whose keys are all in `allowed`."""
    if mapping is None:
        return {}
    if not isinstance(mapping, dict):
        raise RenderError(f"{file}: '{where}' must be a mapping, got {type(mapping).__name__}")
    for key in mapping:
        if key not in allowed:
            name = f"{where}.{key}" if where else str(key)
            raise RenderError(f"{file}: key '{name}' is not supported by the fallback renderer; "
                              f"supported: {', '.join(allowed)}")
    return mapping


def expect(value: Any, allowed: tuple, where: str, file: str) -> Any:
    """Check `value` is an instance of one of the types or equal to one of the literals in `allowed`."""
    for option in allowed:
        if isinstance(option, type):
            if isinstance(value, option) and not (option is int and isinstance(value, bool)):
                return value
        elif value == option and type(value) is type(option):
            return value
    shown = ", ".join(o.__name__ if isinstance(o, type) else repr(o) for o in allowed)
    raise RenderError(f"{file}: '{where}' is {value!r}; expected {shown}")


def str_list(value: Any, where: str, file: str) -> tuple[str, ...]:
    """Quarto accepts a string or a list of strings in many places."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise RenderError(f"{file}: '{where}' must be a string or a list of strings, got {value!r}")
    return tuple(items)


def check_html(options: Any, where: str, file: str) -> dict:
    """Validate a `format: html:` mapping (project or page level)."""
    options = check_keys(options, HTML_KEYS, where, file)
    checks = {"toc": (bool,), "smooth-scroll": (bool,), "anchor-sections": (bool,), "code-copy": (bool, "hover"),
              "toc-depth": (int,),
              "toc-title": (str,), "toc-location": ("right", "left", "body"), "code-summary": (str,),
              "code-fold": (bool, "show"), "code-tools": (False,), "number-sections": (False,), "lang": (str,)}
    for key, allowed in checks.items():
        if key in options:
            expect(options[key], allowed, f"{where}.{key}", file)
    if "lang" in options:
        words(options["lang"], file)
    if "theme" in options:
        _check_theme(options["theme"], f"{where}.theme", file)
    return options


def _check_theme(theme: Any, where: str, file: str) -> None:
    """A theme name or list of names/.scss files, or `{light: ..., dark: ...}`; the fallback draws
    its own look, so the value is checked, not used (render/README.md)."""
    if isinstance(theme, dict):
        for key, value in check_keys(theme, ("light", "dark"), where, file).items():
            str_list(value, f"{where}.{key}", file)
    else:
        str_list(theme, where, file)


def check_execute(options: Any, where: str, file: str) -> dict:
    """Validate an `execute:` mapping; `freeze` is accepted and ignored (the fallback has its own cache)."""
    options = check_keys(options, EXECUTE_KEYS, where, file)
    allowed = {"echo": (bool, "fenced"), "output": (bool, "asis"), "freeze": (bool, "auto")}
    for key, value in options.items():
        expect(value, allowed.get(key, (bool,)), f"{where}.{key}", file)
    return options


def check_format(value: Any, where: str, file: str) -> dict:
    """`format: html` or `format: {html: {...}}`; any other output format is an error."""
    if value in (None, "html"):
        return {}
    formats = check_keys(value, ("html",), where, file)
    return check_html(formats.get("html"), f"{where}.html", file)


def words(lang: str | None, file: str = "_quarto.yml") -> dict[str, str]:
    """Localised words for `lang` ('ru', 'ru-RU', 'en'...); unknown languages fail."""
    base = (lang or "en").replace("_", "-").split("-")[0].lower()
    if base not in WORDS:
        raise RenderError(f"{file}: lang '{lang}' is not supported by the fallback renderer; "
                          f"supported: {', '.join(WORDS)}")
    return WORDS[base]


def _check_link(item: Any, where: str, file: str, sections: bool) -> None:
    if isinstance(item, str):
        return
    if sections and isinstance(item, dict) and "section" in item:
        check_keys(item, SECTION_KEYS, where, file)
        expect(item["section"], (str,), f"{where}.section", file)
        for i, child in enumerate(_list(item.get("contents"), f"{where}.contents", file)):
            _check_link(child, f"{where}.contents[{i}]", file, sections)
        return
    check_keys(item, LINK_KEYS, where, file)
    expect(item.get("href"), (str,), f"{where}.href", file)


def _list(value: Any, where: str, file: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RenderError(f"{file}: '{where}' must be a list, got {value!r}")
    return value


def check_website(website: Any, file: str) -> dict:
    """Validate the `website:` section, down to every navbar and sidebar entry."""
    website = check_keys(website, WEBSITE_KEYS, "website", file)
    for key in ("title", "description", "site-url", "repo-url", "favicon"):
        if key in website:
            expect(website[key], (str,), f"website.{key}", file)
    expect(website.get("search", True), (bool,), "website.search", file)
    for action in str_list(website.get("repo-actions"), "website.repo-actions", file):
        expect(action, REPO_ACTIONS, "website.repo-actions[]", file)
    if website.get("repo-actions") and "repo-url" not in website:
        raise RenderError(f"{file}: website.repo-actions needs website.repo-url")
    expect(website.get("page-navigation", False), (bool,), "website.page-navigation", file)
    navbar = check_keys(website.get("navbar"), NAVBAR_KEYS, "website.navbar", file)
    for side in ("left", "right"):
        for i, item in enumerate(_list(navbar.get(side), f"website.navbar.{side}", file)):
            _check_link(item, f"website.navbar.{side}[{i}]", file, sections=False)
    sidebar = check_keys(website.get("sidebar"), SIDEBAR_KEYS, "website.sidebar", file)
    expect(sidebar.get("style", "docked"), ("docked", "floating"), "website.sidebar.style", file)
    for i, item in enumerate(_list(sidebar.get("contents"), "website.sidebar.contents", file)):
        _check_link(item, f"website.sidebar.contents[{i}]", file, sections=True)
    footer = website.get("page-footer")
    if footer is not None and not isinstance(footer, str):
        for key, value in check_keys(footer, FOOTER_KEYS, "website.page-footer", file).items():
            expect(value, (str,), f"website.page-footer.{key}", file)
    return website


def merge(base: Any, override: Any) -> Any:
    """Quarto's config merge: mappings deep-merge, lists concatenate (deduplicated), scalars are replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(override, list):
        return base + [item for item in override if item not in base]
    return override


def read_yaml(path: Path, name: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RenderError(f"{name}: file not found") from None
    except yaml.YAMLError as error:
        raise RenderError(f"{name}: invalid YAML: {error}") from None


def active_profiles(config: dict, requested: str | None, file: str) -> tuple[str, ...]:
    """Quarto's profile choice (`src/project/project-profile.ts`): `requested` (--profile or
    QUARTO_PROFILE, comma-separated), else `profile.default`; then every `profile.group` not yet
    represented adds its first member."""
    settings = check_keys(config.get("profile"), PROFILE_KEYS, "profile", file)
    chosen = requested or ",".join(str_list(settings.get("default"), "profile.default", file))
    active = [name.strip() for name in chosen.split(",") if name.strip()]
    groups = settings.get("group") or []
    if groups and all(isinstance(name, str) for name in groups):
        groups = [groups]
    for i, group in enumerate(_list(groups, "profile.group", file)):
        members = str_list(group, f"profile.group[{i}]", file)
        if members and not any(name in active for name in members):
            active.append(members[0])
    return tuple(active)


def load_project(root: Path, profile: str | None = None) -> Project:
    """Read `root/_quarto.yml` (plus its `metadata-files`, then the `_quarto-<profile>.yml` of every
    active profile, as Quarto merges them) into a validated `Project`. `profile` is what
    `--profile` gives (comma-separated names); None reads QUARTO_PROFILE, then `profile.default`."""
    root = root.resolve()
    file = "_quarto.yml"
    config = check_keys(read_yaml(root / file, file), TOP_KEYS, "", file)
    config_files = [root / file]
    for extra in str_list(config.get("metadata-files"), "metadata-files", file):
        config_files.append(root / extra)
        more = check_keys(read_yaml(root / extra, extra), tuple(k for k in TOP_KEYS if k != "metadata-files"),
                          "", extra)
        config = merge(config, more)
    profiles = active_profiles(config, profile if profile is not None else os.environ.get("QUARTO_PROFILE"), file)
    for name in reversed(profiles):  # the first profile merges last, so it wins
        extra = f"_quarto-{name}.yml"
        if (root / extra).is_file():
            config_files.append(root / extra)
            more = check_keys(read_yaml(root / extra, extra), tuple(k for k in TOP_KEYS if k != "profile"), "", extra)
            config = merge(config, more)
    project = check_keys(config.get("project"), PROJECT_KEYS, "project", file)
    if project.get("type") != "website":
        raise RenderError(f"{file}: project.type is {project.get('type')!r}; the fallback renderer only "
                          "builds 'website' projects")
    output_dir = (root / expect(project.get("output-dir", "_site"), (str,), "project.output-dir", file)).resolve()
    if root not in output_dir.parents:
        raise RenderError(f"{file}: project.output-dir must be a folder inside the project (it is deleted and "
                          f"recreated on every build), got {project['output-dir']!r}")
    if "lang" in config:
        expect(config["lang"], (str,), "lang", file)
        words(config["lang"], file)
    html = check_format(config.get("format"), "format", file)
    return Project(
        root=root,
        config_files=tuple(config_files),
        output_dir=output_dir,
        render=str_list(project.get("render"), "project.render", file),
        resources=str_list(project.get("resources"), "project.resources", file),
        execute_dir=expect(project.get("execute-dir", "file"), ("file", "project"), "project.execute-dir", file),
        pre_render=str_list(project.get("pre-render"), "project.pre-render", file),
        post_render=str_list(project.get("post-render"), "project.post-render", file),
        website=check_website(config.get("website"), file),
        html=html,
        execute=check_execute(config.get("execute"), "execute", file),
        lang=html.get("lang", config.get("lang")),
        comments=check_comments(config.get("comments"), file),
        comments_config=hypothesis_config(config.get("comments"), file),
        profiles=profiles,
    )


def check_comments(comments: Any, file: str) -> str | None:
    """`comments: hypothesis: true` (Quarto's document option, set project-wide); other providers fail."""
    if comments is None or comments is False:
        return None
    comments = check_keys(comments, COMMENT_PROVIDERS, "comments", file)
    enabled = [name for name, value in comments.items()
               if isinstance(value, dict) or expect(value, (bool,), f"comments.{name}", file)]
    return enabled[0] if enabled else None


def hypothesis_config(comments: Any, file: str) -> dict:
    """The options of `comments: hypothesis: {...}` (a mapping enables it, as in Quarto); {} otherwise."""
    value = comments.get("hypothesis") if isinstance(comments, dict) else None
    if not isinstance(value, dict):
        return {}
    check_keys(value, tuple(HYPOTHESIS_OPTIONS), "comments.hypothesis", file)
    return {key: expect(option, HYPOTHESIS_OPTIONS[key], f"comments.hypothesis.{key}", file)
            for key, option in value.items()}
