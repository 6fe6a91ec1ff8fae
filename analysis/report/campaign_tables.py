"""Tables of the campaign: the assumptions, the economics per segment, the experiment (great-tables)."""

from __future__ import annotations

import pandas as pd
from great_tables import GT, loc, md, style

from . import campaign_text
from .units import MONEY as MONEY_UNIT
from .formatting import number, percent
from .segment_tables import HIGHLIGHT, _numbers, _percents


def assumptions_table(document: dict) -> GT:
    """Every assumption of the economics with its value and the reason for it."""
    default = document["assumptions"]["default"]
    rows = pd.DataFrame([
        {"what": "Горизонт", "value": f"{document['horizon_months']} мес.",
         "why": document["assumptions"]["horizon_source"]},
        {"what": "Эффект предложения", "value": percent(default["effect"], 0),
         "why": default["effect_source"]},
        {"what": "Цена предложения", "value": f"{percent(default['cost_share'], 0)} прибыли за горизонт",
         "why": default["cost_source"]},
        {"what": "Единицы сумм", "value": MONEY_UNIT,
         "why": campaign_text.money_unit_source(document["revenue_per_profit"])},
    ])
    return (GT(rows, rowname_col="what")
            .tab_header(title="Допущения экономической модели",
                        subtitle="Одни для всех предложений, пока магазин не измерит эффект и не назовёт цены")
            .cols_label(value="Значение", why="Почему так")
            .tab_options(table_font_size="90%", table_width="100%")
            .tab_source_note(md("`analysis/decide/economics.py`; все значения — в `downloads/campaign.json`")))


def segment_economics_table(document: dict) -> GT:
    """Per segment: offers to everyone with one under the defaults, the 100 % upper bound, break-even."""
    rows = pd.DataFrame([row for row in document["segments"] if row["with_offer"]])
    priority = rows.index[rows["segment"] == document["priority_segment"]].tolist()
    months = document["horizon_months"]
    gt = (GT(rows[["label", "with_offer", "paying", "all_profit_kept", "all_offer_cost", "all_net",
                   "upper_bound_net", "break_even_effect", "break_even_cost_share"]], rowname_col="label")
          .tab_header(title="Окупается ли предложение при допущениях по умолчанию",
                      subtitle=f"Если предложение получат все покупатели сегмента, у которых оно есть; "
                               f"суммы за {months} мес., {MONEY_UNIT}")
          .cols_label(with_offer="С предложением", paying="Окупается у", all_profit_kept="Сохранит",
                      all_offer_cost="Стоит", all_net="Итог", upper_bound_net="Итог при эффекте 100 % (верхняя граница)",
                      break_even_effect="Окупается при эффекте от", break_even_cost_share="…или при цене до")
          .tab_spanner(label="Покупателей", columns=["with_offer", "paying"])
          .tab_spanner(label=f"{MONEY_UNIT} за {months} мес.",
                       columns=["all_profit_kept", "all_offer_cost", "all_net", "upper_bound_net"])
          .fmt_integer(columns=["with_offer", "paying"], sep_mark="\u00a0"))
    gt = _percents(_numbers(gt, ["all_profit_kept", "all_offer_cost", "all_net", "upper_bound_net"], 0),
                   ["break_even_effect", "break_even_cost_share"], 1)
    return (gt.tab_style(style=HIGHLIGHT, locations=loc.body(rows=priority))
            .tab_style(style=HIGHLIGHT, locations=loc.stub(rows=priority))
            .tab_options(table_font_size="90%", table_width="100%")
            .tab_source_note(md("Ожидаемый эффект = вероятность снижения активности × эффект × горизонт × прибыль − "
                                "цена. Итог при эффекте 100 % — верхняя граница: предложение, удерживающее каждого. "
                                "`downloads/campaign.json`, `downloads/campaign.csv`")))


def _share(value: float | None) -> str:
    """A share as «43 %», or «не достижим» for none below 100 % (null in campaign.json)."""
    return percent(value, 0) if value is not None and value < 1 else "не достижим"


def experiment_design_table(document: dict) -> GT:
    """The experiment at a glance: groups, effect it is sized for, what it can detect."""
    design = document["experiment"]
    plan = design["plan"] or {}
    rows = pd.DataFrame([
        {"what": "Участников", "value": number(design["customers"])},
        {"what": "Группа предложения / контрольная", "value": f"{design['offer_group']} / {design['control_group']}"},
        {"what": "Эффект, на который рассчитан тест (безубыточность)",
         "value": percent(design["break_even_effect"], 1)},
        {"what": "Доля снизивших без предложения → при этом эффекте",
         "value": (f"{percent(plan['baseline_drop_share'], 0)} → {percent(plan['treated_drop_share'], 0)}"
                   if plan else "—")},
        {"what": "Нужно участников при этой контрольной доле",
         "value": number(plan["total_needed"]) if plan else "—"},
        {"what": "Наименьший эффект, который тест отличит от нуля",
         "value": _share(design["minimum_detectable_effect"])},
        {"what": "Наименьший эффект, который тест отличит от безубыточного",
         "value": _share(design["distinguishable_effect"])},
    ])
    return (GT(rows, rowname_col="what")
            .tab_header(title="Эксперимент со случайной контрольной группой",
                        subtitle=f"Уровень значимости {number(design['alpha'], 2)}, мощность "
                                 f"{percent(design['power'], 0)}, двусторонний тест двух долей")
            .cols_label(value="")
            .tab_options(table_font_size="90%", table_width="100%")
            .tab_source_note(md("statsmodels `NormalIndPower` (h Коэна); группы — в `downloads/action_list.csv` "
                                "и `downloads/action_list.xlsx`")))
