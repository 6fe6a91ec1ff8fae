"""Sentences of the «Данные» chapter whose wording depends on the data: what was fixed, who was
excluded, the copies, the row order and how the classes differ.

Each takes the results of the data stage (data_summary.json, id_leak.json, audit.csv, labels.csv,
feature_separation.csv, period_summary.csv) and returns a finished sentence, never an empty one (an
empty inline value leaves its code visible on a Quarto page).
"""

from __future__ import annotations

import pandas as pd

from .data_charts import LEAK_STRONG_AUC, LEAK_WEAK_AUC
from .formatting import counted, number, percent, plural
from .glossary import MarkdownText, term_link

# A single feature whose ROC-AUC is below this barely separates the classes.
WEAK_AUC = 0.52
# Medians of the two classes within this share of the larger one read as «близка».
CLOSE = 0.1


def of_customers(count: int) -> str:
    """«у 3 покупателей» (genitive)."""
    return counted(count, "покупателя", "покупателей", "покупателей")


def rows(count: int) -> str:
    return counted(count, "строка", "строки", "строк")


def answer_text(fixed_labels: int, excluded: dict, copy_groups: int) -> str:
    """The chapter's «Да — после …» answer: which fixes and decisions the data needed."""
    decisions = [text for text, present in (
        ("об одном выбросе выручки" if excluded["revenue_outlier"] == 1 else "о выбросах выручки",
         excluded["revenue_outlier"]), ("о покупателях-копиях", copy_groups)) if present]
    steps = ["исправления опечаток в метках"] if fixed_labels else []
    if decisions:
        steps.append(("двух решений: " if len(decisions) == 2 else "решения ") + " и ".join(decisions))
    return "Да — после " + " и ".join(steps) + "." if steps else "Да: исправлять ничего не пришлось."


def leak_strength(leak: dict) -> str:
    """'strong', 'weak' or 'partial': how much the id alone tells the class (id_leak.json)."""
    if leak["roc_auc_id"] >= LEAK_STRONG_AUC:
        return "strong"
    return "weak" if leak["roc_auc_id"] < LEAK_WEAK_AUC else "partial"


def id_text(leak: dict) -> str:
    tail = {"strong": ": покупатели в файле отсортированы так, что номер сам подсказывает ответ.",
            "weak": ", хотя в этих данных он почти ничего не говорит об ответе.",
            "partial": ": порядок номеров отчасти подсказывает ответ."}[leak_strength(leak)]
    return "Номер покупателя в модель не входит" + tail


def excluded_text(excluded_total: int) -> str:
    if not excluded_total:
        return "исключать никого не пришлось"
    return "каждый из " + number(excluded_total) + " остальных назван поимённо с причиной"


def fixes_text(fixes: pd.DataFrame, labels: pd.DataFrame) -> str:
    """The label typos fixed (audit.csv's fix_label rows), each marked when it covered the whole label."""
    label_rows = labels.groupby(["file", "column", "clean_label"])["rows"].sum()
    fixed = [f"«{fix.before}» → «{fix.after}» ({rows(fix.rows)}"
             + (f" — все строки «{fix.after}» в {fix.file})" if label_rows[fix.file, fix.column, fix.after] == fix.rows
                else ")") for fix in fixes.itertuples()]
    if not fixed:
        return "Опечаток не нашлось."
    return (f"Нашлось {counted(len(fixed), 'опечатка', 'опечатки', 'опечаток')}, "
            f"{'её' if len(fixed) == 1 else 'их'} исправили: " + ", ".join(fixed[:-1])
            + (" и " if len(fixed) > 1 else "") + fixed[-1] + ".")


def inactive_text(count: int) -> str:
    if not count:
        return "Покупателей с нулевой выручкой за какой-то месяц нет."
    return (f"У {of_customers(count)} выручка за какой-то месяц нулевая — "
            f"{'он исключён' if count == 1 else 'они исключены'}.")


