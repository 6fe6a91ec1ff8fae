"""The «Данные» chapter's sentences follow the data on either side of each claim."""

from __future__ import annotations

import pandas as pd

from analysis.report import data_text
from analysis.report.formatting import NBSP


def test_answer_names_the_fixes_and_decisions_made():
    none = {"revenue_outlier": 0}
    assert data_text.answer_text(0, none, 0) == "Да: исправлять ничего не пришлось."
    assert data_text.answer_text(3, {"revenue_outlier": 1}, 11) == (
        "Да — после исправления опечаток в метках и двух решений: об одном выбросе выручки и о покупателях-копиях.")
    assert data_text.answer_text(0, {"revenue_outlier": 2}, 0) == "Да — после решения о выбросах выручки."


def test_leak_strength_follows_the_id_roc_auc():
    assert data_text.leak_strength({"roc_auc_id": 0.98}) == "strong"
    assert data_text.leak_strength({"roc_auc_id": 0.51}) == "weak"
    assert data_text.leak_strength({"roc_auc_id": 0.7}) == "partial"
    sorted_leak = {"roc_auc_id": 0.98, "smaller_ids_dropped": True, "ids_sorted_in_file": True}
    assert data_text.order_text(sorted_leak) == "идут по возрастанию id, и почти все «Снизилась» собраны в начале файла"
    assert "утечка ответа" in data_text.order_consequence(sorted_leak)
    mixed = sorted_leak | {"roc_auc_id": 0.5, "ids_sorted_in_file": False}
    assert data_text.order_text(mixed) == "идут не по порядку id; классы по id перемешаны"
    assert data_text.order_heading(mixed) == "Порядок строк и ответ"


def test_exclusion_sentences_agree_in_number_and_are_never_empty():
    assert data_text.inactive_text(0).startswith("Покупателей с нулевой выручкой")
    assert data_text.inactive_text(1) == f"У 1{NBSP}покупателя выручка за какой-то месяц нулевая — он исключён."
    assert data_text.inactive_text(3).endswith("они исключены.")
    assert data_text.incomplete_text(0).startswith("Неполных записей")
    assert data_text.incomplete_text(2).endswith("они тоже исключены.")
    assert data_text.excluded_text(0) == "исключать никого не пришлось"


def test_copies_sentence_counts_groups_and_says_which_stay():
    assert "в этих данных нет" in data_text.copies_text(0, 0)
    assert data_text.copies_text(11, 22).startswith(f"11{NBSP}групп покупателей (22 id) совпадают")
    assert data_text.copies_text(11, 22).endswith("оставлены оба.")
    assert "совпадает" in data_text.copies_text(1, 3) and data_text.copies_text(1, 3).endswith("оставлены все.")


def test_fixes_are_listed_and_marked_when_they_cover_the_whole_label():
    fixes = pd.DataFrame({"before": ["стандартт"], "after": ["стандарт"], "rows": [10], "file": ["market_file.csv"],
                          "column": ["Тип сервиса"]})
    labels = pd.DataFrame({"file": ["market_file.csv"], "column": ["Тип сервиса"], "clean_label": ["стандарт"],
                           "rows": [924]})
    assert data_text.fixes_text(fixes, labels) == (
        f"Нашлось 1{NBSP}опечатка, её исправили: «стандартт» → «стандарт» (10{NBSP}строк).")
    assert "все строки" in data_text.fixes_text(fixes, labels.assign(rows=10))
    assert data_text.fixes_text(fixes.iloc[:0], labels) == "Опечаток не нашлось."


def test_class_differences_are_worded_by_the_medians():
    separation = pd.DataFrame({"label": ["A", "B"], "roc_auc": [0.9, 0.50]})
    assert data_text.weak_features_text(separation) == "Почти не различают классы (ROC-AUC одного признака ниже 0,52): «B» (0,50)."
    assert data_text.weak_features_text(separation.iloc[:1]).endswith("нет.")
    index = pd.MultiIndex.from_product([["minutes", "revenue"], ["текущий_месяц"], ["Снизилась", "Прежний уровень"]],
                                       names=["measure", "period", "activity"])
    periods = pd.Series([10, 16, 5000, 5100], index=index)
    assert data_text.minutes_text(periods).startswith("«Снизилась» проводят на сайте меньше времени — медиана 10 против 16")
    assert data_text.revenue_closeness_text(periods).startswith("близка")
    assert data_text.revenue_closeness_text(periods.where(periods != 5100, 7000)) == "различается"
