"""The segments chapter's data-dependent sentences: each says what the numbers show, both ways."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.report import campaign_text, segment_words as words


def plain(text: str) -> str:
    """The text with its no-break spaces as plain spaces, to compare with a literal."""
    return text.replace("\u00a0", " ")


def test_promo_gap_is_a_real_gap_only_when_the_middle_is_empty_and_both_humps_are_there():
    two_humps = pd.Series([0.1] * 60 + [0.9] * 40)
    assert words.promo_gap_text(two_humps, 0.5).startswith("Эта граница — настоящий разрыв")
    assert "лишь 0 покупателей (0,0" in plain(words.promo_gap_text(two_humps, 0.5))
    filled = pd.Series([0.1] * 50 + [0.6] * 10 + [0.9] * 40)
    text = plain(words.promo_gap_text(filled, 0.5))
    assert text.startswith("Естественного разрыва здесь нет") and "10 покупателей (10,0" in text
    one_tail = pd.Series([0.1] * 99 + [0.9])  # 1 % above the cut: a tail, not a second hump
    assert words.promo_gap_text(one_tail, 0.5).startswith("Естественного разрыва")


def test_risk_calibration_sentence_follows_the_gap_between_forecast_and_fact():
    close = pd.DataFrame({"drop_share": [0.88, 0.87], "mean_risk": [0.8, 0.82]})
    far = pd.DataFrame({"drop_share": [0.88, 0.87], "mean_risk": [0.6, 0.82]})
    assert words.risk_calibration_text(close).startswith("Риску модели можно верить")
    assert words.risk_calibration_text(far).startswith("На уровне сегментов риск модели заметно расходится")
    assert "87 %–88 %" in plain(words.risk_calibration_text(close))
    same = close.assign(mean_risk=[0.611, 0.608])
    assert "при среднем прогнозе 61 %" in plain(words.risk_calibration_text(same))
    assert "61 %–61 %" not in plain(words.risk_calibration_text(same))


def comparison(feature: str, kind: str = "number") -> pd.DataFrame:
    return pd.DataFrame({"feature": [feature], "label": ["Минуты"], "kind": [kind], "level": [""],
                         "group_value": [10.0], "rest_value": [14.5]})


def test_biggest_difference_names_the_shap_reason_when_it_is_the_same_feature():
    drivers = pd.DataFrame({"feature": ["minutes", "pages", "promo"], "label": ["Минуты", "Страницы", "Акции"],
                            "mean_shap_group": [0.05, 0.03, 0.01]})
    same = plain(words.biggest_difference_text(comparison("minutes"), drivers))
    assert "медиана 10 против 14,5" in same and "Этот же признак" in same and "5,0 процентного пункта" in same
    other = words.biggest_difference_text(comparison("tenure"), drivers)
    assert "Главной причиной риска модель при этом называет «Минуты»" in other


def test_hunters_paragraph_never_comes_out_empty():
    none = pd.Series({"customers": 0})
    assert words.hunters_text(none, 0.5, pd.DataFrame(), True) == "**Охотники за акциями** — в этих данных таких покупателей нет."
    # Shown as markdown (bold), not as text with its asterisks escaped.
    assert words.hunters_text(none, 0.5, pd.DataFrame(), True)._repr_markdown_().startswith("**Охотники за акциями**")
    hunters = pd.Series({"customers": 30, "drop_share": 0.7, "mean_risk": 0.65, "profit_at_stake": 250.0})
    drivers = pd.DataFrame({"feature": ["promo_share", "pages"], "label": ["Доля акций", "Страницы"],
                            "mean_shap_group": [0.1, 0.02]})
    promo = plain(words.hunters_text(hunters, 0.5, drivers, engagement_too=False))
    assert "30 покупателей" in promo and "250 у. е. выгрузки" in promo and "Именно эта доля" in promo
    assert promo.endswith("напрямую.")
    other = words.hunters_text(hunters, 0.5, drivers.assign(mean_shap_group=[0.01, 0.2]), engagement_too=True)
    assert "Главная причина их риска — «Страницы»" in other


@pytest.mark.parametrize("nobody_pays, expected", [(True, "эксперимент на сегменте «Приоритет»"),
                                                   (False, "окупается у 12 покупателей")])
def test_recommendation_follows_who_pays(nobody_pays, expected):
    plan = {"nobody_pays_at_defaults": nobody_pays, "totals": {"paying": {"customers": 12}}}
    assert expected in plain(words.recommendation_text(plan, "Приоритет"))


def test_lists_and_segment_items_are_never_empty():
    assert words.quoted_list([]) == "—" and words.quoted_list(["a", "b"]) == "«a», «b»"
    summary = pd.DataFrame({"label": ["A", "B"], "customers": [1, 5], "share": [0.1, 0.5], "mean_risk": [0.7, 0.2],
                            "profit_at_stake": [10.0, 2.0]})
    listed = plain(words.segment_list(summary)).splitlines()
    assert listed[0].startswith("- **A** — 1 покупатель") and "под риском 2 у. е. выгрузки" in listed[1]


def test_gains_are_read_at_about_a_third_of_the_customers():
    curve = pd.DataFrame({"share_targeted": [0.1, 0.25, 0.35, 0.5], "customers": [10, 25, 35, 50],
                          "gains": [0.2, 0.5, 0.6, 0.8], "precision": [0.9, 0.8, 0.7, 0.6], "drop_share": [0.4] * 4})
    assert campaign_text.gains_point(curve)["share_targeted"] == 0.25
    assert "25 % покупателей с самым высоким риском (25 человек) — это 50 %" in plain(campaign_text.gains_text(curve))


def test_experiment_paragraphs_leave_out_what_does_not_apply():
    no_plan = {"experiment": {"plan": None, "break_even_effect": None}, "read_after_months": 3}
    text = campaign_text.experiment_paragraphs(no_plan)
    assert text == "Эксперимент не рассчитан: при этих ценах предложение не окупается ни при каком эффекте."
