"""Claims about the model are made only as far as the numbers go (issue 15's smaller items, as kinds)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.model import model_stage
from analysis.report import model_words
from analysis.report.formatting import NBSP
from analysis.paths import PROJECT_ROOT


def test_no_better_than_every_family_claim_on_a_difference_inside_the_noise():
    noisy = {"mean": 0.0013, "std": 0.0073, "share_of_folds_higher": 0.6, "folds": 25}
    text = model_words.versus_best_family(noisy, "«SVC», 0,916")
    assert "не отличима" in text and "Модель лучше" not in text
    clear = {"mean": 0.01, "std": 0.005, "share_of_folds_higher": 0.96, "folds": 25}
    assert model_words.versus_best_family(clear, "«SVC», 0,906").startswith("Модель лучше")


def test_borderline_wording_says_on_which_side_of_the_threshold():
    text = model_words.borderline_text(0.3566, 0.36)
    assert text == f"35,7{NBSP}% — ниже порога 36{NBSP}%"  # not «36 % при пороге 36 %»
    assert "не ниже" in model_words.borderline_text(0.3604, 0.36)
    assert "35,999" in model_words.borderline_text(0.35999, 0.36)
    assert "ровно" in model_words.borderline_text(0.36, 0.36)


def test_exactly_is_said_only_of_exact_contributions():
    assert model_words.decomposition_text({"exact": True}).startswith("точно")
    sampled = model_words.decomposition_text({"exact": False})
    assert "точно" not in sampled and "оценка" in sampled


def test_the_calibration_sentence_never_denies_what_the_model_contains():
    brier = {"calibrated": False, "train_oof_uncalibrated": 0.110, "train_oof_sigmoid": 0.112}
    vote = "VotingClassifier(CalibratedClassifierCV(SVC), ExtraTreesClassifier, KNeighborsClassifier)"
    text = model_words.calibration_text(brier, False, 0.002, vote)
    assert "не применяется" in text and "масштабирование Платта" in text
    assert "Платта" not in model_words.calibration_text(brier, False, 0.002, "ExtraTreesClassifier")
    better = {**brier, "train_oof_sigmoid": 0.100}
    assert "точных вкладов" in model_words.calibration_text(better, True, 0.002, "ExtraTreesClassifier")
    assert "применяется" in model_words.calibration_text({**better, "calibrated": True}, False, 0.002)


def test_the_label_note_names_the_current_status_and_what_a_forecast_needs():
    table = pd.DataFrame({"activity": ["Снизилась"] * 3 + ["Прежний уровень"] * 7})
    note = model_words.label_note(table)
    assert "текущий статус" in note and "у 3 " in note and "не прогноз" in note and "score" in note
    # A page where this is the features' first use passes their glossary link.
    assert "что и [признаки](glossary.qmd#feature){.glossary-term}:" in model_words.label_note(
        table, "[признаки](glossary.qmd#feature){.glossary-term}")


def test_next_three_months_appears_only_where_it_is_denied_or_a_forecast_is_explained():
    pages = [PROJECT_ROOT / "index.qmd", *sorted((PROJECT_ROOT / "chapters").glob("*.qmd"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(r"ближайш\w+ (три|3|`[^`]*`) месяц", text):
            sentence = text[max(0, match.start() - 300): match.end() + 300]
            assert "не прогноз" in sentence or "score" in sentence, f"{page.name}: «{match.group(0)}» claims a forecast"


def test_the_choice_is_explained_by_the_rule_that_made_it():
    labels = {"ensemble": "Ансамбль", "extra_trees": "Extra Trees", "svc": "SVC"}
    paired = {"mean": 0.0028, "std": 0.009, "share_of_folds_higher": 0.76, "folds": 25, "standard_error": 0.0018}
    selection = {"best_by_mean": "ensemble", "best_exact": "extra_trees", "paired_best_minus_exact": paired,
                 "max_standard_errors": 2.0, "max_roc_auc_loss": 0.005, "decided_by": "within_noise"}
    text = model_words.selection_text(selection, "extra_trees", labels)
    assert "Наибольшее среднее у «Ансамбль»" in text and "точные" in text and "в пределах шума" in text
    beyond_noise = {**selection, "paired_best_minus_exact": {**paired, "mean": 0.0046}, "decided_by": "within_loss"}
    text = model_words.selection_text(beyond_noise, "extra_trees", labels)
    assert "больше 2 стандартных ошибок" in text and "не больше 0,005" in text and "шума" not in text
    beats = {**selection, "paired_best_minus_exact": {**paired, "mean": 0.02}, "decided_by": "beats_exact"}
    assert model_words.selection_text(beats, "ensemble", labels).startswith("Выбрана модель с наибольшим")
    same = {**selection, "best_by_mean": "extra_trees", "paired_best_minus_exact": None, "decided_by": "best_is_exact"}
    assert model_words.selection_text(same, "extra_trees", labels).endswith("точные (TreeSHAP).")
    with pytest.raises(ValueError, match="decided_by 'guess'"):
        model_words.selection_text({**selection, "decided_by": "guess"}, "extra_trees", labels)


def test_every_part_of_the_rule_has_words():
    """Every `decided_by` value choose_model can return reads as a sentence."""
    parts = model_stage.SELECTION_DECISIONS
    assert len(parts) == 5
    labels = {"a": "A", "b": "B"}
    paired = {"mean": 0.001, "standard_error": 0.001}
    for part in parts:
        selection = {"best_by_mean": "a", "best_exact": "b", "paired_best_minus_exact": paired,
                     "max_standard_errors": 2.0, "max_roc_auc_loss": 0.005, "decided_by": part}
        assert model_words.selection_text(selection, "b", labels).startswith(("Выбрана", "Наибольшее"))


def _nested(mean, std=0.01):
    return {"nested_mean": mean, "nested_std": std, "outer_splits": 5, "outer_repeats": 1}


def test_nested_cv_calls_the_reported_mean_optimistic_only_when_the_nested_figure_is_lower():
    lower = model_words.nested_cv_text(_nested(0.890), 0.913)
    close = model_words.nested_cv_text(_nested(0.916), 0.913)
    assert "оптимистично" in lower and "0,890" in lower
    assert "оптимистич" not in close and "не" in close and "0,916" in close
    assert "не запускалась" in model_words.nested_cv_text(None, 0.913)


def test_the_chosen_model_is_named_with_its_members_only_when_it_has_several():
    labels = {"svc": "SVC", "knn": "kNN"}
    assert model_words.chosen_model_name({"label": "SVC", "members": ["svc"]}, labels) == "«SVC»"
    assert model_words.chosen_model_name({"label": "Ансамбль", "members": ["svc", "knn"]}, labels) == \
        "«Ансамбль» (SVC + kNN)"


def test_the_explainer_method_names_the_fallback_and_sampling_only_when_they_apply():
    exact = {"estimator": "ExtraTreesClassifier", "explainer_text": "shap.TreeExplainer", "fallback_reason": "",
             "permutations": 0}
    text = model_words.explainer_method_text(exact)
    assert text.startswith("Модель — ExtraTreesClassifier.") and "не подходят" not in text and "Фон" not in text
    sampled = {**exact, "fallback_reason": "ансамбль", "permutations": 2, "background_size": 50,
               "mean_standard_error": 0.006, "mean_abs_shap": 0.03, "output_space": "probability"}
    text = model_words.explainer_method_text(sampled)
    assert "не подходят: ансамбль." in text and f"2{NBSP}случайных порядка" in text and f"50{NBSP}покупателей" in text


# --- The model chapter's data-dependent sentences (moved out of chapters/03-model.qmd). ---

def test_ranking_in_words_is_the_roc_auc_as_pairs_out_of_a_hundred():
    assert "в 92 случаях из 100" in model_words.ranking_in_words(0.9198)
    assert "в 50 случаях из 100" in model_words.ranking_in_words(0.5)


def _test(roc_auc=0.92, without=0.921):
    return {"roc_auc": roc_auc, "roc_auc_without_straddling": without, "ci_low_without_straddling": 0.88,
            "ci_high_without_straddling": 0.96, "ci_low": 0.88, "ci_high": 0.955, "average_precision": 0.93}


def test_straddling_copies_sentence_names_pairs_and_says_whether_the_copy_mattered():
    none = model_words.straddling_copies_text({"straddling_copy_groups": []}, _test(), 22, 11)
    assert none == ", но в этих данных ни одна группа копий не оказалась по разные стороны."
    one = model_words.straddling_copies_text({"straddling_copy_groups": [215688]}, _test(), 22, 11)
    assert f"1{NBSP}пара копий оказалась" in one and "этой пары" in one and "ничего не подсказала" in one
    two = model_words.straddling_copies_text({"straddling_copy_groups": [1, 2]}, _test(without=0.95), 9, 3)
    assert f"2{NBSP}группы копий оказались" in two and "этих групп" in two and "заметно меняют" in two


def test_fold_noise_is_compared_with_the_gap_between_the_five_best():
    families = pd.DataFrame({"cv_mean": [0.915, 0.914, 0.913, 0.912, 0.911, 0.8], "cv_std": [0.02] * 6})
    assert "больше, чем разница" in model_words.fold_noise_text(families)
    spread = families.assign(cv_mean=[0.95, 0.93, 0.91, 0.89, 0.87, 0.8], cv_std=0.01)
    assert "меньше, чем разница" in model_words.fold_noise_text(spread)


def test_out_of_fold_roc_auc_inside_or_outside_the_test_interval():
    assert "идут рядом" in model_words.out_of_fold_vs_test_text(_test(), 0.91)
    outside = model_words.out_of_fold_vs_test_text(_test(), 0.80)
    assert "расходятся" in outside and "вне доверительного" in outside


def test_probabilities_are_called_close_only_within_the_allowed_gap():
    brier = {"test": 0.11, "train_oof": 0.12}
    assert "близки" in model_words.calibration_reading_text(0.03, 0.05, brier)
    assert "заметно расходятся" in model_words.calibration_reading_text(0.08, 0.05, brier)
    assert "лишь приблизительно" in model_words.probability_reading_text(0.08, 0.05, 0.4)
    assert model_words.probability_reading_text(0.03, 0.05, 0.4).startswith("Вероятность можно читать буквально")


def _engineering(used_deltas, idea_deltas=(0.001, -0.002), std=0.02):
    rows = [{"family": family, "variant": "used", "delta": delta, "used": True, "label": "", "cv_std": std}
            for family, delta in used_deltas.items()]
    rows += [{"family": "svc", "variant": f"idea{i}", "delta": delta, "used": True, "label": f"Идея {i}",
              "cv_std": std} for i, delta in enumerate(idea_deltas)]
    rows.append({"family": "svc", "variant": "none", "delta": 0.0, "used": False, "label": "", "cv_std": std})
    return pd.DataFrame(rows)


def test_engineered_features_claim_gains_only_as_far_as_they_go():
    labels = {"svc": "SVC", "knn": "KNN"}
    gaining = model_words.engineered_features_text(_engineering({"svc": 0.004, "knn": 0.002}), labels, True)
    assert "они прибавляют каждой модели" in gaining and "меньше разброса" in gaining
    assert "пару «Идея 0» и «Идея 1»" in gaining and "на тех же обучающих данных" in gaining
    mixed = model_words.engineered_features_text(_engineering({"svc": 0.004, "knn": -0.002}), labels, False)
    assert "даже снижает" in mixed and "на эталонных данных" in mixed and "KNN −0,0020" in mixed


def test_unused_features_sentence_follows_the_chosen_model():
    assert "использует все признаки" in model_words.unused_features_text([], [], 0.001)
    assert "не использует: «A», «B»" in model_words.unused_features_text(["A", "B"], ["a", "b"], 0.001)
    assert "лишь кандидат" in model_words.unused_features_text(["A"], [], 0.001)


def test_select_k_best_says_whether_selection_wins():
    all_best = pd.DataFrame({"k": [5, 10], "cv_mean": [0.90, 0.91], "cv_std": [0.02, 0.02], "columns": [10, 10]})
    assert "ничего не даёт" in model_words.select_k_best_text(all_best)
    some = all_best.assign(cv_mean=[0.95, 0.91])
    assert "больше шума" in model_words.select_k_best_text(some)
    assert "в пределах шума" in model_words.select_k_best_text(all_best.assign(cv_mean=[0.915, 0.91]))
