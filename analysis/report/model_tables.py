"""great-tables tables of the «Модель» chapter (03-model.qmd), and the target callout, whose whole shape
depends on the results it sits beside (`target_callout`): a markdown string, so the chapter stays thin.
"""

from __future__ import annotations

import pandas as pd
from great_tables import GT, loc, md, style

from . import model_words, palette
from .formatting import number, signed


MODEL_ROLES = {"published": "есть в опубликованных решениях", "challenger": "претендент",
               "ensemble": "ансамбль"}
PARAM_NAMES = {"scaler": "масштаб", "members": "состав", "without": "без", "voting": "голосование"}


def _readable_params(text: str) -> str:
    for code, word in PARAM_NAMES.items():
        text = text.replace(f"{code}=", f"{word}=")
    return text.replace("voting=soft", "").replace("голосование=soft, ", "")


def _decimal_comma(frame: pd.DataFrame, columns: list[str], decimals: int) -> pd.DataFrame:
    return frame.assign(**{c: [str(number(v, decimals)) if pd.notna(v) else "—" for v in frame[c]] for c in columns})


def _folds(splits: int, repeats: int) -> str:
    return f"{splits}×{repeats}"


def model_families_table(families: pd.DataFrame, target: float) -> GT:
    """Every model family's winner side by side: CV mean ± std, worst fold, search score; best highlighted."""
    from ..model.modeling import COMPARISON_REPEATS, COMPARISON_SPLITS, SEARCH_REPEATS, SEARCH_SPLITS

    shown = families.assign(role=families["role"].map(MODEL_ROLES), params=families["params"].map(_readable_params))
    shown = _decimal_comma(shown, ["cv_mean", "cv_std", "cv_min", "search_mean"], 4)
    best = int(families["cv_mean"].idxmax())
    return (
        GT(shown[["label", "role", "cv_mean", "cv_std", "cv_min", "search_mean", "candidates", "params"]],
           rowname_col="label")
        .tab_header(title="Сравнение моделей: ROC-AUC в повторной групповой перекрёстной проверке",
                    subtitle=f"Лучшая выделена; цель — среднее не ниже {target:.2f}".replace(".", ","))
        .tab_stubhead(label="Модель")
        .tab_spanner(label=f"ROC-AUC, проверка {_folds(COMPARISON_SPLITS, COMPARISON_REPEATS)}",
                     columns=["cv_mean", "cv_std", "cv_min"])
        .cols_label(role="Семейство", cv_mean="Среднее", cv_std="Ст. откл.", cv_min="Худший фолд",
                    search_mean=f"ROC-AUC при подборе ({_folds(SEARCH_SPLITS, SEARCH_REPEATS)})",
                    candidates="Вариантов в сетке, шт.",
                    params="Лучшие параметры")
        .cols_align(align="right", columns=["cv_mean", "cv_std", "cv_min", "search_mean", "candidates"])
        .tab_style(style=[style.fill(color=palette.CHOSEN_FILL), style.text(weight="bold")], locations=loc.body(rows=[best]))
        .tab_style(style=[style.fill(color=palette.CHOSEN_FILL), style.text(weight="bold")], locations=loc.stub(rows=[best]))
        .tab_style(style=style.text(size="small"), locations=loc.body(columns="params"))
        .tab_options(table_font_size="90%", table_width="100%")
        .tab_source_note(md("Обучающая часть; копии покупателей всегда в одном фолде; "
                            "`downloads/model_families.csv`, `downloads/model_cv_folds.csv`"))
        .tab_source_note(md("«При подборе» — оценка лучшей точки сетки на фолдах самого подбора (оптимистична); "
                            "сравнение — на новых разбиениях с другими зёрнами."))
    )


def target_callout(metrics: dict, families: pd.DataFrame, copy_groups: int) -> str:
    """The model chapter's verdict on the target, as a markdown callout (a note when both parts of the
    target are met, else a warning). `metrics` is metrics.json, `families` model_families.csv (best
    first), `copy_groups` data_summary.json's count. Each clause is chosen by the numbers: whether the
    model beats the best published family and by how much against the fold noise, whether the best
    five models sit on one ceiling, and what ignoring the copies would have reported."""
    target, test, chosen = metrics["target"], metrics["test"], metrics["chosen"]
    paired, copies = chosen["paired_vs_best_published_family"], metrics["cv"]["copies_ignored"]
    rival, top5 = families.set_index("family").loc[chosen["best_published_family"]], families.head(5)["cv_mean"]
    noise = families["cv_std"].median()
    met = lambda flag: "достигнута" if flag else "не достигнута"
    both, neither = target["test_met"] and target["cv_met"], not (target["test_met"] or target["cv_met"])
    title = ("Цель достигнута" if both else "Цель не достигнута — и это честная цифра" if neither
             else "Цель достигнута наполовину — и это честная цифра")
    rival_text = f"«{rival['label']}», {number(rival['cv_mean'], 3)}"
    versus = model_words.versus_best_family(paired, rival_text)
    ceiling = (f": на этих данных сильные модели упираются в один потолок — у пяти лучших среднее от "
               f"{number(top5.min(), 3)} до {number(top5.max(), 3)}." if top5.max() - top5.min() < noise else ".")
    plain, grouped = copies["plain_mean"], copies["grouped_mean"]
    lead = ("Покупателей-копий в этих данных нет: в" if not copy_groups
            else "Цель легко «достичь», если забыть о покупателях-копиях: в" if plain >= target["cv_mean"] > grouped
            else "Без учёта копий оценка была бы выше: в" if plain > grouped else "Копии оценку не завышают: в")
    folds = "на тех же данных с копиями в одном фолде" if copy_groups else "на групповых фолдах — разница лишь в разбиении"
    return (f"::: {{.callout-{'note' if both else 'warning'}}}\n## {title}\n"
            f"Цель была: ROC-AUC на тесте не ниже {number(target['test_roc_auc'], 2)} — {met(target['test_met'])} "
            f"({number(test['roc_auc'], 3)}); среднее в повторной перекрёстной проверке не ниже "
            f"{number(target['cv_mean'], 2)} — {met(target['cv_met'])} ({number(chosen['cv_mean'], 3)}). "
            f"{versus}{ceiling} {lead} обычной перекрёстной проверке та же модель набирает {number(plain, 3)} против "
            f"{number(grouped, 3)} {folds}. Мы показываем вторую "
            "цифру: копии не попадают одновременно в обучение и проверку, а тест использован один раз.\n:::")


