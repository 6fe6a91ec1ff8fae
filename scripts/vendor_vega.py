"""Quarto pre-render step: save the Vega JavaScript bundle under assets/vendor/."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.publish import write_vega_bundle  # noqa: E402

write_vega_bundle()
