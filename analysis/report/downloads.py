"""What each published download holds: one description table for the «Данные для скачивания» page.

`analysis.report.publish.copy_downloads` ships every CSV and JSON of results/ under downloads/;
`DESCRIPTIONS` says, per file, what it holds and the unit of each column that has one (for the
tables that also have an Excel copy, the units come from `workbooks.TABLE_COLUMNS`, where
their columns are described once).
The column lists themselves are read from the published files, so they cannot drift from
the data; `undescribed_and_missing` lets a test demand that every published file is
described and every description has a file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import units, workbooks


@dataclass(frozen=True)
class Download:
    holds: str                                  # what the file holds, one sentence, plain Russian
    units: dict[str, str] = field(default_factory=dict)  # column (or JSON key) -> unit


M, MIN, P, S, N = units.MONEY, units.MINUTES, units.PROBABILITY, units.SHARE, units.CUSTOMERS
ROC = "ROC-AUC, от 0 до 1"

SECTIONS: dict[str, dict[str, Download]] = {"Таблицы для Excel (русские заголовки, единицы в них)": {
    "customers.xlsx": Download("Каждый покупатель для Excel: те же строки, что в customers.csv, с русскими "
                               "заголовками и единицами в них."),
    "campaign.xlsx": Download("Экономика кампании по каждому покупателю для Excel: те же строки, что в "
                              "campaign.csv, с русскими заголовками и единицами в них."),
    "action_list.xlsx": Download("Список для маркетинга для Excel: те же строки, что в action_list.csv, с "
                                 "русскими заголовками и единицами в них."),
    "segment_summary.xlsx": Download("Сегменты для Excel: те же строки, что в segment_summary.csv, с русскими "
                                     "заголовками и единицами в них."),
}, "Данные": {
    "raw_files.csv": Download("Четыре исходных файла: число строк и столбцов, размер и SHA-256.",
                              {"rows": "строк", "columns": "столбцов", "bytes": units.BYTES}),
    "audit.csv": Download("Журнал очистки: каждая правка данных и число затронутых строк.", {"rows": "строк"}),
    "labels.csv": Download("Все метки категориальных столбцов до и после очистки.", {"rows": "строк"}),
    "columns.csv": Download("Столбцы таблицы для модели: имя в коде, русская подпись, роль и исходный файл."),
    "exclusions.csv": Download("Покупатели, не вошедшие в модель, с причиной."),
    "revenue_histogram.csv": Download("Гистограмма выручки за месяц по всем месяцам покупок.",
                                      {"bin_start": M, "bin_end": M, "months": "месяцев покупок",
                                       "zero_months": "месяцев с нулевой выручкой"}),
    "revenue_outliers.csv": Download("Месяцы с неправдоподобной выручкой и выручка того же покупателя в другие месяцы.",
                                     {"revenue": M, "median_month": M, "ratio_to_median": "раз",
                                      "largest_other_month": M}),
    "feature_copies.csv": Download("Группы покупателей, одинаковых во всех признаках модели.",
                                   {"profit": units.MONEY_PER_MONTH}),
    "id_order.csv": Download("Доля «Снизилась» в последовательных частях файла market_file.csv (утечка через порядок строк).",
                             {"customers": N, "dropped": N, "share_dropped": S}),
    "id_leak.json": Download("Насколько один только id покупателя подсказывает класс.",
                             {"roc_auc_id": ROC, "cv_roc_auc_tree": ROC, "customers": N}),
    "data_summary.json": Download("Сводка по данным: сколько покупателей было, сколько в модели, сколько и почему исключено.",
                                  {"raw_customers": N, "modelled_customers": N, "excluded_total": N}),
    "activity_classes.csv": Download("Число и доля покупателей каждого класса активности.",
                                     {"customers": N, "share": S}),
    "feature_distributions.csv": Download("Распределение каждого признака по классам активности (для графика «Как выглядят покупатели»).",
                                          {"customers": N, "share": S}),
    "feature_separation.csv": Download("Насколько один признак сам по себе различает классы.", {"roc_auc": ROC}),
    "period_summary.csv": Download("Выручка и минуты на сайте по периодам и классам: квантили и среднее.",
                                   {"customers": N, "p05": "у. е. выгрузки (выручка) или мин (минуты)",
                                    "median": "у. е. выгрузки (выручка) или мин (минуты)",
                                    "mean": "у. е. выгрузки (выручка) или мин (минуты)"}),
    "model_table.csv": Download("Таблица для модели: один покупатель — одна строка, все признаки и класс.",
                                {"revenue_before_previous_month": M, "revenue_previous_month": M,
                                 "revenue_current_month": M, "minutes_previous_month": MIN,
                                 "minutes_current_month": MIN, "tenure_days": units.DAYS, "promo_share": S,
                                 "profit": units.MONEY_PER_MONTH}),
    "provenance.json": Download("Откуда взяты исходные файлы, их SHA-256 и совпадают ли они с эталоном."),
}, "Связи признаков": {
    "phik.csv": Download("Матрица φK: связь каждой пары признаков и целевого признака.", {"value": "φK, от 0 до 1"}),
    "spearman.csv": Download("Матрица корреляций Спирмена числовых признаков.", {"value": "ρ, от −1 до 1"}),
    "collinear_pairs.csv": Download("Пары числовых признаков с сильной корреляцией.",
                                    {"spearman": "ρ, от −1 до 1", "pearson": "r, от −1 до 1"}),
    "vif.csv": Download("VIF числовых признаков без новых признаков модели и с ними.",
                        {"vif_table": "VIF, от 1", "vif_model": "VIF, от 1"}),
    "feature_drop.csv": Download("ROC-AUC моделей со всеми признаками и без одного из коллинеарной пары.",
                                 {"cv_mean": ROC, "cv_std": ROC, "delta": ROC}),
}, "Модель": {
    "metrics.json": Download("Качество выбранной модели: ROC-AUC с доверительным интервалом, порог, оценка Брайера."),
    "model_families.csv": Download("Все семейства моделей поиска и их ROC-AUC в перекрёстной проверке.",
                                   {"search_mean": ROC, "search_std": ROC, "cv_mean": ROC, "cv_std": ROC, "cv_min": ROC}),
    "model_cv_folds.csv": Download("ROC-AUC каждой модели в каждом фолде повторной перекрёстной проверки.", {"roc_auc": ROC}),
    "model_curves.csv": Download("Точки ROC-кривой и кривой точность–полнота.",
                                 {"x": "доля от 0 до 1", "y": "доля от 0 до 1", "threshold": P}),
    "model_calibration.csv": Download("Калибровка: прогнозная вероятность против наблюдаемой доли «Снизилась».",
                                      {"predicted": P, "observed": S, "customers": N}),
    "feature_engineering.csv": Download("Проверенные новые признаки и изменение ROC-AUC от каждого.",
                                        {"cv_mean": ROC, "cv_std": ROC, "delta": ROC}),
    "select_k_best.csv": Download("ROC-AUC моделей на k лучших признаках.", {"cv_mean": ROC, "cv_std": ROC}),
    "permutation_importance.csv": Download("Важность признаков перемешиванием: насколько падает ROC-AUC.",
                                           {"importance": ROC, "std": ROC}),
    "threshold_costs.csv": Download("Цена ошибок при каждом пороге: пропущенные покупатели и лишние предложения.",
                                    {"threshold": P, "offers": N, "caught": N, "missed": N, "false_alarms": N,
                                     "recall": S, "precision": S, "cost_missed": M, "cost_offers": M, "total_cost": M}),
    "threshold_sensitivity.csv": Download("Лучший порог при разной цене предложения.",
                                          {"offer_cost_share": S, "threshold": P, "recall": S, "precision": S,
                                           "offers": N, "total_cost": M}),
    "model_cache.json": Download("Служебный: ключ кэша поиска модели и время поиска.", {"seconds": "с"}),
}, "Причины (SHAP)": {
    "explain.json": Download("Как посчитаны SHAP-вклады: объяснитель, фон, точность разложения."),
    "explain_cache.json": Download("Служебный: ключ кэша SHAP и время расчёта.", {"seconds": "с"}),
    "shap_values.csv": Download("SHAP-вклад каждого признака в прогноз каждого покупателя.",
                                {"base_value": "шкала выхода модели (см. explain.json)"}),
    "shap_importance.csv": Download("Средний вклад каждого признака и направление его влияния.",
                                    {"mean_abs_shap": "шкала выхода модели", "share": S}),
    "shap_waterfalls.csv": Download("Шаги «водопадов» — разложения прогноза отдельных покупателей.",
                                    {"shap": "шкала выхода модели", "start": "шкала выхода модели",
                                     "end": "шкала выхода модели"}),
    "shap_claims.csv": Download("Проверка утверждений о драйверах по SHAP-вкладам.", {"mean_abs_shap": "шкала выхода модели"}),
    "driver_curves.csv": Download("Как SHAP-вклад признака меняется с его значением.", {"shap": "шкала выхода модели"}),
}, "Сегменты и предложения": {
    "customers.csv": Download("Каждый покупатель: риск, сегмент, главные причины и предложение.",
                              workbooks.column_units("customers.csv")),
    "action_list.csv": Download("Список для кампании: кому, что предложить и почему, группа offer / control "
                                "(случайная, внутри сегмента), цена предложения и ожидаемая ценность.",
                                workbooks.column_units("action_list.csv")),
    "segments.json": Download("Границы сегментов (порог риска, граница прибыли) и горизонт.",
                              {"horizon_months": "месяцев"}),
    "campaign.csv": Download("Экономика кампании по каждому покупателю: цена предложения, допущенный эффект, "
                             "сохранённая прибыль, ожидаемая ценность, попал ли в список и в какую группу "
                             "(offer / control).",
                             workbooks.column_units("campaign.csv")),
    "campaign.json": Download("Экономическая модель кампании: формула, допущения с их источниками, итоги при "
                              "допущениях по умолчанию, эффект безубыточности по сегментам, план эксперимента.",
                              {"horizon_months": "месяцев"}),
    "campaign_gains.csv": Download("Кривая охвата и точность в верхних k % по риску, с бутстреп-интервалами.",
                                   {"share_targeted": S, "customers": N, "gains": S, "gains_low": S,
                                    "gains_high": S, "precision": S, "precision_low": S, "precision_high": S,
                                    "drop_share": S}),
    "segment_summary.csv": Download("Сегменты: размер, средний риск, прибыль под риском.",
                                    workbooks.column_units("segment_summary.csv")),
    "segment_comparison.csv": Download("Сравнение признаков сегмента с остальными покупателями: размер эффекта и p-значения.",
                                       {"p_value": "вероятность от 0 до 1", "p_adjusted": "вероятность от 0 до 1"}),
    "segment_drivers.csv": Download("Средние SHAP-вклады признаков в сегменте и вне его.",
                                    {"mean_shap_group": "шкала выхода модели", "mean_shap_rest": "шкала выхода модели"}),
    "segment_offers.csv": Download("Предложение для каждого сегмента, его обоснование (причина по SHAP) и описательное сравнение с остальными (размер эффекта с бутстреп-интервалом).",
                                   {"group_value": "в единицах признака", "rest_value": "в единицах признака", "customers_with_offer": N}),
    "segment_what_if.csv": Download("Что если: сохранённая прибыль при разном эффекте предложения.",
                                    {"uplift": S, "profit_saved": M, "offer_cost": M, "net": M,
                                     "break_even_uplift": S, "customers": N}),
    "segment_experiment.csv": Download("План эксперимента: размер групп, чтобы измерить эффект предложения.",
                                       {"baseline_drop_share": S, "treated_drop_share": S, "holdout_share": S,
                                        "offer_group_needed": N, "holdout_needed": N, "total_needed": N,
                                        "segment_size": N, "minimum_detectable_uplift": S}),
    "scoring.json": Download("Как скорер новых покупателей выбирает главные причины и насколько приближение согласуется с точным расчётом."),
}}
PUBLISHED_SUFFIXES = {".csv", ".json", ".xlsx"}
DESCRIPTIONS: dict[str, Download] = {name: entry for files in SECTIONS.values() for name, entry in files.items()}
SECTION_OF = {name: section for section, files in SECTIONS.items() for name in files}


def file_columns(path: Path) -> list[str]:
    """The header of a CSV, or the top-level keys of a JSON object (a list's first item's keys)."""
    if path.suffix == ".csv":
        return list(pd.read_csv(path, nrows=0).columns)
    if path.suffix == ".xlsx":
        return [str(column) for column in pd.read_excel(path, nrows=0).columns]
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, list):
        data = data[0] if data and isinstance(data[0], dict) else {}
    return list(data) if isinstance(data, dict) else []


def undescribed_and_missing(published: list[str],
                            descriptions: dict[str, Download] = DESCRIPTIONS) -> tuple[list[str], list[str]]:
    """(published files without a description, described files not published), each sorted."""
    return sorted(set(published) - set(descriptions)), sorted(set(descriptions) - set(published))


def downloads_table(downloads_dir: Path, descriptions: dict[str, Download] = DESCRIPTIONS,
                    complete: bool | None = None) -> pd.DataFrame:
    """One row per published file: file, holds, columns (with units), size in KB.

    Raises ValueError naming the files when published files and descriptions disagree,
    so the page can never list a file that is not there or leave one out. `complete`
    (default: not a public build) also requires every described file to be published;
    the public build ships no customer-level file, so there only the first check holds.
    """
    from .publish import is_public_build

    if complete is None:
        complete = not is_public_build()
    published = sorted(path.name for path in downloads_dir.glob("*") if path.suffix in PUBLISHED_SUFFIXES)
    undescribed, missing = undescribed_and_missing(published, descriptions)
    if not complete:
        missing = []
    if undescribed or missing:
        raise ValueError(f"{downloads_dir}: files without a description in analysis/report/downloads.py: "
                         f"{', '.join(undescribed) or 'none'}; described but not published: {', '.join(missing) or 'none'}")
    rows = []
    for name in published:
        entry, path = descriptions[name], downloads_dir / name
        columns = file_columns(path)
        unknown = sorted(set(entry.units) - set(columns))
        if unknown:
            raise ValueError(f"{name}: units given for columns the file does not have: {', '.join(unknown)}")
        rows.append({"file": name, "holds": entry.holds,
                     "columns": [(column, entry.units.get(column, "")) for column in columns],
                     "kilobytes": path.stat().st_size / 1024})
    return pd.DataFrame(rows)


def downloads_markdown(table: pd.DataFrame, href_prefix: str = "../downloads/") -> str:
    """The page body: one section per file with a link, what it holds, its size and its columns with units."""
    from .formatting import number

    parts, section = [], None
    for row in sorted(table.itertuples(), key=lambda row: list(DESCRIPTIONS).index(row.file)):
        if SECTION_OF.get(row.file) != section:
            section = SECTION_OF.get(row.file)
            parts.append(f"## {section}")
        columns = ", ".join(f"`{column}`" + (f" ({unit})" if unit else "") for column, unit in row.columns)
        kind = {".csv": "CSV, UTF-8, разделитель — запятая", ".xlsx": "Excel"}.get(Path(row.file).suffix, "JSON")
        parts.append(f"### [{row.file}]({href_prefix}{row.file})\n\n{row.holds} "
                     f"{kind}, {number(max(row.kilobytes, 0.1), 1)} КБ.\n\n"
                     f"{'Ключи' if row.file.endswith('.json') else 'Столбцы'}: {columns or '—'}.")
    return "\n\n".join(parts)
