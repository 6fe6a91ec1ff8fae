"""Sentences of the «Связи признаков» chapter whose wording depends on the correlations.

Inputs are the correlation stage's results (phik.csv, collinear_pairs.csv, vif.csv, feature_drop.csv)
and metrics.json's chosen model; each function returns a finished sentence, never an empty one (an
empty inline value leaves its code visible on a Quarto page).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..model.correlation import COLLINEAR_RHO, HIGH_VIF, UNRELATED_PHIK
from .formatting import counted, number, plural, signed
from ..model.modeling import FAMILY_LABELS

# φK from which two features count as strongly related (the heatmap's darkest cells).
STRONG_PHIK = 0.7


@dataclass(frozen=True)
class Correlations:
    """The figures the chapter's sentences compare, read once from the results."""

    to_target: pd.DataFrame      # φK of each feature with the target, strongest first
    between: pd.DataFrame        # φK of feature pairs, strongest first
    table_pairs: pd.DataFrame    # collinear pairs among the table's own numbers
    pairs: pd.DataFrame          # all collinear pairs (with the model's new features)
    table_vif: pd.Series         # the table's feature with the largest VIF
    vif: pd.DataFrame
    pair_drops: pd.DataFrame     # the chosen model without one feature of a pair
    worst_drop: float            # largest |ΔROC-AUC| of dropping one feature, any model
    noise: float                 # median fold standard deviation
    left_out: list[str]          # «labels» of pair features the chosen model does without
    pair_features: int           # how many features the table's pairs involve

    @property
    def quiet(self) -> bool:
        return self.worst_drop <= self.noise

    @property
    def vif_low(self) -> bool:
        return self.table_vif["vif_table"] < HIGH_VIF

    @property
    def strong_between(self) -> pd.DataFrame:
        return self.between.query("value >= @STRONG_PHIK")


def correlations(phik: pd.DataFrame, pairs: pd.DataFrame, vif: pd.DataFrame, drops: pd.DataFrame,
                 chosen: dict) -> Correlations:
    """The chapter's figures from phik.csv, collinear_pairs.csv, vif.csv, feature_drop.csv and
    metrics.json's `chosen`."""
    table_pairs = pairs.query("not engineered")
    features = (dict(zip(table_pairs["first"], table_pairs["first_label"]))
                | dict(zip(table_pairs["second"], table_pairs["second_label"])))
    family = chosen["name"]
    return Correlations(
        to_target=phik.query("row_order == 0 and column_order > 0").sort_values("column_order"),
        between=phik.query("row_order > 0 and column_order > row_order").sort_values("value", ascending=False),
        table_pairs=table_pairs, pairs=pairs, vif=vif,
        table_vif=vif.query("not engineered").sort_values("vif_table", ascending=False).iloc[0],
        pair_drops=drops.query("family == @family and variant != 'all'"),
        worst_drop=drops.query("variant != 'all'")["delta"].abs().max(), noise=drops["cv_std"].median(),
        left_out=[f"«{label}»" for feature, label in features.items() if feature in chosen["without"]],
        pair_features=len(features))


def named_pairs(rows: pd.DataFrame, measure: str = "") -> str:
    """«„A“ и „B“ (0,81); …», or «нет ни одной» for no pairs."""
    if not len(rows):
        return "нет ни одной"
    return "; ".join(f"«{row.first_label}» и «{row.second_label}» ({measure}{number(row.spearman, 2)})"
                     for row in rows.itertuples())


def target_lead(reference: bool) -> str:
    """The answer's verb: on the reference data the strongest three are all site behaviour."""
    return "связано поведение на сайте:" if reference else "связаны"


def unrelated_text(c: Correlations, with_threshold: bool = False) -> str:
    unrelated = c.to_target.query("value < @UNRELATED_PHIK")
    limit = f" (φK меньше {number(UNRELATED_PHIK, 2)})" if with_threshold else ""
    if not len(unrelated):
        return f"Совсем не связанных с активностью признаков{limit} нет."
    names = (": " + ", ".join(f"«{label}»" for label in unrelated["column_label"])) if with_threshold else ""
    return (f"{counted(len(unrelated), 'признак', 'признака', 'признаков')} с активностью "
            f"{plural(len(unrelated), 'не связан', 'не связаны', 'не связаны')} совсем{limit}{names}.")


def harmless(c: Correlations) -> bool:
    """The repeating features neither reach the VIF limit nor change ROC-AUC beyond the noise."""
    return (c.vif_low or not len(c.table_pairs)) and (c.quiet or not len(c.pair_drops))


def repeats_plain_text(c: Correlations) -> str:
    if harmless(c):
        return ("Признаки, которые повторяют друг друга, модели не мешают: если убрать любой из них, качество "
                "прогноза почти не меняется.")
    return ("Некоторые признаки заметно повторяют друг друга; что это значит для модели — в разделе о "
            "мультиколлинеарности ниже.")


