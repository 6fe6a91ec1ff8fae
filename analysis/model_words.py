"""Sentences about the label, the model and its explanations whose wording depends on the numbers.

Each claim is made only when the figures support it: «лучше каждого семейства» needs a
paired advantage beyond the fold noise, «точно» needs exact contributions, «у порога»
says on which side of the threshold the customer is, and the label is named for what it
is — the customer's status now, measured in the same period as the features.
"""

from __future__ import annotations

import math

from .constants import POSITIVE_CLASS
from .explain import shap_text
from .formatting import NBSP, counted, number, percent
from .labels import TARGET

# A paired advantage counts as «better» only beyond this many standard errors and when it
# wins at least this share of the folds.
CLEAR_STANDARD_ERRORS = 2.0
CLEAR_SHARE_OF_FOLDS = 0.8


def label_note(model_table) -> str:
    """What the target is and what the model's risk is — for the home, model and segment pages.

    `model_table` is model_table.csv (its `activity` column is the label).
    """
    customers = len(model_table)
    dropped = int((model_table[TARGET] == POSITIVE_CLASS).sum())
    return (f"**Что такое «Снизилась».** Это текущий статус покупателя, измеренный за тот же период, "
            f"что и признаки: он уже известен для всех {number(customers)} покупателей модели, "
            f"у {number(dropped)} ({percent(dropped / customers, 0)}) активность уже снизилась. "
            "Риск модели — оценка по признакам, насколько покупатель похож на тех, у кого она снизилась; "
            "для обучающих покупателей он получен моделью, которая их не видела. Это не прогноз на "
            "следующие три месяца: такой прогноз даст `python -m analysis score` на данных следующего "
            "квартала, когда они появятся.")


def clearly_better(paired: dict) -> bool:
    """True if a paired fold-by-fold advantage (evaluation.paired_difference) is beyond the noise."""
    standard_error = paired["std"] / math.sqrt(paired["folds"])
    return (paired["mean"] > CLEAR_STANDARD_ERRORS * standard_error
            and paired["share_of_folds_higher"] >= CLEAR_SHARE_OF_FOLDS)


def versus_best_family(paired: dict, rival_text: str) -> str:
    """The chosen model against the best published family, claimed only as far as the folds allow."""
    wins = percent(paired["share_of_folds_higher"], 0)
    difference = ("+" if paired["mean"] >= 0 else "−") + number(abs(paired["mean"]), 4)
    if clearly_better(paired):
        return (f"Модель лучше лучшего семейства из опубликованных решений ({rival_text}): в среднем "
                f"{difference} ROC-AUC на тех же фолдах, выигрывает в {wins} фолдов")
    return (f"Модель не отличима от лучшего семейства из опубликованных решений ({rival_text}): разница "
            f"{difference} ROC-AUC на тех же фолдах (стандартное отклонение разницы {number(paired['std'], 4)}), "
            f"выигрывает в {wins} фолдов")


def decomposition_text(meta: dict) -> str:
    """How a prediction is split into contributions: «точно» only for exact contributions."""
    if meta.get("exact"):
        return ("точно: базовое значение плюс сумма вкладов равны показанному риску у каждого, и сами "
                "вклады — точные значения SHAP, а не оценка")
    return ("так, что базовое значение плюс сумма вкладов равны показанному риску у каждого; сами вклады — "
            "оценка по случайным перестановкам признаков, с погрешностью")


def borderline_text(probability: float, threshold: float) -> str:
    """«35,66 % — ниже порога 36 %»: as many decimals as it takes to show the side."""
    if probability == threshold:
        return f"{number(probability * 100, 2)}{NBSP}% — ровно на пороге"
    for digits in (0, 1, 2, 3, 4):
        shown, cut = round(probability * 100, digits), round(threshold * 100, digits)
        if (shown < cut) == (probability < threshold) and shown != cut:
            break
    side = "ниже" if probability < threshold else "не ниже"
    return (f"{number(probability * 100, digits)}{NBSP}% — {side} порога "
            f"{number(threshold * 100, max(0, digits if threshold * 100 != round(threshold * 100) else 0))}{NBSP}%")


def calibration_text(brier: dict, exact_contributions: bool, min_gain: float, estimator: str = "") -> str:
    """Whether a sigmoid calibration is applied, and the reason the numbers give.

    `brier` is metrics.json's; `exact_contributions`: the chosen model's contributions are
    exact (a sigmoid over it would make them approximate); `min_gain`: the Brier gain that
    calibration needs (model_stage.CALIBRATION_MIN_GAIN); `estimator` the explained model's
    name (explain.json): a member wrapped in CalibratedClassifierCV (an SVC's Platt scaling)
    is named, so the sentence never denies what the model contains.
    """
    member = (" Внутри модели `CalibratedClassifierCV` всё же есть: он даёт вероятности методу опорных "
              "векторов (масштабирование Платта) — это часть модели, а не калибровка её итоговой вероятности."
              if "CalibratedClassifierCV(SVC" in estimator else "")
    return _calibration_decision(brier, exact_contributions, min_gain) + member


def _calibration_decision(brier: dict, exact_contributions: bool, min_gain: float) -> str:
    raw, sigmoid = number(brier["train_oof_uncalibrated"], 3), number(brier["train_oof_sigmoid"], 3)
    if brier["calibrated"]:
        return (f"Калибровка сигмоидой (`CalibratedClassifierCV`) улучшила оценку вне фолда ({raw} → {sigmoid}) "
                "и применяется.")
    if exact_contributions and brier["train_oof_sigmoid"] <= brier["train_oof_uncalibrated"] - min_gain:
        return (f"Калибровка сигмоидой (`CalibratedClassifierCV`) не применяется: вне фолда она дала бы "
                f"{sigmoid} против {raw} без неё, но сделала бы вклады признаков приближёнными — модель "
                "выбрана ради точных вкладов.")
    return (f"Калибровка сигмоидой (`CalibratedClassifierCV`) её не улучшила ({sigmoid} против {raw}), "
            "поэтому не применяется.")


