"""`python -m render [PROJECT_DIR] [--no-cache] [--depends PATH ...] [--quiet] [--profile NAME]`."""
from __future__ import annotations

import argparse
import sys

from .build import build_site
from .errors import RenderError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m render",
                                     description="Render a Quarto website project without Quarto (fallback).")
    parser.add_argument("project_dir", nargs="?", default=".", help="project directory (default: current)")
    parser.add_argument("--no-cache", action="store_true", help="execute every page even if its cache is valid")
    parser.add_argument("--depends", action="append", default=[], metavar="PATH",
                        help="file or directory (relative to the project) whose contents join every page's "
                             "cache key; repeatable")
    parser.add_argument("--quiet", action="store_true", help="print nothing unless the build fails")
    parser.add_argument("--profile", default=None, metavar="NAME[,NAME]",
                        help="Quarto profile(s) to activate, as quarto render --profile (default: "
                             "QUARTO_PROFILE, else profile.default in _quarto.yml)")
    args = parser.parse_args(argv)
    try:
        build_site(args.project_dir, use_cache=not args.no_cache, depends=args.depends,
                   log=(lambda _message: None) if args.quiet else print, profile=args.profile)
    except RenderError as error:
        print(f"render: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # unreadable source, full disk...: say which file, skip the traceback
        print(f"render: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("render: interrupted", file=sys.stderr)
        return 1
    return 0
