"""The «Почему» chapter's sentences say what the explanations show, on either side of each claim."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.report import drivers_text
from analysis.report.formatting import NBSP


def importance(correlations=(0.9, -0.85, 0.95, -0.82), directions=(-1, 1, -1, -1)):
    rows = [{"feature": f"f{i}", "label": f"Признак {i}", "kind": "число", "direction": d, "correlation": c,
             "direction_text": "меньше → выше риск" if d < 0 else "больше → выше риск",
             "dropped_when_raised": 0.7, "dropped_when_lowered": 0.2}
            for i, (c, d) in enumerate(zip(correlations, directions))]
    rows.append({"feature": "cat", "label": "Категория", "kind": "категория", "direction": 0, "correlation": float("nan"),
                 "direction_text": "категория", "dropped_when_raised": float("nan"), "dropped_when_lowered": float("nan")})
    return pd.DataFrame(rows)


def test_top_drivers_are_named_with_their_direction():
    assert drivers_text.top_drivers_text(importance()) == (
        "«Признак 0» (меньше → выше риск), «Признак 1» (больше → выше риск) и «Признак 2» (меньше → выше риск)")


def test_monotone_only_when_every_numeric_top_feature_follows_its_value():
    assert drivers_text.monotone(importance())
    weak = importance(correlations=(0.9, -0.5, 0.95, -0.82))
    assert not drivers_text.monotone(weak)
    assert drivers_text.beeswarm_text(importance()).startswith("У главных признаков цвета разделены чисто")
    assert "чаще стоят справа" in drivers_text.beeswarm_text(weak)
    assert drivers_text.dependence_text(importance()).startswith("Вклад меняется со значением признака монотонно")
    assert "не у всех" in drivers_text.dependence_text(weak) and "от 0,50 до 0,95" in drivers_text.dependence_text(weak)


def test_sentences_stay_true_without_numeric_top_features():
    categories = importance().assign(kind="категория", direction=0)
    assert not drivers_text.monotone(categories)
    assert "нет числовых" in drivers_text.beeswarm_text(categories)
    assert "нет числовых" in drivers_text.dependence_text(categories)


def test_the_first_driver_check_says_whether_it_separates_who_dropped():
    first = importance().iloc[0]
    assert drivers_text.first_driver_check_text(first).startswith("И модель опирается")
    reversed_ = first.copy()
    reversed_["dropped_when_raised"], reversed_["dropped_when_lowered"] = 0.2, 0.7
    assert drivers_text.first_driver_check_text(reversed_).startswith("Но то, на что опирается модель")


def test_unused_features_sentence_never_empty():
    assert drivers_text.unused_features_text([]) == "Все признаки модели вносят вклад."
    assert "«A», «B»" in drivers_text.unused_features_text(["A", "B"])


@pytest.mark.parametrize("role, shap, verb", [("highest_risk", 0.12, "поднимает"), ("safest", -0.08, "снижает")])
def test_representative_bullet_names_the_feature_that_moved_the_risk(role, shap, verb):
    meta = {"output_space": "probability", "threshold": 0.4}
    example = {"role": role, "role_label": "Самый высокий риск", "id": 215400, "model_output": 0.97}
    text = drivers_text.representative_text(example, pd.Series({"shap": shap, "step_label": "Страниц за визит"}), meta)
    assert text.startswith(f"**Самый высокий риск** (id 215400, риск 97{NBSP}%)")
    assert f"сильнее всего риск {verb} «Страниц за визит»" in text


def test_borderline_bullet_says_the_side_of_the_threshold():
    meta = {"output_space": "probability", "threshold": 0.4}
    example = {"role": "borderline", "role_label": "У порога", "id": 1, "model_output": 0.3966}
    text = drivers_text.representative_text(example, pd.Series({"shap": 0.01, "step_label": "X"}), meta)
    assert "ниже порога 40" in text


def test_published_agreement_counts_directions():
    claims = pd.DataFrame({"direction_holds": [True, True, None]})
    assert "совпадает в 2 из 2" in drivers_text.published_agreement_text(claims)
    assert "расходимся и в направлении" in drivers_text.published_agreement_text(
        pd.DataFrame({"direction_holds": [True, False]}))
