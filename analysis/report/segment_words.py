"""The sentences of the «Сегменты и предложения» chapter and the home page whose wording depends
on the data: each one a tested function, so the chapter holds no conditional prose, lambda or
threshold of its own (issue 14).

Inputs are the results of `segments.build_segment_results` (segments.json, segment_summary.csv,
segment_comparison.csv, segment_drivers.csv) and campaign.json. Money is in units.MONEY.
Every function returns non-empty text: an inline expression that comes out empty shows its
code under Quarto.
"""

from __future__ import annotations

import pandas as pd

from . import units
from .campaign_text import customers_text
from .formatting import number, percent
from .glossary import MarkdownText
from .segment_tables import median_text

# Between the promo-hunter cut and this share, a two-humped distribution of the share of
# promo purchases has (almost) nobody: the gap the cut sits in.
PROMO_GAP_TOP = 0.8
# At most this share of customers inside the gap for it to count as a real gap.
PROMO_GAP_EMPTY = 0.01
# A segment's mean forecast within this many percentage points (as a share) of its observed
# share of «Снизилась» counts as matching.
CALIBRATED_GAP = 0.1


def of_segment(frame: pd.DataFrame, segment: str) -> pd.DataFrame:
    """The rows of a per-segment results table (column `segment`) for one segment, renumbered."""
    return frame.loc[frame["segment"] == segment].reset_index(drop=True)


def quoted_list(labels: pd.Series | list[str]) -> str:
    """«a», «b», «c» — or «—» when there is none (a sentence never ends on an empty list)."""
    return ", ".join(f"«{label}»" for label in labels) or "—"


def profit_cut_text(profit_cut: float, checked_unimodal: bool) -> str:
    """Why the profit cut is the median. `checked_unimodal`: the data are the reference export,
    whose profit distribution was checked to have one peak (no natural gap to cut at)."""
    reason = ("Её распределение одновершинное, естественного разрыва нет, поэтому граница — медиана"
              if checked_unimodal else "Граница — медиана")
    return (f"{reason}, {number(profit_cut, 2)} {units.MONEY_PER_MONTH}: две равные половины, каждая "
            "достаточно велика, чтобы на ней действовать и проверять.")


def promo_gap_text(promo_shares: pd.Series, hunter_share: float, gap_top: float = PROMO_GAP_TOP) -> str:
    """Whether the promo-hunter cut sits in a real gap of the distribution of promo shares.

    A real gap: under PROMO_GAP_EMPTY of the customers strictly between `hunter_share` and
    `gap_top`, and between 5 % and 95 % of them at or above the cut (two humps, not one tail).
    """
    in_gap = int(((promo_shares > hunter_share) & (promo_shares < gap_top)).sum())
    above = float((promo_shares >= hunter_share).mean())
    two_humps = in_gap < PROMO_GAP_EMPTY * len(promo_shares) and 0.05 <= above <= 0.95
    between = (f"{number(hunter_share, 1)} и {number(gap_top, 1)}")
    counted = f"{customers_text(in_gap)} ({percent(in_gap / len(promo_shares))})"
    if two_humps:
        return f"Эта граница — настоящий разрыв: распределение доли двугорбое, между {between} лишь {counted}."
    return f"Естественного разрыва здесь нет: между {between} — {counted}."


def risk_calibration_text(high_risk: pd.DataFrame, tolerance: float = CALIBRATED_GAP) -> str:
    """Does the mean forecast of the high-risk segments match their observed share of «Снизилась»?

    `high_risk`: rows of segment_summary with `drop_share` and `mean_risk`.
    """
    matches = (high_risk["drop_share"] - high_risk["mean_risk"]).abs().max() <= tolerance
    lead = ("Риску модели можно верить и на уровне сегментов" if matches else
            "На уровне сегментов риск модели заметно расходится с фактом")
    return (f"{lead}: в двух сегментах высокого риска уже «Снизилась» активность у "
            f"{_percent_span(high_risk['drop_share'])} покупателей при среднем прогнозе "
            f"{_percent_span(high_risk['mean_risk'])}")


def _percent_span(shares: pd.Series) -> str:
    """«84 %–86 %», or «61 %» when both ends round to the same whole percent."""
    low, high = str(percent(shares.min(), 0)), str(percent(shares.max(), 0))
    return low if low == high else f"{low}–{high}"