def selection_text(selection: dict, chosen: str, labels: dict) -> str:
    """Why the chosen model was chosen (model_stage.choose_model's record in metrics.json)."""
    best, exact = selection["best_by_mean"], selection["best_exact"]
    if chosen == best:
        tail = " Её вклады признаков точные (TreeSHAP)." if chosen == exact else ""
        return f"Выбрана модель с наибольшим средним — «{labels[chosen]}».{tail}"
    paired = selection["paired_best_minus_exact"]
    if chosen != exact or paired is None:
        return f"Выбрана модель «{labels[chosen]}»."
    return (f"Наибольшее среднее у «{labels[best]}», но она лучше «{labels[chosen]}» лишь на "
            f"{number(paired['mean'], 4)} ROC-AUC на тех же фолдах — меньше "
            f"{number(selection['max_standard_errors'], 0)} стандартных ошибок разницы "
            f"({number(paired['standard_error'], 4)}). При такой разнице выбрана «{labels[chosen]}»: её вклады "
            "признаков точные (TreeSHAP в пространстве вероятности), а не оценка по случайным перестановкам, "
            "поэтому главный признак и предложение покупателя не меняются от сборки к сборке.")


def nested_cv_text(nested: dict | None, reported_mean: float) -> str:
    """The honest figure of the whole selection (bench/nested_cv.py) next to the reported CV mean.

    The reported mean is called optimistic only when the nested figure is lower by more than
    the standard error of the nested folds; otherwise the selection did not measurably
    inflate it, and the sentence says that instead.
    """
    if nested is None:
        return ("Вложенная проверка всего выбора модели (`bench/nested_cv.py`) для этой сборки не запускалась: "
                "среднее выше — оценка выбранной модели на тех же фолдах, на которых её выбирали, и потому "
                "может быть слегка оптимистичной.")
    folds = nested["outer_splits"] * nested["outer_repeats"]
    standard_error = nested["nested_std"] / folds ** 0.5
    figures = (f"Вложенная проверка (`bench/nested_cv.py`: весь выбор — поиск, сравнение, правило выбора — "
               f"повторён внутри каждого из {number(folds)} внешних групповых фолдов) даёт "
               f"{number(nested['nested_mean'], 3)} ± {number(nested['nested_std'], 3)} против "
               f"{number(reported_mean, 3)} на фолдах выбора")
    if reported_mean - nested["nested_mean"] > standard_error:
        verdict = ": среднее на фолдах выбора оптимистично, честная оценка — вложенная."
    else:
        verdict = (": разница в пределах ошибки оценки, то есть выбор модели на тех же фолдах заметно не "
                   "завысил её качество.")
    return (figures + verdict + " Цифра записана в `bench/results/nested_cv.json` при запуске бенчмарка, а не "
            "при каждой сборке: он повторяет поиск моделей в каждом внешнем фолде.")


def agreement_text(meta: dict) -> str:
    """How often a customer's top driver and offer survive another seed (explain.json)."""
    if "top_driver_agreement_between_seeds" not in meta:
        return ""
    seeds = meta["seed_check"]["seeds"]
    return (f"Устойчивость проверена: все модели переобучены с другим зерном ({seeds[1]} вместо {seeds[0]}) и "
            f"объяснены заново — главный признак совпал у {percent(meta['top_driver_agreement_between_seeds'], 1)} "
            f"покупателей, предложение — у {percent(meta['offer_agreement_between_seeds'], 1)}.")


def chosen_model_name(chosen: dict, family_labels: dict[str, str]) -> str:
    """«Extra Trees (случайные деревья)», or for a soft vote «Ансамбль» (SVC + …): the chosen
    model as the prose names it, never empty (an empty inline value leaves its code on a
    Quarto page)."""
    name = f"«{chosen['label']}»"
    if len(chosen["members"]) > 1:
        name += " (" + " + ".join(family_labels[member] for member in chosen["members"]) + ")"
    return name


def explainer_method_text(meta: dict) -> str:
    """«Модель — … Объяснитель — …», then why no fast exact explainer (if one was not used) and how
    the sampled contributions were estimated (if they were sampled); explain.json's `meta`."""
    parts = [f"Модель — {meta['estimator']}. Объяснитель — {meta['explainer_text']}."]
    if meta.get("fallback_reason"):
        parts.append(f"Быстрые точные объяснители (линейный, деревья) не подходят: {meta['fallback_reason']}.")
    if meta.get("permutations"):
        parts.append(
            f"Фон — {counted(meta['background_size'], 'покупатель', 'покупателя', 'покупателей')}, выбранных с "
            "фиксированным зерном; на каждого покупателя — "
            f"{counted(meta['permutations'], 'случайный порядок', 'случайных порядка', 'случайных порядков')} "
            "признаков, каждый пройден в прямую и в обратную сторону. Сумма вкладов точна при любом числе "
            "порядков, а сами вклады — оценка: стандартная ошибка вклада из-за выбора фона в среднем "
            f"{shap_text(meta['mean_standard_error'], meta['output_space'])} (средний модуль вклада — "
            f"{shap_text(meta['mean_abs_shap'], meta['output_space'])}).")
    return " ".join(parts)
