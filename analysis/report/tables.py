"""great-tables builders: DataFrame in, GT out, with title, source note and formats.

Also the two paragraphs whose whole shape depends on the results they sit beside
(`revenue_outlier_text`, `target_callout`): markdown strings, so the chapters stay thin
and the same wording holds on another period's data.
"""

from __future__ import annotations

import pandas as pd
from great_tables import GT, loc, md, style

from . import model_words, palette, units
from .formatting import counted, number, percent, plural, signed
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


# --- correlation and model tables (chapters 02-correlation.qmd, 03-model.qmd) ----------------------

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


def vif_gt(vif: pd.DataFrame, high: float) -> GT:
    """VIF of the table's numbers alone and with the engineered features added."""
    shown = vif.assign(kind=["новый признак" if e else "из таблицы" for e in vif["engineered"]])
    shown = _decimal_comma(shown, ["vif_table", "vif_model"], 1)
    flagged = [i for i, v in enumerate(vif["vif_model"]) if v >= high]
    return (
        GT(shown[["label", "kind", "vif_table", "vif_model"]], rowname_col="label")
        .tab_header(title="Коэффициент инфляции дисперсии (VIF) числовых признаков",
                    subtitle=f"Насколько признак линейно выражается через остальные; выше {high:.0f} — выделено")
        .tab_stubhead(label="Признак")
        .cols_label(kind="Откуда", vif_table="VIF (от 1): только признаки таблицы",
                    vif_model="VIF (от 1): с новыми признаками модели")
        .cols_align(align="right", columns=["vif_table", "vif_model"])
        .tab_style(style=style.text(weight="bold"), locations=loc.body(columns="vif_model", rows=flagged))
        .tab_source_note(md("VIF = 1 / (1 − R²) регрессии признака на остальные (statsmodels); "
                            "`downloads/vif.csv`"))
    )


def drop_evidence_table(drops: pd.DataFrame) -> GT:
    """Grouped-CV ROC-AUC with every column vs without one of a collinear pair, per model."""
    from ..model.model_stage import EVIDENCE_REPEATS
    from ..model.modeling import COMPARISON_SPLITS, FAMILY_LABELS

    shown = drops.assign(model=drops["family"].map(FAMILY_LABELS),
                         variant_label=[("все признаки" if v == "all" else f"без «{d}»")
                                        for v, d in zip(drops["variant"], drops["dropped"])],
                         value=[str(number(m, 4)) + ("" if v == "all" else f" ({signed(d)})")
                                for m, d, v in zip(drops["cv_mean"], drops["delta"], drops["variant"])])
    wide = shown.pivot(index="variant_label", columns="model", values="value")
    order = list(dict.fromkeys(shown["variant_label"]))
    wide = wide.loc[order].reset_index()
    return (
        GT(wide, rowname_col="variant_label")
        .tab_header(title="Что будет, если убрать один признак из коллинеарной пары",
                    subtitle=f"ROC-AUC в групповой перекрёстной проверке {_folds(COMPARISON_SPLITS, EVIDENCE_REPEATS)}; "
                             "в скобках — разница со «всеми признаками»")
        .tab_stubhead(label="Вариант")
        .tab_spanner(label="ROC-AUC (от 0 до 1) модели", columns=[c for c in wide.columns if c != "variant_label"])
        .cols_align(align="right", columns=[c for c in wide.columns if c != "variant_label"])
        .tab_options(table_font_size="90%")
        .tab_source_note(md(f"Стандартное отклонение по фолдам — около {number(drops['cv_std'].median(), 3)}; "
                            "`downloads/feature_drop.csv`"))
    )


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


def library_versions_table(versions: pd.DataFrame) -> GT:
    """The direct dependencies as installed when the site was built (requirements.txt pins all)."""
    return (
        GT(versions)
        .tab_header(title="Библиотеки при сборке", subtitle="Прямые зависимости из requirements.in")
        .cols_label(package="Пакет", version="Версия")
        .tab_style(style=style.text(font="monospace"), locations=loc.body(columns="version"))
        .tab_source_note(md("Все версии, включая транзитивные, закреплены в `requirements.txt`"))
    )
