"""Bring the four raw CSVs into data/raw/ and record which dataset they are.

Two kinds of data, one rule each:

- The reference dataset (../shared/data, else the public course URL) must match
  data/SHA256SUMS byte for byte; anything else there stops the build.
- $ONECLICK_DATA_DIR, when set, is the only source (an explicit choice must not be
  silently replaced by other data). If its four files match data/SHA256SUMS it is
  the reference dataset. Otherwise it is another period's data: it is validated by
  the schemas (analysis.data.load.load_raw_data), and checked to hold enough customers
  to model (sample_size.py), before anything is copied, so a bad or too-small
  folder is refused with its problem list and data/raw/ is left as it was.

Every fetch ends by writing data/raw/PROVENANCE.json (source, whether it is the
reference dataset, each file's SHA-256 and size). It is removed before any raw file
is replaced, so a fetch that fails half-way never leaves a record that describes
other files. Without ONECLICK_DATA_DIR the reference sources are used again, and
files that differ from data/SHA256SUMS (another period's) are replaced.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..constants import PUBLIC_DATA_URL, RAW_FILES
from .cleaning import clean
from .load import load_raw_data
from .features import build_model_data
from ..model.sample_size import check_enough_customers
from ..errors import DataFetchError, InvalidInputError
from ..paths import CHECKSUMS_FILE, DEFAULT_SHARED_DATA_DIR

DATA_DIR_ENV = "ONECLICK_DATA_DIR"
PROVENANCE_FILE = "PROVENANCE.json"
ALREADY_PRESENT = "already in data/raw before provenance was recorded"


@dataclass(frozen=True)
class FetchedFile:
    name: str
    source: str
    sha256: str
    copied: bool


@dataclass(frozen=True)
class FetchedData:
    """What fetch_raw_data put in the destination; `provenance` is what PROVENANCE.json holds."""

    files: list[FetchedFile]
    reference: bool
    source: str
    provenance: dict


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


def fetch_raw_data(destination: Path, env: dict[str, str] | None = None,
                   shared_dir: Path = DEFAULT_SHARED_DATA_DIR,
                   checksums: dict[str, str] | None = None) -> FetchedData:
    """The entry point of `fetch-data`: the reference dataset, or another period's from $ONECLICK_DATA_DIR.

    Raises DataFetchError (a file missing, or a reference source with a different
    hash) or InvalidInputError (other data that fail the schemas; its `problems`
    list every one). In both cases nothing of the refused data is in `destination`.
    """
    env = os.environ if env is None else env
    checksums = read_checksums() if checksums is None else checksums
    data_dir = env.get(DATA_DIR_ENV)
    if data_dir:
        folder = Path(data_dir).resolve()
        sources = [str(folder)]
        hashes = _source_hashes(folder)
        if hashes == {name: checksums[name] for name in RAW_FILES}:
            fetched = fetch_data(destination, sources, checksums)
        else:
            fetched = fetch_other_data(destination, folder, hashes, checksums)
    else:
        sources = candidate_sources({}, shared_dir)
        fetched = fetch_data(destination, sources, checksums)
    provenance = provenance_record(destination, fetched, checksums, previous=read_provenance(destination),
                                   sources=sources)
    _write_provenance(destination, provenance)
    return FetchedData(fetched, provenance["reference"], provenance["source"], provenance)


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
        (destination / PROVENANCE_FILE).unlink(missing_ok=True)
        source = _copy_from_first_source(name, sources, target)
        actual = sha256_of(target)
        if actual != expected:
            target.unlink()
            raise DataFetchError(
                f"{name} from {source}: SHA-256 mismatch\n"
                f"  expected {expected}\n  actual   {actual}\n"
                "The file is not the published dataset; fix the source or data/SHA256SUMS. "
                f"Another period's data are accepted only from ${DATA_DIR_ENV}."
            )
        fetched.append(FetchedFile(name, source, actual, copied=True))
    return fetched


def fetch_other_data(destination: Path, folder: Path, hashes: dict[str, str],
                     checksums: dict[str, str]) -> list[FetchedFile]:
    """Validate a folder that is not the reference dataset, then copy it into `destination`.

    `hashes` are the folder's files' SHA-256 (read before validation); each copy is
    checked against them, so what lands in `destination` is exactly what was
    validated. Files already identical in `destination` are left alone.
    """
    differing = [name for name in RAW_FILES if hashes[name] != checksums[name]]
    try:
        check_enough_customers(build_model_data(clean(load_raw_data(folder))).table)
    except InvalidInputError as error:
        raise InvalidInputError(
            f"${DATA_DIR_ENV}={folder} is not the reference dataset ({', '.join(differing)} differ "
            "from data/SHA256SUMS), so it was validated by schema, and it is refused; nothing was copied.\n"
            f"{error}", error.problems) from None
    destination.mkdir(parents=True, exist_ok=True)
    fetched = []
    for name in RAW_FILES:
        source, target = folder / name, destination / name
        if target.exists() and sha256_of(target) == hashes[name]:
            fetched.append(FetchedFile(name, str(source), hashes[name], copied=False))
            continue
        (destination / PROVENANCE_FILE).unlink(missing_ok=True)
        _atomic_copy(source, target)
        actual = sha256_of(target)
        if actual != hashes[name]:
            target.unlink()
            raise DataFetchError(f"{name} from {source} changed while it was being fetched:\n"
                                 f"  validated {hashes[name]}\n  copied    {actual}")
        fetched.append(FetchedFile(name, str(source), actual, copied=True))
    return fetched


def provenance_record(destination: Path, fetched: list[FetchedFile], checksums: dict[str, str],
                      previous: dict | None = None, sources: list[str] = ()) -> dict:
    """JSON-ready: where the raw files came from and whether they are the reference dataset.

    `reference` is computed from the hashes, never carried over. A file left in
    place keeps the source a previous record gave it (if that record names the same
    hash), so repeating fetch-data does not forget where the data came from; without
    such a record it is attributed to the first source folder holding an identical file.
    """
    earlier = {item["file"]: item for item in (previous or {}).get("files", [])}
    files = []
    for item in fetched:
        source = item.source
        if source == str(destination / item.name):  # left in place by fetch_data
            known = earlier.get(item.name, {})
            source = (known["source"] if known.get("sha256") == item.sha256
                      else _identical_file(item.name, item.sha256, sources) or ALREADY_PRESENT)
        files.append({"file": item.name, "sha256": item.sha256,
                      "bytes": (destination / item.name).stat().st_size, "source": source,
                      "matches_reference": item.sha256 == checksums.get(item.name)})
    folders = sorted({_folder_of(item["source"]) for item in files})
    return {"reference": all(item["matches_reference"] for item in files),
            "source": "; ".join(folders),
            "checksums": "data/SHA256SUMS",
            "files": files}


def read_provenance(raw_dir: Path) -> dict | None:
    """The fetch record in a raw-data folder, or None when there is none (a folder not filled by fetch-data)."""
    path = Path(raw_dir) / PROVENANCE_FILE
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _identical_file(name: str, sha256: str, sources: list[str]) -> str | None:
    for source in sources:
        path = Path(source) / name
        if not source.startswith(("http://", "https://")) and path.is_file() and sha256_of(path) == sha256:
            return str(path)
    return None


def _source_hashes(folder: Path) -> dict[str, str]:
    missing = [name for name in RAW_FILES if not (folder / name).is_file()]
    if missing:
        raise DataFetchError("\n".join(f"{name}: not found. Looked in:\n  {folder / name} (no such file)"
                                       for name in missing))
    return {name: sha256_of(folder / name) for name in RAW_FILES}


def _folder_of(source: str) -> str:
    if source == ALREADY_PRESENT:
        return source
    if source.startswith(("http://", "https://")):
        return source.rsplit("/", 1)[0] + "/"
    return str(Path(source).parent)


def _write_provenance(destination: Path, provenance: dict) -> None:
    """Rewritten only when its content changes (make compares timestamps)."""
    path = destination / PROVENANCE_FILE
    text = json.dumps(provenance, ensure_ascii=False, indent=2) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        partial = path.with_suffix(".part")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)


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
