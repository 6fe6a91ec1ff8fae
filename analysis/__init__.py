"""OneClick Insight: everything the website shows is computed here.

Modules are pure functions over DataFrames; only `pipeline.py` (results/) and `cli.py` write files.

Imported in a Jupyter kernel (a chapter being rendered), it installs the project's display
representations there (`analysis.report.display`): clean inline text, no `text/html` outputs.
"""

import sys as _sys

if "IPython" in _sys.modules:  # only a kernel or an IPython shell has it loaded already
    from .report.display import register_formatters as _register_formatters

    _register_formatters()