def engineered_features_table(engineering: pd.DataFrame) -> GT:
    """Each candidate feature's grouped-CV gain per reference model; the used ones marked."""
    from ..model.model_stage import EVIDENCE_REPEATS
    from ..model.modeling import COMPARISON_SPLITS, FAMILY_LABELS

    shown = engineering.assign(model=engineering["family"].map(FAMILY_LABELS),
                               value=[str(number(m, 4) if v == "none" else signed(d))
                                      for v, d, m in zip(engineering["variant"], engineering["delta"],
                                                         engineering["cv_mean"])])
    shown["row"] = [("✔ " if used and v != "none" else "") + label
                    for label, used, v in zip(shown["label"], shown["used"], shown["variant"])]
    wide = shown.pivot(index="row", columns="model", values="value")
    order = list(dict.fromkeys(shown["row"]))
    formulas = shown.drop_duplicates("row").set_index("row")["formula"].fillna("")
    wide = wide.loc[order].reset_index()
    wide.insert(1, "formula", formulas.loc[order].to_numpy())
    used_rows = [i for i, row in enumerate(order) if row.startswith("✔")]
    return (
        GT(wide, rowname_col="row")
        .tab_header(title="Какие новые признаки заслужили место в модели",
                    subtitle="Первая строка — ROC-AUC без новых признаков; ниже — прибавка от признака "
                             f"(групповая перекрёстная проверка {_folds(COMPARISON_SPLITS, EVIDENCE_REPEATS)})")
        .tab_stubhead(label="Признак")
        .tab_spanner(label="ROC-AUC модели (от 0 до 1) или его прибавка",
                     columns=[c for c in wide.columns if c not in ("row", "formula")])
        .cols_label(formula="Формула")
        .cols_align(align="right", columns=[c for c in wide.columns if c not in ("row", "formula")])
        .tab_style(style=style.text(weight="bold"), locations=loc.stub(rows=used_rows))
        .tab_style(style=style.text(size="small"), locations=loc.body(columns="formula"))
        .tab_options(table_font_size="90%", table_width="100%")
        .tab_source_note(md("✔ — признак используется моделью (`analysis/model/model_features.py`, `ENGINEERED_FEATURES`); "
                            "`downloads/feature_engineering.csv`"))
    )


def threshold_sensitivity_table(sensitivity: pd.DataFrame, chosen_share: float) -> GT:
    """The cost-minimising threshold for other prices of an offer (training part, out of fold)."""
    shown = sensitivity.assign(
        share=[f"{s:.0%}".replace(".", ",") for s in sensitivity["offer_cost_share"]],
        threshold_text=[f"{t:.2f}".replace(".", ",") for t in sensitivity["threshold"]],
        recall_text=[f"{r:.1%}".replace(".", ",") for r in sensitivity["recall"]],
        precision_text=[f"{p:.1%}".replace(".", ",") for p in sensitivity["precision"]])
    chosen = [i for i, s in enumerate(sensitivity["offer_cost_share"]) if abs(s - chosen_share) < 1e-9]
    return (
        GT(shown[["share", "threshold_text", "offers", "recall_text", "precision_text"]])
        .tab_header(title="Порог зависит от цены предложения",
                    subtitle="Обучающая часть, прогнозы вне фолда; выделено принятое допущение")
        .cols_label(share="Цена предложения, доля прибыли за горизонт", threshold_text="Лучший порог, вероятность (от 0 до 1)",
                    offers="Предложений, покупателей", recall_text="Найдено «Снизилась»", precision_text="Точность")
        .cols_align(align="right", columns=["share", "threshold_text", "offers", "recall_text", "precision_text"])
        .fmt_integer(columns="offers", sep_mark=" ")
        .tab_style(style=[style.fill(color=palette.CHOSEN_FILL), style.text(weight="bold")], locations=loc.body(rows=chosen))
        .tab_source_note(md("`analysis/constants.py`: `OFFER_COST_SHARE`, `HORIZON_MONTHS`; "
                            "`downloads/threshold_sensitivity.csv`"))
    )
