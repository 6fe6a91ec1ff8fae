"""Quarto post-render step: offer results/ as downloads under <output-dir>/downloads/."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.publish import copy_downloads  # noqa: E402

copy_downloads(Path(os.environ.get("QUARTO_PROJECT_OUTPUT_DIR", "_site")))
