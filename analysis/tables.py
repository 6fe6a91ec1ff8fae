"""great-tables builders: DataFrame in, GT out, with title, source note and formats."""

from __future__ import annotations

import pandas as pd
from great_tables import GT, loc, md, style

RAW_SOURCE_NOTE = "Источник: выгрузка магазина «В один клик», data/README.md"


def raw_files_table(raw_files: pd.DataFrame) -> GT:
    """Provenance of the four raw files: anyone can recompute the SHA-256 and compare."""
    return (
        GT(raw_files, rowname_col="file")
        .tab_header(title="Четыре исходных файла",
                    subtitle="Строки без заголовка; SHA-256 проверяется при каждой сборке")
        .cols_label(rows="Строк", columns="Столбцов", bytes="Байт", sha256="SHA-256")
        .fmt_integer(columns=["rows", "columns", "bytes"], sep_mark=" ")
        .tab_style(style=style.text(font="monospace", size="small"),
                   locations=loc.body(columns="sha256"))
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
        .tab_source_note(md(RAW_SOURCE_NOTE + "; имена и подписи — `analysis/labels.py`, роли — "
                            "`analysis/features.py`"))
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
                            "`analysis/labels.py`, `LABEL_FIXES`"))
    )


def exclusions_table(exclusions: pd.DataFrame, reasons: dict[str, str]) -> GT:
    """Excluded customers grouped by reason; the group heading carries the count."""
    counts = exclusions["reason"].value_counts()
    shown = exclusions.assign(reason=[f"{reasons[r]} — {counts[r]}" for r in exclusions["reason"]])
    return (
        GT(shown[["reason", "id", "detail"]], groupname_col="reason")
        .tab_header(title="Кто не попал в модель и почему",
                    subtitle=f"{len(exclusions)} покупателей; у каждого ровно одна причина")
        .cols_label(id="id", detail="Подробности")
        .fmt_integer(columns="id", use_seps=False)
        .tab_source_note(md("`downloads/exclusions.csv`; остальные покупатели — `downloads/model_table.csv`"))
    )


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
                    subtitle="Совпадают во всех признаках модели; класс и прибыль — у каждого свои")
        .cols_label(ids="id в группе", activity="Активность", profit="Прибыль каждого")
        .tab_stubhead(label="copy_group")
        .tab_source_note(md("`downloads/feature_copies.csv`; обе записи остаются в таблице для модели"))
    )
