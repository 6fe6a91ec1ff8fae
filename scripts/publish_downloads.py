"""Quarto pre-render step: copy results/ into downloads/, which _quarto.yml ships as a resource."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.publish import copy_downloads  # noqa: E402

copy_downloads()
