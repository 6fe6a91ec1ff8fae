"""Bring the four raw CSVs into data/raw/ and prove they are the published ones.

Sources, in order: $ONECLICK_DATA_DIR (when set it is the only source: an explicit
choice must not be silently replaced by other data), else ../shared/data, else the
public course URL. Every file is checked against data/SHA256SUMS.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .constants import PUBLIC_DATA_URL, RAW_FILES
from .errors import DataFetchError
from .paths import CHECKSUMS_FILE, DEFAULT_SHARED_DATA_DIR

DATA_DIR_ENV = "ONECLICK_DATA_DIR"


@dataclass(frozen=True)
class FetchedFile:
    name: str
    source: str
    sha256: str
    copied: bool


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_checksums(checksums_file: Path = CHECKSUMS_FILE) -> dict[str, str]:
    """Parse a `sha256sum`-format file (`<hash> *<name>` or `<hash>  <name>`)."""
    checksums = {}
    for line in checksums_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            checksums[name.lstrip("*")] = digest.lower()
    return checksums


def candidate_sources(env: dict[str, str] | None = None,
                      shared_dir: Path = DEFAULT_SHARED_DATA_DIR) -> list[str]:
    """Where to look, in order; directories as paths, the public source as a URL."""
    env = os.environ if env is None else env
    if env.get(DATA_DIR_ENV):
        return [env[DATA_DIR_ENV]]
    return [str(shared_dir), PUBLIC_DATA_URL]


def fetch_data(destination: Path, sources: list[str],
               checksums: dict[str, str]) -> list[FetchedFile]:
    """Copy each raw file from the first source that has it, then verify its hash.

    A file already in `destination` with the right hash is left alone, so the
    step is cheap to repeat. Raises DataFetchError naming the file, every place it
    was looked for, and expected vs actual hash.
    """
    destination.mkdir(parents=True, exist_ok=True)
    fetched = []
    for name in RAW_FILES:
        expected = checksums[name]
        target = destination / name
        if target.exists() and sha256_of(target) == expected:
            fetched.append(FetchedFile(name, str(target), expected, copied=False))
            continue
        source = _copy_from_first_source(name, sources, target)
        actual = sha256_of(target)
        if actual != expected:
            target.unlink()
            raise DataFetchError(
                f"{name} from {source}: SHA-256 mismatch\n"
                f"  expected {expected}\n  actual   {actual}\n"
                "The file is not the published dataset; fix the source or data/SHA256SUMS."
            )
        fetched.append(FetchedFile(name, source, actual, copied=True))
    return fetched


def _copy_from_first_source(name: str, sources: list[str], target: Path) -> str:
    looked = []
    for source in sources:
        if source.startswith(("http://", "https://")):
            url = source.rstrip("/") + "/" + name
            try:
                _download(url, target)
                return url
            except (urllib.error.URLError, OSError) as error:
                looked.append(f"{url} ({error})")
        else:
            path = Path(source) / name
            if path.is_file():
                _atomic_copy(path, target)
                return str(path)
            looked.append(f"{path} (no such file)")
    raise DataFetchError(f"{name}: not found. Looked in:\n  " + "\n  ".join(looked))


def _download(url: str, target: Path) -> None:
    partial = target.with_suffix(".part")
    with urllib.request.urlopen(url, timeout=30) as response, open(partial, "wb") as out:
        shutil.copyfileobj(response, out)
    partial.replace(target)


def _atomic_copy(source: Path, target: Path) -> None:
    partial = target.with_suffix(".part")
    shutil.copyfile(source, partial)
    partial.replace(target)