def incomplete_text(count: int) -> str:
    if not count:
        return "Неполных записей (без выручки, минут или прибыли за какой-то период) нет."
    return (f"Ещё у {of_customers(count)} нет выручки, минут или прибыли за какой-то период — "
            f"{'он тоже исключён' if count == 1 else 'они тоже исключены'}.")


def copies_text(copy_groups: int, copy_customers: int) -> str:
    """The customers identical in every model feature, and why all of them stay."""
    if not copy_groups:
        return ("Покупателей, которые совпадают во всех признаках модели — профиле, выручке и минутах, — в этих "
                "данных нет. В другой выгрузке они могут появиться, и оставлять их нужно все: это разные id со своей "
                "прибылью, которая нужна маркетингу.")
    return (f"{counted(copy_groups, 'группа', 'группы', 'групп')} покупателей ({number(copy_customers)} id) "
            f"{plural(copy_groups, 'совпадает', 'совпадают', 'совпадают')} во всех признаках модели — профиле, выручке "
            "и минутах; класс и прибыль каждого — в таблице ниже. Это разные id со своей прибылью, которая нужна "
            f"маркетингу, поэтому оставлены {'оба' if copy_customers == 2 * copy_groups else 'все'}.")


def order_heading(leak: dict) -> str:
    return "Порядок строк и ответ" if leak_strength(leak) == "weak" else "Порядок строк подсказывает ответ"


def order_text(leak: dict) -> str:
    """How the file is ordered: «идут по возрастанию id, и почти все «Снизилась» собраны в начале файла»."""
    where = ("в начале" if leak["smaller_ids_dropped"] else "в конце") + (
        " файла" if leak["ids_sorted_in_file"] else " списка по id")
    strength = leak_strength(leak)
    return ("идут по возрастанию id" if leak["ids_sorted_in_file"] else "идут не по порядку id") + {
        "strong": f", и почти все «Снизилась» собраны {where}",
        "weak": "; классы по id перемешаны",
        "partial": f", и «Снизилась» заметно чаще {where}"}[strength]


def order_consequence(leak: dict) -> MarkdownText:
    if leak_strength(leak) == "weak":
        return MarkdownText("В этих данных это почти ничего не подсказывает, но в другой выгрузке порядок может "
                            "подсказывать ответ.")
    return MarkdownText("Модель, которой показали номер строки, «научилась» бы порядку строк, а не поведению "
                        "покупателей — это " + term_link("leakage", "утечка ответа") + ".")


def weak_features_text(separation: pd.DataFrame) -> str:
    """Features that alone barely separate the classes (ROC-AUC below WEAK_AUC), or that there are none."""
    weak = separation.query("roc_auc < @WEAK_AUC")
    if weak.empty:
        return f"Признаков, которые почти не различают классы (ROC-AUC одного признака ниже {number(WEAK_AUC, 2)}), нет."
    return (f"Почти не различают классы (ROC-AUC одного признака ниже {number(WEAK_AUC, 2)}): "
            + ", ".join(f"«{row.label}» ({number(row.roc_auc, 2)})" for row in weak.itertuples()) + ".")


def minutes_text(periods: pd.Series) -> str:
    """The current month's median minutes of the two classes (period_summary's medians by
    (measure, period, activity))."""
    dropped, kept = (periods["minutes", "текущий_месяц", activity] for activity in ("Снизилась", "Прежний уровень"))
    if dropped == kept:
        return f"время на сайте у классов одинаково — медиана {number(dropped)} минут у обоих"
    return (f"«Снизилась» проводят на сайте {'меньше' if dropped < kept else 'больше'} времени — медиана "
            f"{number(dropped)} против {number(kept)} минут")


def revenue_closeness_text(periods: pd.Series) -> str:
    """Whether the classes' median revenue is within CLOSE of each other in every month."""
    revenue = periods["revenue"].unstack("activity")
    close = ((revenue["Снизилась"] - revenue["Прежний уровень"]).abs() <= CLOSE * revenue.max(axis=1)).all()
    return f"близка (разница не больше {percent(CLOSE, 0)} в каждом месяце)" if close else "различается"
