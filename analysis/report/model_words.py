"""Sentences about the label, the model and its explanations whose wording depends on the numbers.

Each claim is made only when the figures support it: «лучше каждого семейства» needs a
paired advantage beyond the fold noise, «точно» needs exact contributions, «у порога»
says on which side of the threshold the customer is, and the label is named for what it
is — the customer's status now, measured in the same period as the features.
"""

from __future__ import annotations

import math

from ..constants import POSITIVE_CLASS
from .explain_words import shap_text
from .formatting import NBSP, counted, number, percent, plural, signed
from .glossary import MarkdownText
from ..data.labels import TARGET
from ..model.model_stage import EXACT_PREFERENCE_ROC_AUC

# A paired advantage counts as «better» only beyond this many standard errors and when it
# wins at least this share of the folds.
CLEAR_STANDARD_ERRORS = 2.0
CLEAR_SHARE_OF_FOLDS = 0.8


def label_note(model_table, features: str = "признаки") -> str:
    """What the target is and what the model's risk is — for the home, model and segment pages.

    `model_table` is model_table.csv (its `activity` column is the label); `features` is the
    word for the features as markdown, a glossary link where this is its first use on the page.
    """
    customers = len(model_table)
    dropped = int((model_table[TARGET] == POSITIVE_CLASS).sum())
    return MarkdownText(f"**Что такое «Снизилась».** Это текущий статус покупателя, измеренный за тот же период, "
            f"что и {features}: он уже известен для всех {number(customers)} покупателей модели, "
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
    difference = signed(paired["mean"], 4)
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
    return MarkdownText(_calibration_decision(brier, exact_contributions, min_gain) + member)


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
    """Why the chosen model was chosen: the part of model_stage.choose_model's rule that decided
    (`decided_by` in metrics.json's `selection`), in words."""
    best, decided_by = selection["best_by_mean"], selection["decided_by"]
    if decided_by in ("no_exact", "best_is_exact", "beats_exact"):
        tail = " Её вклады признаков точные (TreeSHAP)." if decided_by == "best_is_exact" else ""
        return f"Выбрана модель с наибольшим средним — «{labels[chosen]}».{tail}"
    paired = selection["paired_best_minus_exact"]
    if decided_by == "within_noise":
        size = (f"лишь на {number(paired['mean'], 4)} ROC-AUC на тех же фолдах — меньше "
                f"{number(selection['max_standard_errors'], 0)} стандартных ошибок разницы "
                f"({number(paired['standard_error'], 4)}), то есть в пределах шума")
    elif decided_by == "within_loss":
        size = (f"на {number(paired['mean'], 4)} ROC-AUC на тех же фолдах (больше "
                f"{number(selection['max_standard_errors'], 0)} стандартных ошибок разницы, "
                f"{number(paired['standard_error'], 4)}), но не больше {number(selection['max_roc_auc_loss'], 3)} — "
                "порога, которым отчёт готов заплатить за точные объяснения")
    else:
        raise ValueError(f"metrics.json selection: unknown decided_by {decided_by!r}")
    return (f"Наибольшее среднее у «{labels[best]}», но она лучше «{labels[chosen]}» {size}. Выбрана "
            f"«{labels[chosen]}»: её вклады признаков точные (TreeSHAP в пространстве вероятности), а не оценка "
            "по случайным перестановкам, поэтому главный признак и предложение покупателя не зависят от "
            "случайности объяснителя.")


def nested_cv_text(nested: dict | None, reported_mean: float) -> str:
    """The honest figure of the whole selection (bench/nested_cv.py) next to the reported CV mean.

    The reported mean is called optimistic only when the nested figure is lower by more than
    the standard error of the nested folds; otherwise the selection did not measurably
    inflate it, and the sentence says that instead.
    """
    if nested is None:
        return MarkdownText("Вложенная проверка всего выбора модели (`bench/nested_cv.py`) для этой сборки не запускалась: "
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
    return MarkdownText(figures + verdict + " Цифра записана в `bench/results/nested_cv.json` при запуске бенчмарка, а не "
            "при каждой сборке: он повторяет поиск моделей в каждом внешнем фолде.")


def agreement_text(meta: dict) -> str:
    """How often a customer's top driver and offer survive another seed (explain.json)."""
    if "top_driver_agreement_between_seeds" not in meta:
        return ""
    seeds, forest = meta["seed_check"]["seeds"], meta["seed_check"].get("forest")
    size = (f" Каждая модель — лес из {number(forest['trees'])} деревьев глубиной до {forest['max_depth']}: "
            "чем больше деревьев, тем меньше вклады зависят от случая." if forest else "")
    return (f"Устойчивость проверена: все модели переобучены с другим зерном ({seeds[1]} вместо {seeds[0]}) и "
            f"объяснены заново — главный признак совпал у {percent(meta['top_driver_agreement_between_seeds'], 1)} "
            f"покупателей, предложение — у {percent(meta['offer_agreement_between_seeds'], 1)}.{size}")


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


# Two ROC-AUC figures closer than this read as «the same» in prose (a copy pair's effect); the
# model choice uses the same margin as the ROC-AUC it gives up for exact contributions.
SAME_ROC_AUC = EXACT_PREFERENCE_ROC_AUC


def ranking_in_words(roc_auc: float) -> str:
    """ROC-AUC as the director reads it: «в 92 случаях из 100» the customer whose activity dropped
    gets the higher risk of a random pair (that is what ROC-AUC is, not an approximation)."""
    return (f"из двух покупателей — одного, чья активность снизилась, и одного с прежней — модель "
            f"ставит первого выше в {number(roc_auc * 100)} случаях из 100")


def straddling_copies_text(split: dict, test: dict, copy_customers: int, copy_groups: int) -> str:
    """Whether the prescribed split put copies (data chapter) on both sides, and what the test ROC-AUC is
    without their test half; ends the sentence «…группы не учитывает» (starts with «:» or «,»)."""
    straddling = len(split["straddling_copy_groups"])
    if not straddling:
        return ", но в этих данных ни одна группа копий не оказалась по разные стороны."
    forms = ("пара", "пары", "пар") if copy_customers == 2 * copy_groups else ("группа", "группы", "групп")
    these = ("этой " + forms[0][:-1] + "ы") if straddling == 1 else ("этих " + forms[2])
    same = abs(test["roc_auc_without_straddling"] - test["roc_auc"]) < SAME_ROC_AUC
    return (f": {counted(straddling, *forms)} копий {plural(straddling, 'оказалась', 'оказались', 'оказались')} "
            f"по разные стороны. Без тестовой половины {these} ROC-AUC на тесте — "
            f"{number(test['roc_auc_without_straddling'], 3)} ({number(test['ci_low_without_straddling'], 3)}–"
            f"{number(test['ci_high_without_straddling'], 3)}), то есть "
            f"{'копия ничего не подсказала' if same else 'копии заметно меняют оценку'}.")


def fold_noise_text(families) -> str:
    """The fold-to-fold spread against the gap between the five best models (model_families.csv)."""
    top5, noise = families.head(5)["cv_mean"], families["cv_std"].median()
    spread = top5.max() - top5.min()
    return (f"Разброс между фолдами (стандартное отклонение около {number(noise, 3)}) "
            f"{'больше' if noise > spread else 'меньше'}, чем разница между пятью лучшими моделями "
            f"({number(spread, 3)}).")


def out_of_fold_vs_test_text(test: dict, train_oof_roc_auc: float) -> str:
    """Whether the training part's out-of-fold ROC-AUC lies inside the test's confidence interval."""
    inside = test["ci_low"] <= train_oof_roc_auc <= test["ci_high"]
    return (f"Кривые теста и обучающей части (прогнозы вне фолда: каждый покупатель оценён моделью, которая его "
            f"не видела) {'идут рядом' if inside else 'расходятся'}: ROC-AUC вне фолда — "
            f"{number(train_oof_roc_auc, 3)}, {'внутри' if inside else 'вне'} доверительного интервала теста. "
            f"Средняя точность на тесте — {number(test['average_precision'], 3)}.")


def calibration_reading_text(gap: float, allowed_gap: float, brier: dict) -> str:
    """How far the probabilities are from the observed shares (model_charts.calibration_gap) and the Brier
    scores; «близки» only within `allowed_gap` (model_charts.CALIBRATION_GAP)."""
    close = gap <= allowed_gap
    return (f"Вероятности модели {'близки к фактическим долям' if close else 'заметно расходятся с фактическими долями'} "
            f"(вне фолда в среднем на {number(gap * 100, 1)} процентного пункта): оценка Брайера "
            f"{number(brier['test'], 3)} на тесте и {number(brier['train_oof'], 3)} вне фолда.")


def probability_reading_text(gap: float, allowed_gap: float, threshold: float) -> str:
    """Whether a risk can be read literally as a share, with the chosen threshold as the example."""
    verb = "можно" if gap <= allowed_gap else "лишь приблизительно можно"
    return (f"Вероятность {verb} читать буквально: «{number(threshold, 2)}» — это примерно "
            f"{percent(threshold, 0)} доля снизивших активность среди покупателей с таким риском.")


def engineered_features_text(engineering, family_labels: dict[str, str], reference: bool) -> str:
    """What the new features add (feature_engineering.csv): each idea's range against the fold noise,
    the used set's gain per ensemble model, and how weak that evidence is. `reference`: the data are
    the reference data on which the set was chosen (provenance.json)."""
    gains = engineering.query("variant == 'used'").set_index("family")["delta"]
    ideas = engineering.query("variant not in ['none', 'used']")
    used_labels, noise = ideas.query("used")["label"].unique(), engineering["cv_std"].median()
    pair = len(used_labels) == 2
    models = {2: "двух", 3: "трёх", 4: "четырёх"}.get(len(gains), number(len(gains)))
    all_gain = bool((gains > 0).all())
    weakness = (("прибавка меньше разброса между фолдами" if gains.max() < noise else "прибавка заметна не у всех моделей")
                if all_gain else f"у части моделей {'пара' if pair else 'набор'} даже снижает ROC-AUC")
    chosen_where = (f"и {'пара выбрана' if pair else 'набор выбран'} на тех же обучающих данных." if reference else
                    f"к тому же {'она выбрана' if pair else 'он выбран'} заранее, на эталонных данных "
                    "(analysis/model/model_features.py), а не на этих.")
    return (f"Новые признаки проверены так же честно — групповой перекрёстной проверкой на обучающей части, на "
            f"{models} моделях ансамбля. По отдельности каждая из {number(len(ideas['variant'].unique()))} "
            f"идей меняет ROC-AUC {'в пределах шума' if ideas['delta'].abs().max() <= noise else 'иногда больше шума'} — "
            f"от {signed(ideas['delta'].min())} до {signed(ideas['delta'].max())} (стандартное отклонение по фолдам "
            f"около {number(noise, 3)}). Модель использует {'пару' if pair else 'набор'} «{'» и «'.join(used_labels)}»: "
            f"вместе {'они прибавляют каждой модели ансамбля' if all_gain else 'они меняют ROC-AUC моделей ансамбля так'} — "
            + ", ".join(f"{family_labels[family]} {signed(gain)}" for family, gain in gains.items())
            + f". Это самый слабый вывод главы: {weakness}, {chosen_where}")


def unused_features_text(useless_labels: list[str], chosen_without: list[str], below: float) -> str:
    """Which features a permutation barely moves (cost below `below` ROC-AUC) and whether the chosen
    model drops them."""
    named = ", ".join(f"«{label}»" for label in useless_labels)
    if not useless_labels:
        return (f"Перемешивание любого признака стоит ансамблю не меньше {number(below, 3)} ROC-AUC, и модель "
                "использует все признаки.")
    if chosen_without:
        return (f"Признаки, перемешивание которых стоит меньше {number(below, 3)} ROC-AUC, выбранная модель не "
                f"использует: {named}.")
    return (f"Перемешивание {named} стоит ансамблю меньше {number(below, 3)} ROC-AUC; ансамбль без них — лишь "
            "кандидат, а выбранная модель использует все признаки.")


def select_k_best_text(select) -> str:
    """What SelectKBest's F-test selection gains (select_k_best.csv, one row per k, the last = all)."""
    best = select.sort_values(["cv_mean", "k"], ascending=[False, True]).iloc[0]
    every = select.iloc[-1]
    columns = number(select["columns"].iloc[0])
    if best["k"] == every["k"]:
        return MarkdownText(f"Отбор по F-критерию (`SelectKBest`) ничего не даёт: лучшее значение — {number(best['cv_mean'], 4)} "
                f"при k = {number(best['k'])} из {columns} закодированных столбцов.")
    noise = "в пределах шума" if best["cv_mean"] - every["cv_mean"] <= every["cv_std"] else "больше шума"
    return MarkdownText(f"Отбор по F-критерию (`SelectKBest`) выигрывает {noise}: лучшее значение — "
            f"{number(best['cv_mean'], 4)} при k = {number(best['k'])} из {columns} закодированных столбцов против "
            f"{number(every['cv_mean'], 4)} со всеми; модель обходится без отбора.")


def families_summary_text(families, cv: dict) -> str:
    """«Повторная … 5×10 …: Extra Trees 0,913 ± 0,021; …» — every family's CV mean and spread."""
    return (f"Повторная групповая перекрёстная проверка {cv['splits']}×{cv['repeats']} на обучающей части "
            "(ROC-AUC, среднее ± ст. отклонение): "
            + "; ".join(f"{row.label} {number(row.cv_mean, 3)} ± {number(row.cv_std, 3)}" for row in families.itertuples())
            + ".")
