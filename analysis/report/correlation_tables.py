"""great-tables tables of the «Связи признаков» chapter (02-correlation.qmd): VIF and the drop-one evidence."""

from __future__ import annotations

import pandas as pd
from great_tables import GT, loc, md, style

from .formatting import number, signed
from .model_tables import _decimal_comma, _folds


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