def biggest_difference_text(comparison: pd.DataFrame, drivers: pd.DataFrame) -> str:
    """The segment's largest difference from the rest, and whether the model names the same feature
    among the three largest reasons for its risk.

    `comparison`: the segment's rows of segment_comparison (largest effect first); `drivers`: its
    rows of segment_drivers (`feature`, `label`, `mean_shap_group`, a share of probability).
    """
    biggest = comparison.iloc[0]
    if biggest["kind"] == "number":
        difference = (f"«{biggest['label']}»: медиана {median_text(biggest['group_value'])} против "
                      f"{median_text(biggest['rest_value'])} у остальных")
    else:
        difference = (f"«{biggest['label']}» = «{biggest['level']}»: {percent(biggest['group_value'])} "
                      f"против {percent(biggest['rest_value'])} у остальных")
    shap_of = drivers.set_index("feature")["mean_shap_group"]
    top = drivers.loc[drivers["mean_shap_group"].idxmax()]
    if shap_of.get(biggest["feature"], 0) > 0 and biggest["feature"] in shap_of.nlargest(3).index:
        reason = (f"Этот же признак модель называет одной из главных причин риска: в среднем он добавляет "
                  f"{number(shap_of[biggest['feature']] * 100, 1)} процентного пункта к вероятности снижения.")
    else:
        reason = (f"Главной причиной риска модель при этом называет «{top['label']}» (в среднем "
                  f"{number(top['mean_shap_group'] * 100, 1)} процентного пункта к вероятности снижения).")
    return f"Сильнее всего сегмент отличается по признаку {difference}. {reason}"


def hunters_text(hunters: pd.Series, hunter_share: float, drivers: pd.DataFrame, engagement_too: bool) -> str:
    """The promo hunters in one paragraph: size, observed and forecast risk, profit at stake, and
    whether the share of promo purchases is their main reason for risk.

    `hunters`: their row of segment_summary; `drivers`: their rows of segment_drivers;
    `engagement_too`: the reference data, where the hunters' next reasons were checked to be the
    same weak engagement as the priority segment's. Markdown (the segment's name in bold), so
    the page shows the bold, not its asterisks.
    """
    if not hunters["customers"]:
        return MarkdownText("**Охотники за акциями** — в этих данных таких покупателей нет.")
    text = (f"**Охотники за акциями** — {customers_text(hunters['customers'])}; у "
            f"{percent(hunters['drop_share'], 0)} из них активность уже снизилась (средний прогноз — "
            f"{percent(hunters['mean_risk'], 0)}), на них — {number(hunters['profit_at_stake'])} {units.MONEY} "
            f"под риском. Сегмент задан долей покупок по акции (от {percent(hunter_share, 0)}), поэтому по ней "
            "он с остальными не сравнивается.")
    if drivers.empty:
        return MarkdownText(text)
    top = drivers.loc[drivers["mean_shap_group"].idxmax()]
    if top["feature"] != "promo_share":
        return MarkdownText(f"{text} Главная причина их риска — «{top['label']}»; предложение каждому — по "
                            "его собственной причине.")
    return MarkdownText(f"{text} Именно эта доля — их главная причина риска: их держит цена, и персональный "
                        "промокод и ранний доступ к акциям отвечают на это напрямую"
                        + (", а подборка и напоминание о корзине — на ту же слабую вовлечённость, что и у "
                           "приоритетного сегмента." if engagement_too else "."))


def segment_list(summary: pd.DataFrame) -> str:
    """A markdown list, one item per segment of segment_summary: size, mean risk, profit at stake."""
    return "\n".join(f"- **{row.label}** — {customers_text(row.customers)} ({percent(row.share)}), средний "
                     f"риск {percent(row.mean_risk)}, под риском {number(row.profit_at_stake)} {units.MONEY}"
                     for row in summary.itertuples())


def recommendation_text(plan: dict, priority_label: str) -> str:
    """What the defaults lead to, in one sentence: an experiment on the priority segment, or whom it pays for."""
    if plan["nobody_pays_at_defaults"]:
        return f"предложение не окупается ни у кого, поэтому рекомендация — эксперимент на сегменте «{priority_label}»"
    return f"предложение окупается у {customers_text(plan['totals']['paying']['customers'])}"
