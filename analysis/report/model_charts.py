"""Altair charts of the «Модель» chapter (03-model.qmd): CV folds, ROC and precision-recall, calibration,
confusion matrix, threshold cost, permutation importance, SelectKBest.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from . import palette
from ..constants import NEGATIVE_CLASS, POSITIVE_CLASS
from .units import MONEY as MONEY_UNIT
from .formatting import number, percent, plural
from .charts import ACTIVITY_COLORS, FIT_WIDTH


# Out-of-fold probability deciles within this of the observed shares on average (calibration_gap):
# the probabilities can be read literally.
CALIBRATION_GAP = 0.05
# Test ROC-AUC from which the model is said to separate the classes well.
GOOD_ROC_AUC = 0.8
# A threshold is a probability: its tooltips say so (the axes show it as a percentage).
THRESHOLD_TITLE = "Порог, вероятность (от 0 до 1)"
SAMPLE_COLORS = {"Тестовая выборка": palette.INK, "Обучающая, вне фолда": palette.CONTEXT}
SAMPLE_LABELS = {"test": "Тестовая выборка", "train_oof": "Обучающая, вне фолда"}


def _sample_color(legend_orient: str = "top") -> alt.Color:
    return alt.Color("sample_label:N", title="Выборка", scale=alt.Scale(
        domain=list(SAMPLE_COLORS), range=list(SAMPLE_COLORS.values())), legend=alt.Legend(orient=legend_orient))


TWO_LINE_LABEL_CHARS = 18


def two_line_labels(labels, max_chars: int = TWO_LINE_LABEL_CHARS) -> str:
    """A Vega `labelExpr` drawing each label longer than `max_chars` on two lines, broken at
    the space nearest its middle; shorter labels (and labels without a space) as they are.

    Why: on a phone the page header caps an axis label at 40 % of the chart's width, which cut
    model names to «Ансамбль без беспол…»; two lines of about half the length fit that cap.
    The field keeps the full label, so sorting and tooltips are unchanged. Pair with
    `labelLineHeight` and a band step of at least two lines (~26 px)."""
    wrapped = {}
    for label in labels:
        spaces = [i for i, char in enumerate(label) if char == " "]
        if len(label) > max_chars and spaces:
            cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
            wrapped[label] = [label[:cut], label[cut + 1:]]
    return json.dumps(wrapped, ensure_ascii=False) + "[datum.label] || datum.label" if wrapped else "datum.label"


def cv_fold_scores(folds: pd.DataFrame, families: pd.DataFrame, target: float) -> alt.LayerChart:
    """ROC-AUC of every fold of the repeated grouped CV, per model, with mean ± std; best on top.

    `folds` is model_cv_folds.csv, `families` model_families.csv (sorted best first).
    """
    order = families["label"].tolist()
    best = families.iloc[0]
    data = folds.merge(families[["family", "label", "chosen"]], on="family")
    summary = families.assign(low=families["cv_mean"] - families["cv_std"],
                              high=families["cv_mean"] + families["cv_std"])
    title = alt.Title(
        [f"Лучшая модель — «{best['label']}»: ROC-AUC {number(best['cv_mean'], 3)} ± {number(best['cv_std'], 3)}",
         f"цель {number(target, 2)} {'достигнута' if best['cv_mean'] >= target else 'не достигнута'}"],
        subtitle=["Точки — ROC-AUC на каждом из фолдов повторной перекрёстной проверки (копии в одном фолде);",
                  "ромб — среднее, отрезок — ± стандартное отклонение; пунктир — цель."], anchor="start")
    description = "ROC-AUC моделей в повторной групповой перекрёстной проверке: " + "; ".join(
        f"{row.label} {number(row.cv_mean, 3)} ± {number(row.cv_std, 3)}" for row in families.itertuples())
    y = alt.Y("label:N", title=None, sort=order,
              axis=alt.Axis(labelLimit=260, labelExpr=two_line_labels(order), labelLineHeight=12))
    x_scale = alt.Scale(zero=False, nice=True)
    points = alt.Chart(data).mark_circle(size=28, opacity=0.45, color=palette.CONTEXT).encode(
        y=y, x=alt.X("roc_auc:Q", title="ROC-AUC на фолде", scale=x_scale),
        tooltip=[alt.Tooltip("label:N", title="Модель"), alt.Tooltip("repeat:Q", title="Повтор, №"),
                 alt.Tooltip("fold:Q", title="Фолд, №"), alt.Tooltip("roc_auc:Q", title="ROC-AUC", format=".3f")])
    bars = alt.Chart(summary).mark_rule(strokeWidth=2.5).encode(
        y=y, x=alt.X("low:Q", scale=x_scale), x2="high:Q",
        color=alt.condition("datum.chosen", alt.value(palette.CHOSEN), alt.value(palette.INK)))
    means = alt.Chart(summary).mark_point(shape="diamond", size=110, filled=True).encode(
        y=y, x=alt.X("cv_mean:Q", scale=x_scale),
        color=alt.condition("datum.chosen", alt.value(palette.CHOSEN), alt.value(palette.INK)),
        tooltip=[alt.Tooltip("label:N", title="Модель"), alt.Tooltip("cv_mean:Q", title="Среднее ROC-AUC", format=".4f"),
                 alt.Tooltip("cv_std:Q", title="Ст. отклонение ROC-AUC", format=".4f"),
                 alt.Tooltip("cv_min:Q", title="Худший фолд, ROC-AUC", format=".3f"),
                 alt.Tooltip("params:N", title="Параметры")])
    goal = alt.Chart(pd.DataFrame({"target": [target]})).mark_rule(strokeDash=[5, 4], color=palette.REFERENCE).encode(
        x=alt.X("target:Q", scale=x_scale), tooltip=[alt.Tooltip("target:Q", title="Цель, ROC-AUC", format=".2f")])
    return alt.layer(points, bars, means, goal, title=title, description=description).properties(
        width="container", height=34 * len(order), autosize=FIT_WIDTH)


def roc_pr_curves(curves: pd.DataFrame, metrics: dict) -> alt.HConcatChart:
    """ROC and precision-recall curves of the test part and of the training part out of fold,
    with the operating point at the chosen threshold on the test curves."""
    data = curves.assign(sample_label=curves["sample"].map(SAMPLE_LABELS))
    at = metrics["at_threshold"]
    point = pd.DataFrame({"fpr": [at["fp"] / (at["fp"] + at["tn"])], "recall": [at["recall"]],
                          "precision": [at["precision"]], "threshold": [metrics["threshold"]["value"]]})
    point_tooltip = [alt.Tooltip("threshold:Q", title=THRESHOLD_TITLE, format=".2f"),
                     alt.Tooltip("recall:Q", title="Полнота (доля найденных)", format=".1%"),
                     alt.Tooltip("precision:Q", title="Точность", format=".1%"),
                     alt.Tooltip("fpr:Q", title="Доля ложных тревог", format=".1%")]
    tooltip = [alt.Tooltip("sample_label:N", title="Выборка"),
               alt.Tooltip("threshold:Q", title=THRESHOLD_TITLE, format=".2f")]
    test = metrics["test"]
    roc = alt.layer(
        alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 1]})).mark_line(strokeDash=[4, 4], color=palette.CONTEXT).encode(
            x="x:Q", y="y:Q"),
        alt.Chart(data.loc[data["curve"] == "roc"]).mark_line(interpolate="step-after").encode(
            x=alt.X("x:Q", title="Доля ложных тревог (FPR)", axis=alt.Axis(format=".0%")),
            y=alt.Y("y:Q", title="Доля найденных (TPR)", axis=alt.Axis(format=".0%")),
            color=_sample_color(), tooltip=[*tooltip, alt.Tooltip("x:Q", title="Доля ложных тревог (FPR)", format=".1%"),
                                            alt.Tooltip("y:Q", title="Доля найденных (TPR)", format=".1%")]),
        alt.Chart(point).mark_point(size=120, filled=True, color=palette.CHOSEN).encode(
            x="fpr:Q", y="recall:Q", tooltip=point_tooltip),
    ).properties(width=310, height=300, title=alt.Title(
        f"ROC: площадь на тесте {number(test['roc_auc'], 3)}", subtitle="Точка — выбранный порог", anchor="start"))
    prevalence = metrics["test_costs"]["dropping_customers"] / metrics["test_costs"]["customers"]
    pr = alt.layer(
        alt.Chart(pd.DataFrame({"y": [prevalence]})).mark_rule(strokeDash=[4, 4], color=palette.CONTEXT).encode(y="y:Q"),
        alt.Chart(data.loc[data["curve"] == "pr"]).mark_line(interpolate="step-before").encode(
            x=alt.X("x:Q", title="Полнота (доля найденных)", axis=alt.Axis(format=".0%")),
            y=alt.Y("y:Q", title="Точность", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
            color=_sample_color(), tooltip=[*tooltip, alt.Tooltip("x:Q", title="Полнота", format=".1%"),
                                            alt.Tooltip("y:Q", title="Точность", format=".1%")]),
        alt.Chart(point).mark_point(size=120, filled=True, color=palette.CHOSEN).encode(
            x="recall:Q", y="precision:Q", tooltip=point_tooltip),
    ).properties(width=310, height=300, title=alt.Title(
        f"Точность — полнота: средняя точность {number(test['average_precision'], 3)}",
        subtitle="Пунктир — доля «Снизилась» в тесте", anchor="start"))
    threshold = number(point["threshold"][0], 2)
    title = alt.Title(
        [f"На тесте модель {'хорошо ' if test['roc_auc'] >= GOOD_ROC_AUC else 'лишь отчасти '}отделяет «{POSITIVE_CLASS}»: "
         f"ROC-AUC {number(test['roc_auc'], 3)}",
         f"(95 % ДИ {number(test['ci_low'], 3)}–{number(test['ci_high'], 3)}), "
         f"средняя точность {number(test['average_precision'], 3)}"],
        subtitle=[f"При пороге {threshold} она находит {percent(at['recall'], 0)} снизивших активность, "
                  f"и {percent(at['precision'], 0)} её тревог верны."], anchor="start")
    description = (f"ROC-кривая (площадь {number(test['roc_auc'], 3)}) и кривая точность-полнота "
                   f"(средняя точность {number(test['average_precision'], 3)}) тестовой выборки и обучающей "
                   f"вне фолда; выбранный порог {threshold}: полнота {percent(at['recall'])}, "
                   f"точность {percent(at['precision'])}")
    return alt.hconcat(roc, pr, title=title, description=description).resolve_scale(color="shared")


def calibration_gap(calibration: pd.DataFrame, sample: str = "train_oof") -> float:
    """Mean |predicted − observed| over the probability deciles of `sample`, weighted by customers."""
    rows = calibration.loc[calibration["sample"] == sample]
    return float(((rows["predicted"] - rows["observed"]).abs() * rows["customers"]).sum() / rows["customers"].sum())


def calibration_chart(calibration: pd.DataFrame, metrics: dict) -> alt.LayerChart:
    """Reliability diagram: predicted probability vs observed share, by probability decile.

    The title trusts the probabilities only when the out-of-fold deciles are within
    CALIBRATION_GAP of the observed shares on average (calibration_gap)."""
    data = calibration.assign(sample_label=calibration["sample"].map(SAMPLE_LABELS))
    brier = metrics["brier"]
    gap = calibration_gap(calibration)
    verdict = ("Вероятностям модели можно верить" if gap <= CALIBRATION_GAP
               else "Вероятности модели заметно расходятся с фактом")
    sigmoid = (f"с калибровкой сигмоидой (без неё — {number(brier['train_oof_uncalibrated'], 3)})."
               if brier["calibrated"] else
               f"калибровка сигмоидой дала бы {number(brier['train_oof_sigmoid'], 3)}; не применена (см. текст).")
    title = alt.Title(
        [f"{verdict}: оценка Брайера {number(brier['test'], 3)} на тесте"],
        subtitle=[f"Вне фолда на обучающей — {number(brier['train_oof'], 3)}, {sigmoid}",
                  f"Прогноз и факт расходятся в среднем на {number(gap * 100, 1)} п. п.",
                  "Точка — десятая часть покупателей по прогнозу;", "на диагонали прогноз = факт."], anchor="start")
    description = "Калибровочная кривая: " + "; ".join(
        f"{row.sample_label}: прогноз {number(row.predicted, 2)}, факт {number(row.observed, 2)}"
        for row in data.itertuples())
    diagonal = alt.Chart(pd.DataFrame({"x": [0, 1], "y": [0, 1]})).mark_line(
        strokeDash=[4, 4], color=palette.CONTEXT).encode(x="x:Q", y="y:Q")
    lines = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=50, filled=True)).encode(
        x=alt.X("predicted:Q", title=["Предсказанная вероятность «Снизилась»", "(среднее в группе)"],
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
        y=alt.Y("observed:Q", title="Фактическая доля «Снизилась»", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%")),
        color=_sample_color(),
        tooltip=[alt.Tooltip("sample_label:N", title="Выборка"),
                 alt.Tooltip("predicted:Q", title="Прогноз", format=".1%"),
                 alt.Tooltip("observed:Q", title="Факт", format=".1%"),
                 alt.Tooltip("customers:Q", title="Покупателей")])
    return alt.layer(diagonal, lines, title=title, description=description).properties(
        width="container", height=320, autosize=FIT_WIDTH)


def confusion_matrix_chart(metrics: dict) -> alt.LayerChart:
    """The test part at the chosen threshold: four cells with counts and row shares."""
    at = metrics["at_threshold"]
    actual_drop, actual_stay = at["tp"] + at["fn"], at["tn"] + at["fp"]
    cells = pd.DataFrame([
        {"actual": POSITIVE_CLASS, "predicted": POSITIVE_CLASS, "customers": at["tp"], "share": at["tp"] / actual_drop,
         "meaning": "найдены: получат предложение"},
        {"actual": POSITIVE_CLASS, "predicted": NEGATIVE_CLASS, "customers": at["fn"], "share": at["fn"] / actual_drop,
         "meaning": "пропущены: уйдут без предложения"},
        {"actual": NEGATIVE_CLASS, "predicted": POSITIVE_CLASS, "customers": at["fp"], "share": at["fp"] / actual_stay,
         "meaning": "лишнее предложение"},
        {"actual": NEGATIVE_CLASS, "predicted": NEGATIVE_CLASS, "customers": at["tn"], "share": at["tn"] / actual_stay,
         "meaning": "верно оставлены в покое"},
    ])
    cells["label"] = [f"{number(c)} ({percent(s, 0)})" for c, s in zip(cells["customers"], cells["share"])]
    threshold = metrics["threshold"]["value"]
    title = alt.Title(
        [f"Из {number(actual_drop)} покупателей теста, чья активность снизится, модель находит "
         f"{number(at['tp'])} ({percent(at['recall'], 0)})"],
        subtitle=[f"Порог {number(threshold, 2)}; из {number(at['tp'] + at['fp'])} предложений "
                  f"{number(at['fp'])} достались бы тем, кто не снизит активность.",
                  "В скобках — доля от фактического класса (строки)."], anchor="start")
    description = "Матрица ошибок на тесте: " + "; ".join(
        f"факт {row.actual}, прогноз {row.predicted}: {row.customers}" for row in cells.itertuples())
    order = list(ACTIVITY_COLORS)
    base = alt.Chart(cells).encode(
        x=alt.X("predicted:N", title="Прогноз модели", sort=order, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("actual:N", title="Факт", sort=order))
    rects = base.mark_rect(stroke=palette.PAPER, strokeWidth=2).encode(
        color=alt.Color("share:Q", title="Доля фактического класса (от 0 до 1)",
                        scale=alt.Scale(scheme=palette.STRENGTH_SCHEME, domain=[0, 1], reverse=True), legend=None),
        tooltip=[alt.Tooltip("actual:N", title="Факт"), alt.Tooltip("predicted:N", title="Прогноз"),
                 alt.Tooltip("customers:Q", title="Покупателей"),
                 alt.Tooltip("share:Q", title="Доля фактического класса", format=".1%"),
                 alt.Tooltip("meaning:N", title="Что это значит")])
    text = base.mark_text(fontSize=15).encode(
        text="label:N", color=alt.condition("datum.share > 0.5", alt.value(palette.PAPER), alt.value(palette.INK)))
    return alt.layer(rects, text, title=title, description=description).properties(width=420, height=180)


def threshold_cost_chart(costs: pd.DataFrame, metrics: dict) -> alt.LayerChart:
    """Expected cost on the training part (out of fold) by threshold: missed drops, offers and their sum.

    Rules at the chosen threshold and at 0.5; hover anywhere to read a threshold's numbers.
    """
    chosen = metrics["threshold"]["value"]
    at_chosen = costs.loc[(costs["threshold"] - chosen).abs() < 1e-9].iloc[0]
    at_half = costs.loc[(costs["threshold"] - 0.5).abs() < 1e-9].iloc[0]
    share = metrics["threshold"]["offer_cost_share"]
    months = metrics["threshold"]["horizon_months"]
    parts = {"total_cost": "Итого", "cost_missed": "Пропущенные «Снизилась»", "cost_offers": "Предложения"}
    long = costs.melt(id_vars=["threshold", "offers", "recall", "precision", "missed", "false_alarms"],
                      value_vars=list(parts), var_name="part", value_name="cost")
    long["part_label"] = long["part"].map(parts)
    title = alt.Title(
        [f"Дешевле всего порог {number(chosen, 2)}: потери {number(at_chosen['total_cost'])} {MONEY_UNIT}",
         f"против {number(at_half['total_cost'])} при пороге 0,5"],
        subtitle=["Обучающая часть, прогнозы вне фолда.",
                  f"Пропуск «Снизилась» стоит его прибыли за {months} мес.;",
                  f"предложение — {percent(share, 0)} прибыли получателя за тот же срок",
                  "и удерживает каждого (верхняя граница).",
                  "Наведите курсор, чтобы увидеть числа для любого порога."], anchor="start")
    description = (f"Ожидаемые потери по порогу: минимум {number(at_chosen['total_cost'])} при пороге "
                   f"{number(chosen, 2)}, при 0,5 — {number(at_half['total_cost'])}; никому не предлагать — "
                   f"{number(costs['total_cost'].iloc[-1])}, всем — {number(costs['total_cost'].iloc[0])}")
    hover = alt.selection_point(name="hover", on="pointerover", nearest=True, fields=["threshold"], empty=False,
                                clear="pointerout")
    colors = alt.Color("part_label:N", title=None, sort=list(parts.values()), scale=alt.Scale(
        domain=list(parts.values()), range=[palette.INK, palette.DROP, palette.MONEY_OUT]), legend=alt.Legend(orient="top"))
    x = alt.X("threshold:Q", title="Порог вероятности «Снизилась»", scale=alt.Scale(domain=[0, 1]),
              axis=alt.Axis(format=".0%"))
    cost_title = f"Потери, {MONEY_UNIT} за {months} мес."
    lines = alt.Chart(long).mark_line().encode(
        x=x, y=alt.Y("cost:Q", title=cost_title), color=colors,
        strokeWidth=alt.condition("datum.part == 'total_cost'", alt.value(3), alt.value(1.5)))
    tooltip = [alt.Tooltip("threshold:Q", title=THRESHOLD_TITLE, format=".2f"),
               alt.Tooltip("total_cost:Q", title=f"Потери итого, {MONEY_UNIT}", format=",.0f"),
               alt.Tooltip("cost_missed:Q", title=f"из них пропуски, {MONEY_UNIT}", format=",.0f"),
               alt.Tooltip("cost_offers:Q", title=f"из них предложения, {MONEY_UNIT}", format=",.0f"),
               alt.Tooltip("offers:Q", title="Предложений, покупателей"),
               alt.Tooltip("missed:Q", title="Пропущено «Снизилась», покупателей"),
               alt.Tooltip("recall:Q", title="Полнота", format=".1%"),
               alt.Tooltip("precision:Q", title="Точность", format=".1%")]
    selectors = alt.Chart(costs).mark_rule(color=palette.CONTEXT).encode(
        x=x, opacity=alt.condition(hover, alt.value(0.6), alt.value(0)), tooltip=tooltip).add_params(hover)
    dots = alt.Chart(costs).mark_point(filled=True, size=50, color=palette.INK).encode(
        x=x, y=alt.Y("total_cost:Q", title=cost_title), opacity=alt.condition(hover, alt.value(1), alt.value(0)))
    marks = pd.DataFrame({"threshold": [chosen, 0.5], "label": [f"выбран {number(chosen, 2)}", "0,5"]})
    rules = alt.Chart(marks).mark_rule(strokeDash=[5, 4]).encode(
        x="threshold:Q", color=alt.value(palette.REFERENCE), tooltip=[alt.Tooltip("label:N", title="Порог")])
    labels = [alt.Chart(marks.iloc[[row]]).mark_text(align="left", dx=4, y=4 + 14 * row, baseline="top",
                                                     color=palette.REFERENCE).encode(x="threshold:Q", text="label:N")
              for row in range(len(marks))]
    return alt.layer(lines, selectors, dots, rules, *labels, title=title, description=description).properties(
        width="container", height=320, autosize=FIT_WIDTH)


def permutation_importance_chart(importance: pd.DataFrame, useless: list[str], below: float) -> alt.LayerChart:
    """ROC-AUC lost when each input column is shuffled on held-out folds, with ± one std;
    `useless` (the columns the model leaves out, importance under `below`) in grey."""
    data = importance.assign(low=importance["importance"] - importance["std"],
                             high=importance["importance"] + importance["std"],
                             useless=importance["feature"].isin(useless))
    top = data.iloc[:3]
    title = alt.Title(
        ["Модель опирается прежде всего на " + ", ".join(f"«{label}»" for label in top["label"])],
        subtitle=[f"Сколько ROC-AUC теряет ансамбль на проверочных фолдах, если перемешать один признак. "
                  f"Серые — меньше {number(below, 3)}:",
                  "их модель может не видеть" + (": " + ", ".join(
                      f"«{label}»" for label in data.loc[data["useless"], "label"]) if data["useless"].any() else "")],
        anchor="start")
    description = "Важность признаков перестановкой (потеря ROC-AUC): " + "; ".join(
        f"{row.label} {number(row.importance, 4)}" for row in data.itertuples())
    y = alt.Y("label:N", title=None, sort=data["label"].tolist(), axis=alt.Axis(labelLimit=300))
    bars = alt.Chart(data).mark_bar().encode(
        y=y, x=alt.X("importance:Q", title="Потеря ROC-AUC при перемешивании признака"),
        color=alt.condition("datum.useless", alt.value(palette.FADED), alt.value(palette.INK)),
        tooltip=[alt.Tooltip("label:N", title="Признак"), alt.Tooltip("importance:Q", title="Потеря ROC-AUC", format=".4f"),
                 alt.Tooltip("std:Q", title="Ст. отклонение потери ROC-AUC", format=".4f"),
                 alt.Tooltip("folds_positive:Q", title="Доля фолдов, где признак помог", format=".0%")])
    errors = alt.Chart(data).mark_rule(color=palette.CONTEXT).encode(y=y, x="low:Q", x2="high:Q")
    return alt.layer(bars, errors, title=title, description=description).properties(
        width="container", height=22 * len(data), autosize=FIT_WIDTH)


def select_k_best_chart(select: pd.DataFrame, family_label: str) -> alt.LayerChart:
    """Grouped-CV ROC-AUC when only the k columns with the largest ANOVA F are kept."""
    data = select.assign(low=select["cv_mean"] - select["cv_std"], high=select["cv_mean"] + select["cv_std"])
    best = data.sort_values(["cv_mean", "k"], ascending=[False, True]).iloc[0]
    every = data.iloc[-1]
    title = alt.Title(
        [f"Отбор по F-критерию ничего не выигрывает: лучше всего все {number(every['k'])} "
         f"{plural(every['k'], 'столбец', 'столбца', 'столбцов')}"
         if best["k"] == every["k"] else
         f"Лучше всего k = {number(best['k'])} из {number(every['k'])} столбцов: "
         f"{number(best['cv_mean'], 3)} против {number(every['cv_mean'], 3)}"],
        subtitle=[f"{family_label}: ROC-AUC в групповой перекрёстной проверке,",
                  "если оставить k столбцов с наибольшим F (SelectKBest); полоса — ± ст. отклонение."],
        anchor="start")
    description = "ROC-AUC по числу отобранных столбцов: " + "; ".join(
        f"k={row.k}: {number(row.cv_mean, 3)}" for row in data.itertuples())
    x = alt.X("k:Q", title="Сколько закодированных столбцов оставлено (k)")
    band = alt.Chart(data).mark_area(opacity=0.2, color=palette.INK).encode(x=x, y="low:Q", y2="high:Q")
    line = alt.Chart(data).mark_line(point=True, color=palette.INK).encode(
        x=x, y=alt.Y("cv_mean:Q", title="ROC-AUC", scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("k:Q", title="k, столбцов"), alt.Tooltip("cv_mean:Q", title="ROC-AUC", format=".4f"),
                 alt.Tooltip("cv_std:Q", title="Ст. отклонение ROC-AUC", format=".4f")])
    return alt.layer(band, line, title=title, description=description).properties(
        width="container", height=240, autosize=FIT_WIDTH)
