"""Quarto pre-render step: copy results/ into downloads/, which _quarto.yml ships as a resource;
only aggregate results unless the active profile (QUARTO_PROFILE) is internal."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.report.publish import active_profiles, copy_downloads  # noqa: E402

copy_downloads(profiles=active_profiles(os.environ.get("QUARTO_PROFILE")))