def repeats_text(c: Correlations) -> str:
    """The analyst's version: which table pairs repeat each other and their largest VIF."""
    if not len(c.table_pairs):
        return (f"Сильно повторяющих друг друга исходных признаков нет: ни у одной пары |ρ| Спирмена не достигает "
                f"{number(COLLINEAR_RHO, 1)}, а самый большой VIF — {number(c.table_vif['vif_table'], 1)}.")
    verdict = (f"но и у них VIF не выше {number(c.table_vif['vif_table'], 1)} — меньше принятого порога "
               f"{number(HIGH_VIF)}." if c.vif_low else
               f"и VIF доходит до {number(c.table_vif['vif_table'], 1)} — не меньше принятого порога {number(HIGH_VIF)}.")
    return ("Повторяют друг друга " + ("только " if len(c.table_pairs) == 1 else "")
            + named_pairs(c.table_pairs, "ρ Спирмена ") + ", " + verdict)


def _kept(c: Correlations) -> str:
    if not c.left_out:
        return "Модель оставляет " + ("оба признака" if c.pair_features == 2 else "все эти признаки")
    return (f"Модель обходится без {', '.join(c.left_out)} (перемешивание почти не меняет её ROC-AUC, глава "
            "«Модель»), но не из-за этой связи")


def drop_summary_text(c: Correlations) -> str:
    """What dropping one feature of a pair does, against the fold noise (always a sentence)."""
    if not len(c.pair_drops):
        return "Проверять удаление признака не из чего: коллинеарных пар среди исходных признаков нет."
    return (f"{_kept(c)}: убрать любой из них — значит изменить ROC-AUC {'меньше чем' if c.quiet else 'до'} на "
            f"{number(c.worst_drop, 3)}, " + ("в пределах шума перекрёстной проверки." if c.quiet else
                                                f"больше шума перекрёстной проверки (около {number(c.noise, 3)})."))


def strongest_pair_lead(c: Correlations) -> str:
    strong = len(c.strong_between)
    return (("Между собой признаки связаны умеренно. " if strong <= 1 else "")
            + ("Выделяется одна пара — " if strong == 1 else "Самая сильная пара — "))


def second_pair_value(c: Correlations) -> str:
    return ("уже " if len(c.strong_between) == 1 else "") + number(c.between["value"].iloc[1], 2)


def strong_pairs_text(c: Correlations) -> str:
    strong = len(c.strong_between)
    if strong <= 1:
        return "Остальные признаки приносят модели каждый что-то своё."
    return f"Сильно (φK от {number(STRONG_PHIK, 1)}) связаны {counted(strong, 'пара', 'пары', 'пар')} признаков."


def spearman_text(c: Correlations) -> str:
    if len(c.table_pairs):
        lead = ("Из исходных признаков сюда попадает только пара " if len(c.table_pairs) == 1 else
                "Из исходных признаков сюда попадают пары ") + named_pairs(c.table_pairs)
    else:
        lead = "Пар из одних исходных признаков среди них нет"
    return lead + ("; остальные пары — новые признаки и те, из которых они вычислены."
                   if len(c.pairs) > len(c.table_pairs) else ".")


def model_vif_text(c: Correlations) -> str:
    highest = c.vif["vif_model"].max()
    return ("вырастает до " if highest > c.table_vif["vif_table"] else "остаётся не выше ") + number(highest)


def coefficients_text(chosen: dict) -> str:
    """Whether the chosen model estimates coefficients at all, and that its linear part is regularised."""
    members = ", ".join(FAMILY_LABELS[name] for name in chosen["members"])
    name = f"({members})" if len(chosen["members"]) > 1 else f"«{chosen['label']}»"
    if "logreg" not in chosen["members"]:
        return (f"Выбранная модель {name} коэффициентов не оценивает, а логистическая регрессия в поиске "
                "регуляризована (L1/L2/elastic net).")
    return (f"В выбранной модели {name} коэффициенты оценивает только логистическая регрессия, и она "
            "регуляризована (L1/L2/elastic net).")


def drop_text(c: Correlations) -> str:
    """The drop-one-feature check in full: each drop of the chosen model, the worst over all models, the verdict."""
    if not len(c.pair_drops):
        return f"Но в этих данных у исходных признаков нет пар с |ρ| от {number(COLLINEAR_RHO, 1)} — убирать нечего."
    effects = "; ".join(f"убрать «{row.dropped}» — на {signed(row.delta)}" for row in c.pair_drops.itertuples())
    verdict = "Это шум: " if c.quiet else "Это больше шума, но и такую разницу лучше проверить на новых данных: "
    kept = _kept(c)
    outcome = (f"{'оба признака' if c.pair_features == 2 else 'признаки'} остаются, решение принимают регуляризация и "
               "сами модели." if not c.left_out else f"{kept[0].lower() + kept[1:]}.")
    return (f"Для выбранной модели ROC-AUC меняется так: {effects}. У всех моделей разница не больше "
            f"{number(c.worst_drop, 3)} при стандартном отклонении по фолдам около {number(c.noise, 3)}. "
            + verdict + outcome)
