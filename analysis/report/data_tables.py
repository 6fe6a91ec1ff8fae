"""great-tables tables of the «Данные» chapter (01-data.qmd; the raw files' table also on «Методы»),
and the paragraph on the implausible revenue month, whose whole shape depends on the results it sits
beside (`revenue_outlier_text`): a markdown string, so the chapter stays thin.
"""

from __future__ import annotations

import pandas as pd
from great_tables import GT, loc, md, style

from . import units
from .formatting import counted, number, plural
from ..data.labels import PERIOD_LABELS


RAW_SOURCE_NOTE = "Источник: выгрузка магазина «В один клик», data/README.md"


def raw_files_table(raw_files: pd.DataFrame) -> GT:
    """Provenance of the four raw files: anyone can recompute the SHA-256 and compare."""
    return (
        GT(raw_files, rowname_col="file")
        .tab_header(title="Четыре исходных файла",
                    subtitle="Строки без заголовка; по SHA-256 можно проверить, на каких файлах собран сайт")
        .cols_label(rows="Строк", columns="Столбцов", bytes="Байт", sha256="SHA-256")
        .fmt_integer(columns=["rows", "columns", "bytes"], sep_mark="\u00a0")
        .tab_style(style=[style.text(font="monospace", size="small"),
                          style.css("word-break: break-all; min-width: 16em")],
                   locations=loc.body(columns="sha256"))
        .tab_style(style=style.css("white-space: nowrap"),
                   locations=loc.body(columns=["rows", "columns", "bytes"]))
        .tab_source_note(md(RAW_SOURCE_NOTE))
    )


AUDIT_STEPS = {"fix_label": "Исправлена метка", "drop_duplicate_row": "Удалён повтор строки",
               "exclude_customer": "Исключён покупатель", "mark_copies": "Отмечены копии"}


def columns_table(columns: pd.DataFrame) -> GT:
    """The modelling table's columns: code name, Russian label, role and source."""
    return (
        GT(columns, rowname_col="column")
        .tab_header(title="Столбцы таблицы для модели",
                    subtitle="Признаки модели — строки с ролью «признак»; id, прибыль и группа копий — не признаки")
        .cols_label(label="Подпись", role="Роль", source="Откуда (файл: столбец)")
        .tab_style(style=style.text(font="monospace", size="small"), locations=loc.stub())
        .tab_options(table_font_size="85%", table_width="100%")
        .tab_source_note(md(RAW_SOURCE_NOTE + "; имена и подписи — `analysis/data/labels.py`, роли — "
                            "`analysis/data/features.py`"))
    )


def audit_table(audit: pd.DataFrame) -> GT:
    """Every change to the data except column renames (those are in the columns table)."""
    changes = audit.loc[audit["step"] != "rename_column"].assign(step=lambda t: t["step"].map(AUDIT_STEPS))
    return (
        GT(changes[["file", "step", "column", "before", "after", "rows", "rule"]], groupname_col="file")
        .tab_header(title="Журнал исправлений",
                    subtitle="Каждое изменение данных: что было, что стало, сколько строк затронуто")
        .cols_label(step="Шаг", column="Столбец", before="Было", after="Стало", rows="Строк", rule="Правило")
        .fmt_integer(columns="rows", sep_mark=" ")
        .tab_options(table_font_size="85%", table_width="100%")
        .tab_source_note(md("Полный журнал, включая переименования столбцов: `downloads/audit.csv`"))
    )


def labels_table(labels: pd.DataFrame) -> GT:
    """Every distinct label of every categorical column, with its count and clean form."""
    shown = labels.assign(fix=labels["fix"].fillna("").map(
        {"": "", "typo": "опечатка", "spelling": "регистр/пробелы"}), group=labels["file"] + " · " + labels["column"])
    return (
        GT(shown[["group", "label", "rows", "clean_label", "fix"]], groupname_col="group")
        .tab_header(title="Все метки категориальных столбцов",
                    subtitle="Ничего, кроме отмеченного, не пришлось исправлять")
        .cols_label(label="Метка в файле", rows="Строк", clean_label="После очистки", fix="Исправление")
        .fmt_integer(columns="rows", sep_mark=" ")
        .tab_source_note(md("Сравнение — без учёта регистра, лишних пробелов и ё/е; известные опечатки — "
                            "`analysis/data/labels.py`, `LABEL_FIXES`"))
    )


