"""A chart's own layout for a phone, for a chart that cannot be re-fitted by rules alone.

assets/charts-header.html lays every chart out for a box under 600 px wide by rules (titles
wrap, side-by-side panels stack, fixed widths narrow). A table of figures drawn as a chart
(the campaign planner) cannot shrink its columns that way; it carries a second spec, designed
for a phone, in `usermeta.oneclick.phone`, which the page header draws instead in a narrow box.

The phone spec shares the chart's datasets (it is built from the same DataFrames, and Altair
names a dataset by a hash of its rows), so the page holds the data once.
"""

from __future__ import annotations

import altair as alt


def phone_layout(phone: alt.TopLevelMixin) -> dict:
    """`usermeta` for the wide chart: `{"oneclick": {"phone": <phone's spec without datasets>}}`.

    The wide chart must use every dataset of `phone` (the same DataFrames), since the page
    header fills the phone spec's data from the wide spec's datasets; `phone_datasets_missing`
    checks that.
    """
    spec = phone.to_dict(validate=True)
    spec.pop("$schema", None)
    spec.pop("datasets", None)
    return {"oneclick": {"phone": spec}}


def phone_datasets_missing(spec: dict) -> set[str]:
    """Names of datasets the phone layout of `spec` (a wide chart's full spec) reads but
    `spec` does not carry; empty when the page can draw the phone layout."""
    phone = spec.get("usermeta", {}).get("oneclick", {}).get("phone")
    if phone is None:
        return set()
    used = set()

    def visit(node):
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and "name" in data:
                used.add(data["name"])
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(phone)
    return used - set(spec.get("datasets", {}))
