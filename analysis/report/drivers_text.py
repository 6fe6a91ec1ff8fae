"""Sentences of the «Почему снижается активность» chapter whose wording depends on the explanations.

Inputs are the explain stage's results (shap_importance.csv, shap_waterfalls.csv, shap_claims.csv,
explain.json's metadata, the modelling table); each function returns the finished sentence, never
an empty string (an empty inline value leaves its code visible on a Quarto page), and claims only
what the numbers show: «монотонно» needs every numeric top feature's rank correlation of value and
contribution to reach `MONOTONE`.
"""

from __future__ import annotations

import pandas as pd

from ..explain import explain
from . import model_words
from .explain_words import shap_text
from .explain_charts import probability_text
from .formatting import number, percent
from .glossary import MarkdownText

# |Spearman ρ| of a feature's value against its contribution from which the contribution is said
# to follow the value monotonically (the dependence plots of the top features).
MONOTONE = 0.8
# How many of the most important features the shape sentences look at (the dependence plots' count).
SHAPE_FEATURES = 4


def top_drivers_text(importance: pd.DataFrame, count: int = 3) -> str:
    """«„A“ (меньше → выше риск), „B“ (…) и „C“ (…)»: the strongest features with their direction."""
    named = [f"«{row.label}» ({row.direction_text})" for row in importance.head(count).itertuples()]
    return ", ".join(named[:-1]) + " и " + named[-1] if len(named) > 1 else named[0]


def unused_features_text(unused_labels: list[str]) -> str:
    """Which features the model ignores (their contribution is zero for everyone), or that none is."""
    if not unused_labels:
        return "Все признаки модели вносят вклад."
    return ("Модель не использует признаки " + ", ".join(f"«{label}»" for label in unused_labels)
            + ": их вклад у всех покупателей равен нулю.")


def _numeric_top(importance: pd.DataFrame) -> pd.DataFrame:
    return importance.head(SHAPE_FEATURES).query("direction != 0")


def monotone(importance: pd.DataFrame) -> bool:
    """Every numeric feature among the top ones has |ρ(value, contribution)| ≥ MONOTONE."""
    numeric = _numeric_top(importance)
    return bool(len(numeric)) and bool(numeric["correlation"].abs().min() >= MONOTONE)


def beeswarm_text(importance: pd.DataFrame) -> str:
    """How cleanly the beeswarm's colours separate, with the strongest numeric feature as the example."""
    numeric = _numeric_top(importance)
    if not len(numeric):
        return "Среди главных признаков нет числовых: цвет здесь различает только категории."
    example, clean = numeric.iloc[0], monotone(importance)
    side = "низкие" if example["direction"] < 0 else "высокие"
    lead = ("У главных признаков цвета разделены чисто: например, у" if clean
            else "Не у всех главных признаков цвета разделены чисто; у")
    return (f"{lead} «{example['label']}» {side} значения {'' if clean else 'чаще '}стоят справа от нуля — "
            f"{example['direction_text']}.")


def dependence_text(importance: pd.DataFrame) -> str:
    """Whether the contribution follows the value monotonically (the dependence plots), with the range of ρ."""
    numeric = _numeric_top(importance)
    if not len(numeric):
        return "Среди главных признаков нет числовых, и зависимость вклада от значения здесь не измерить."
    head = ("Вклад меняется со значением признака монотонно" if monotone(importance)
            else "Вклад меняется со значением признака не у всех главных признаков монотонно")
    which = "четырёх главных признаков" if len(numeric) == SHAPE_FEATURES else "числовых среди четырёх главных"
    correlation = numeric["correlation"].abs()
    return (f"{head}: ранговая корреляция значения и вклада у {which} по модулю от "
            f"{number(correlation.min(), 2)} до {number(correlation.max(), 2)}.")


def first_driver_check_text(first: pd.Series) -> str:
    """Whether the most important feature also separates who actually dropped (shap_importance's first row)."""
    agrees = first["dropped_when_raised"] > first["dropped_when_lowered"]
    lead = ("И модель опирается на то, что действительно отличает снизивших активность" if agrees
            else "Но то, на что опирается модель, не отличает снизивших активность")
    return (f"{lead}: среди покупателей, которым «{first['label']}» поднимает прогноз, активность снизилась у "
            f"{percent(first['dropped_when_raised'], 0)}, а среди тех, кому снижает, — у "
            f"{percent(first['dropped_when_lowered'], 0)}.")


def representative_text(example: dict, leading: pd.Series, meta: dict) -> str:
    """One bullet about a representative customer (explain.json's `representatives` entry and the
    waterfall's first step): who, the risk shown, and the feature that moved it most."""
    risk = (model_words.borderline_text(example["model_output"], meta["threshold"]) if example["role"] == "borderline"
            else probability_text(example["model_output"], meta))
    verb = "поднимает" if leading["shap"] > 0 else "снижает"
    return MarkdownText(f"**{example['role_label']}** (id {example['id']}, риск {risk}): сильнее всего риск {verb} "
            f"«{leading['step_label']}» ({shap_text(leading['shap'], meta['output_space'], True)})")


def published_agreement_text(claims: pd.DataFrame) -> str:
    """How many published claims about numeric features keep their direction (shap_claims.csv), and
    what the «согласны»/«частично» verdicts mean."""
    numeric = claims.dropna(subset=["direction_holds"])
    holds = numeric["direction_holds"].astype(bool)
    rest = "расходимся мы в силе:" if holds.all() else "в остальных расходимся и в направлении. Сила:"
    return (f"Направление влияния совпадает в {number(holds.sum())} из {number(len(numeric))} выводов о числовых "
            f"признаках; {rest} «согласны» — признак среди {number(explain.STRONG_RANK)} самых сильных, "
            f"«частично» — среди {number(2 * explain.STRONG_RANK)}.")


def shared_signal_text(importance: pd.DataFrame, model_table: pd.DataFrame) -> str:
    """Contributions of related features are shared: the most correlated pair among the numeric top five."""
    top = importance.head(5)
    numeric = top.loc[top["kind"] == "число", "feature"].tolist()
    shared = ("Вклад связанных между собой признаков делится между ними, и каждый по отдельности выглядит "
              "слабее их общего сигнала.")
    if len(numeric) < 2:
        return shared
    pair = explain.strongest_correlation(model_table, numeric)
    return (f"{shared} Среди числовых признаков из пяти главных сильнее всего связаны «{pair['labels'][0]}» и "
            f"«{pair['labels'][1]}» — ранговая корреляция {number(pair['rho'], 2)}.")
