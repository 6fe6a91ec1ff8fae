#!/usr/bin/env bash
# Prints the `quarto` command that `make site` and `make test` use, or nothing (then the
# fallback renderer builds the site). Order: `quarto` on PATH; else the Quarto bundle in
# $QUARTO_BUNDLE (default ../shared/quarto, see its README.md), installed once with its
# install.sh into .tools/quarto (git-ignored; not .quarto/, Quarto's own scratch folder).
# Messages go to stderr, so `$(scripts/find_quarto.sh)` is just the command.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v quarto >/dev/null 2>&1; then
  command -v quarto
  exit 0
fi
bundle="${QUARTO_BUNDLE:-../shared/quarto}"
prefix=.tools/quarto
if [[ -x $prefix/bin/quarto ]] && [[ -f $prefix/.installed ]]; then
  echo "$PWD/$prefix/bin/quarto"
  exit 0
fi
if [[ -x $bundle/install.sh ]]; then
  echo "installing Quarto from $bundle into $prefix (once)" >&2
  if "$bundle/install.sh" "$prefix" >&2; then
    touch "$prefix/.installed"
    echo "$PWD/$prefix/bin/quarto"
    exit 0
  fi
  echo "Quarto bundle $bundle failed to install; using the fallback renderer" >&2
fi
