"""Quarto pre-render step: save the Vega and DataTables JavaScript bundles under assets/vendor/."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.report.publish import write_datatables_bundle, write_vega_bundle  # noqa: E402

write_vega_bundle()
write_datatables_bundle()
