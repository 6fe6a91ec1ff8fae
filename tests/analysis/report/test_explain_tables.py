"""The waterfall table shows each example customer's feature values and contributions as numbers."""

from __future__ import annotations

import pandas as pd

from analysis.report import explain_tables


def test_waterfall_table_splits_values_from_names_and_signs_contributions():
    steps = pd.DataFrame({
        "role": ["highest_risk"] * 3, "role_label": ["самый высокий риск"] * 3, "id": [215668] * 3,
        "step_label": ["Доля покупок по акции = 0,94", "Популярная категория = Косметика и аксессуары",
                       "Остальные признаки (7)"],
        "shap": [0.1068, 0.022, -0.006], "model_output": [0.879] * 3})
    html = explain_tables.waterfall_table(steps, {"output_space": "probability", "base_value": 0.3817}).as_raw_html()
    assert "самый высокий риск: id 215668, риск 88" in html
    assert "0,94" in html and "Косметика и аксессуары" in html and "Остальные признаки (7)" in html
    assert "+10,7" in html and "+2,2" in html and ("−0,6" in html or "-0,6" in html)
    assert "Вклад в риск, п.\u00a0п." in html and "Базовое значение — 38" in html


def test_the_borderline_customer_is_placed_on_a_side_of_the_threshold():
    steps = pd.DataFrame({"role": ["borderline"], "role_label": ["у порога"], "id": [216320],
                          "step_label": ["Категорий за визит = 1"], "shap": [0.097], "model_output": [0.3966]})
    meta = {"output_space": "probability", "base_value": 0.38, "threshold": 0.4}
    assert "ниже порога 40" in explain_tables.waterfall_table(steps, meta).as_raw_html()
