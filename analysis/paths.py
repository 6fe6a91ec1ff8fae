"""Where the project keeps things; every path is relative to the project root."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
RAW_DATA_DIR = DATA_DIR / "raw"
CHECKSUMS_FILE = DATA_DIR / "SHA256SUMS"
RESULTS_DIR = PROJECT_ROOT / "results"
DEFAULT_SHARED_DATA_DIR = PROJECT_ROOT.parent / "shared" / "data"