def exclusions_table(exclusions: pd.DataFrame, reasons: dict[str, str]) -> GT:
    """Excluded customers grouped by reason; the group heading carries the count."""
    counts = exclusions["reason"].value_counts()
    shown = exclusions.assign(reason=[f"{reasons[r]} — {counts[r]}" for r in exclusions["reason"]])
    subtitle = (f"{counted(len(exclusions), 'покупатель', 'покупателя', 'покупателей')}; у каждого ровно одна причина"
                if len(exclusions) else "Исключать никого не пришлось")
    return (
        GT(shown[["reason", "id", "detail"]], groupname_col="reason")
        .tab_header(title="Кто не попал в модель и почему", subtitle=subtitle)
        .cols_label(id="id", detail="Подробности")
        .fmt_integer(columns="id", use_seps=False)
        .tab_source_note(md("`downloads/exclusions.csv`; остальные покупатели — `downloads/model_table.csv`"))
    )


def revenue_outlier_text(outliers: pd.DataFrame, summary: dict) -> str:
    """The paragraph on implausible revenue months beside the exclusions table (markdown).

    `outliers` is features.revenue_outliers (empty when nothing is implausible), `summary`
    data_summary.json. Every claim is read from them: one month is described in full, several
    by their range, none in one sentence. Any threshold between the largest plausible month and
    the smallest implausible one (in median months) flags the same months.
    """
    factor = number(summary["outlier_revenue_factor"])
    if outliers.empty:
        return (f"Месяцев с неправдоподобной выручкой (больше {factor} медианных месяцев покупок) в этих "
                "данных нет, и по этой причине никто не исключён.")
    customers = summary["excluded"]["revenue_outlier"]
    first = outliers.iloc[0]
    median, largest = first["median_month"], first["largest_other_month"]
    plausible = summary["rows_after_cleaning"]["market_money.csv"] - len(outliers)
    low, high = outliers["ratio_to_median"].min(), outliers["ratio_to_median"].max()
    excluded = f"Ещё {number(customers)} {plural(customers, 'исключён', 'исключены', 'исключены')}"
    if len(outliers) == 1:
        what = (f"{excluded} из-за неправдоподобной выручки: {number(first['revenue'], 1)} {units.MONEY} за "
                f"{PERIOD_LABELS.get(first['period'], first['period'])}, в {number(high, 1)} раза больше медианного "
                f"месяца ({number(median, 1)} {units.MONEY})")
        unknown = (f"Верное значение неизвестно (другие месяцы этого покупателя — {first['other_months']}), "
                   "поэтому мы его не «исправляем», а исключаем покупателя.")
        same = "тот же единственный месяц"
    else:
        what = (f"{excluded} из-за неправдоподобной выручки: {counted(len(outliers), 'месяц', 'месяца', 'месяцев')} "
                f"от {number(outliers['revenue'].min(), 1)} до {number(outliers['revenue'].max(), 1)} {units.MONEY}, в "
                f"{number(low, 1)}–{number(high, 1)} раза больше медианного месяца ({number(median, 1)} {units.MONEY})")
        unknown = ("Верные значения неизвестны (месяцы каждого покупателя — в таблице ниже), поэтому мы их не "
                   "«исправляем», а исключаем покупателей.")
        same = "те же месяцы"
    return (f"{what}, тогда как самый крупный из остальных {number(plausible)} "
            f"{plural(plausible, 'месяца', 'месяцев', 'месяцев')} — {number(largest, 1)} {units.MONEY}. {unknown} "
            f"Порог — выручка больше {factor} медианных месяцев; любой порог от {number(largest / median, 1)} до "
            f"{number(low, 1)} медианных месяцев отбирает {same}.")


def feature_copies_table(copies: pd.DataFrame) -> GT:
    """Groups of customers identical in every feature: ids, class and each one's profit."""
    groups = copies.groupby("copy_group", sort=True).agg(
        ids=("id", lambda ids: ", ".join(map(str, sorted(ids)))),
        activity=("activity", lambda values: ", ".join(sorted(set(values)))),
        profit=("profit", lambda values: "; ".join(f"{v:.2f}".replace(".", ",") for v in values)),
    ).reset_index()
    return (
        GT(groups, rowname_col="copy_group")
        .tab_header(title="Покупатели-копии",
                    subtitle="Совпадают во всех признаках модели; класс и прибыль — у каждого свои"
                    if len(copies) else "Покупателей, одинаковых во всех признаках модели, в этих данных нет")
        .cols_label(ids="id в группе", activity="Активность", profit=f"Прибыль каждого, {units.MONEY_PER_MONTH}")
        .tab_stubhead(label="copy_group")
        .tab_source_note(md("`downloads/feature_copies.csv`; все записи группы остаются в таблице для модели"))
    )
