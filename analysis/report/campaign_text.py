"""The site's sentences about the campaign, from campaign.json: what to do, what it costs, how to read the test.

Every sentence whose wording depends on the figures is built here (and tested), so the
home page, the segments chapter and the planner say the same thing in the same words.
Money is in units.MONEY (the export's own units); «вероятность снижения активности», never «ухода».
"""

from __future__ import annotations

import math

import pandas as pd

from .formatting import counted, number, percent, plural
from .units import MONEY as MONEY_UNIT


def money_unit_source(revenue_per_profit: float) -> str:
    """Why money is shown in the export's own units (units.MONEY): the source says nothing, and the data rule out «тыс. руб.».

    `revenue_per_profit` is the customers' total monthly revenue over their total monthly profit.
    """
    times = plural(round(revenue_per_profit), "раз", "раза", "раз")
    return ("Прибыль в money.csv и выручка в market_money.csv даны без единиц, и ни один источник не называет "
            f"валюту или масштаб. Выручка покупателей в сумме в {number(revenue_per_profit)} {times} больше их прибыли, поэтому "
            "прибыль в тысячах рублей при выручке в рублях невозможна. Суммы показаны в условных единицах "
            "выгрузки: их можно сравнивать между собой, но не с рублями.")


def with_words(document: dict) -> dict:
    """campaign.json as build-results writes it: the campaign's document (campaign.build_campaign) with
    the sentence on the money unit among the assumptions (`money_unit_source`)."""
    assumptions = {**document["assumptions"], "money_unit_source": money_unit_source(document["revenue_per_profit"])}
    return {**document, "assumptions": assumptions}


# The point of the gains curve the planner page reads out: a budget for about a third of the customers.
GAINS_READ_AT = 0.3


def gains_point(curve: pd.DataFrame, share: float = GAINS_READ_AT) -> pd.Series:
    """The row of campaign_gains.csv whose share of customers targeted is nearest `share`."""
    return curve.iloc[(curve["share_targeted"] - share).abs().argmin()]


def gains_text(curve: pd.DataFrame) -> str:
    """How much of the drop the top of the risk ranking holds, in words a director reads."""
    point = gains_point(curve)
    return (f"Если бюджет позволяет связаться только с частью покупателей, выбирайте тех, у кого риск выше: "
            f"{percent(point['share_targeted'], 0)} покупателей с самым высоким риском "
            f"({number(point['customers'])} человек) — это {percent(point['gains'], 0)} всех, чья активность "
            f"снизилась; среди них снизивших {percent(point['precision'], 0)}, а среди всех покупателей — "
            f"{percent(point['drop_share'], 0)}.")


def customers_text(count: int) -> str:
    return counted(count, "покупатель", "покупателя", "покупателей")


def segment_row(document: dict, segment: str) -> dict:
    return next(row for row in document["segments"] if row["segment"] == segment)


def defaults_text(document: dict) -> str:
    """«эффект 20 %, цена 30 % прибыли получателя за 3 мес.» — the default assumptions in words."""
    default = document["assumptions"]["default"]
    fixed = f" плюс {number(default['cost_fixed'], 2)} {MONEY_UNIT}" if default["cost_fixed"] else ""
    return (f"эффект {percent(default['effect'], 0)}, цена {percent(default['cost_share'], 0)} прибыли "
            f"получателя за {number(document['horizon_months'])} мес.{fixed}")


def verdict(document: dict) -> str:
    """The first thing to say about the money: does anyone pay at the defaults, and if not, when would they."""
    if not document["nobody_pays_at_defaults"]:
        paying = document["totals"]["paying"]
        return (f"При допущениях по умолчанию ({defaults_text(document)}) предложение окупается у "
                f"{customers_text(paying['customers'])}: ожидаемый итог "
                f"{number(paying['net'])} {MONEY_UNIT} за {number(document['horizon_months'])} мес.")
    rows = [row for row in document["segments"] if row["segment"] != "total" and row["with_offer"]]
    conditions = "; ".join(f"«{row['label']}» — при эффекте от {percent(row['break_even_effect'], 0)} "
                           f"или при цене до {percent(row['break_even_cost_share'], 0)} прибыли"
                           for row in rows if row["break_even_effect"] is not None)
    default = document["assumptions"]["default"]
    reason = ("эффект по умолчанию меньше цены, так что даже у покупателя с вероятностью снижения активности "
              "100 % предложение сохранит меньше, чем стоит" if default["effect"] <= default["cost_share"] else
              "ни у кого вероятность снижения активности не настолько высока, чтобы предложение окупилось")
    return (f"При допущениях по умолчанию ({defaults_text(document)}) предложение не окупается ни у одного "
            f"покупателя: {reason}. Предложения окупились бы: {conditions}.")


