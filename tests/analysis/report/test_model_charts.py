"""Chart helpers in analysis/report/model_charts.py that do not need results/."""

from __future__ import annotations

import json

import pandas as pd

from analysis.report import model_charts


def _wrapped(expression: str) -> dict[str, list[str]]:
    assert expression.endswith("[datum.label] || datum.label"), expression
    return json.loads(expression.removesuffix("[datum.label] || datum.label"))


def test_long_labels_break_at_the_space_nearest_their_middle_and_short_ones_stay():
    labels = ["Ансамбль без бесполезных признаков", "Extra Trees (случайные деревья)", "Дерево решений",
              "Сверхдлинноеоднословноеназвание", "O'Brien's «метод» опорных векторов"]
    wrapped = _wrapped(model_charts.two_line_labels(labels))
    assert wrapped == {"Ансамбль без бесполезных признаков": ["Ансамбль без", "бесполезных признаков"],
                       "Extra Trees (случайные деревья)": ["Extra Trees", "(случайные деревья)"],
                       "O'Brien's «метод» опорных векторов": ["O'Brien's «метод»", "опорных векторов"]}
    assert all(" ".join(lines) == label for label, lines in wrapped.items())
    assert model_charts.two_line_labels(["Дерево решений", "k ближайших"]) == "datum.label"


def test_the_cv_fold_chart_draws_long_model_names_on_two_lines():
    families = pd.DataFrame({"family": ["ensemble_selected", "tree"], "chosen": [True, False],
                             "label": ["Ансамбль без бесполезных признаков", "Дерево решений"],
                             "cv_mean": [0.91, 0.87], "cv_std": [0.02, 0.03], "cv_min": [0.88, 0.83],
                             "params": ["", ""]})
    folds = pd.DataFrame({"family": ["ensemble_selected", "tree"], "repeat": [1, 1], "fold": [1, 1],
                          "roc_auc": [0.9, 0.86]})
    spec = model_charts.cv_fold_scores(folds, families, 0.9).to_dict()
    axes = [layer["encoding"]["y"]["axis"] for layer in spec["layer"] if "axis" in layer["encoding"].get("y", {})]
    assert axes and all(_wrapped(axis["labelExpr"]) == {
        "Ансамбль без бесполезных признаков": ["Ансамбль без", "бесполезных признаков"]} for axis in axes)
