"""OneClick Insight: everything the website shows is computed here.

Modules are pure functions over DataFrames; only `cli.py` writes files.
"""