def experiment_text(document: dict) -> str:
    """Who is in the test, the split, the effect it is sized for and whether there are enough customers."""
    design = document["experiment"]
    if design["plan"] is None:
        return "Эксперимент не рассчитан: при этих ценах предложение не окупается ни при каком эффекте."
    plan = design["plan"]
    enough = ("покупателей хватает" if design["feasible"] else
              f"покупателей не хватает (нужно {customers_text(plan['total_needed'])})")
    return (f"{customers_text(design['customers'])}: {number(design['offer_group'])} получают предложение, "
            f"{number(design['control_group'])} ({percent(design['control_share'], 0)}) — контрольная группа "
            f"без предложения, выбранная случайно внутри сегмента. Тест рассчитан на эффект безубыточности "
            f"{percent(design['break_even_effect'], 1)} (доля снизивших активность — с "
            f"{percent(plan['baseline_drop_share'], 0)} до {percent(plan['treated_drop_share'], 0)}) при уровне "
            f"значимости {number(design['alpha'], 2)} и мощности {percent(design['power'], 0)}: {enough}. "
            + ("Группы равные: так тест точнее всего, а каждое отправленное предложение при допущениях по "
               "умолчанию — ожидаемый убыток." if document["basis"] == "experiment" else
               "Контрольная доля — наименьшая, при которой тест это заметит: без окупающегося предложения "
               "остаётся как можно меньше покупателей."))


def experiment_limits(document: dict) -> str:
    """What the test can and cannot show at the available numbers."""
    design = document["experiment"]
    if design["plan"] is None:
        return ""
    can = (f"Тест покажет, есть ли у предложения эффект размером с точку безубыточности: эффект от "
           f"{percent(design['minimum_detectable_effect'], 0)} он отличит от нулевого.")
    distinguishable = design["distinguishable_effect"]
    cannot = ("Доказать, что эффект выше точки безубыточности, на этих числах тест не сможет ни при каком эффекте."
              if distinguishable is None or distinguishable >= 1 else
              f"Но отличить окупающееся предложение от работающего «в ноль» он сможет, только если эффект не "
              f"меньше {percent(distinguishable, 0)}; эффект между {percent(design['break_even_effect'], 0)} и "
              f"{percent(distinguishable, 0)} останется неразличимым с безубыточным.")
    return (f"{can} {cannot} Прибыль на покупателя сравнивайте как вторую метрику: на неё размер теста "
            "не рассчитан.")


def reading_text(document: dict) -> str:
    """How to read the result after the horizon."""
    months = number(document["read_after_months"])
    break_even = document["experiment"]["break_even_effect"]
    if break_even is None or math.isnan(break_even):
        return ""
    return (f"Через {months} мес. разметьте активность тех же покупателей так же, как в этой выгрузке, и "
            f"сравните долю «Снизилась» в двух группах. Эффект = 1 − доля в группе предложения / доля в "
            f"контрольной группе, с 95 % доверительным интервалом. Если нижняя граница интервала выше "
            f"{percent(break_even, 0)}, предложение окупается — распространяйте на весь сегмент; если верхняя "
            f"граница ниже {percent(break_even, 0)} — не окупается, остановите; если интервал накрывает "
            f"{percent(break_even, 0)}, повторите тест на новых покупателях сегмента и объедините результаты.")


def experiment_paragraphs(document: dict) -> str:
    """The experiment in markdown paragraphs: who is in it, what it can and cannot show, how to read
    it. A paragraph that does not apply (no plan, no break-even) is left out, never left empty."""
    parts = [experiment_text(document), experiment_limits(document)]
    reading = reading_text(document)
    if reading:
        parts.append(f"**Как читать результат.** {reading}")
    return "\n\n".join(part for part in parts if part)


def numbered(items: list[str]) -> str:
    """A markdown numbered list, one item per line."""
    return "\n".join(f"{position}. {item}" for position, item in enumerate(items, 1))


def monday_actions(document: dict, priority_offer: str, planner_link: str, list_link: str) -> list[str]:
    """The two or three things to do this week, each with its numbers (markdown items)."""
    design, priority = document["experiment"], segment_row(document, document["priority_segment"])
    targeted = document["totals"]["targeted"]
    whom = (f"**Запустить эксперимент на сегменте «{document['priority_label']}».** "
            f"{customers_text(targeted['customers'])} из [списка]({list_link}): "
            f"{number(targeted['offer_group'])} получают своё персональное предложение (чаще всего "
            f"«{priority_offer}»), {number(targeted['control_group'])} — контрольная группа, которой ничего не "
            "отправляют." if document["nobody_pays_at_defaults"] else
            f"**Отправить предложения {customers_text(targeted['customers'])} из [списка]({list_link})**, у "
            f"которых ожидаемый эффект положителен ({number(targeted['offer_group'])} — группа предложения, "
            f"{number(targeted['control_group'])} — контрольная).")
    pays = (f"**Знать, какой эффект нужен.** Предложение этому сегменту окупается, только если снижает "
            f"вероятность снижения активности больше чем на {percent(priority['break_even_effect'], 0)} "
            f"(при цене {percent(document['assumptions']['default']['cost_share'], 0)} прибыли). Другие "
            f"допущения — в [планировщике]({planner_link}).")
    read = (f"**Через {number(document['read_after_months'])} мес. сравнить группы** и решить: распространять, "
            f"если эффект надёжно выше {percent(design['break_even_effect'], 0)}, иначе — нет.")
    return [whom, pays, read]
