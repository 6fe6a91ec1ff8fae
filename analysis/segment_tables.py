"""Tables of the «Сегменты и предложения» chapter and the customer lookup page.

great-tables builders (DataFrame in, GT out, with title, source note and Russian
number formats), plus the lookup: a plain HTML table with a few lines of inline
JavaScript to search, filter and sort — it works from file:// with no network.
"""

from __future__ import annotations

import html
import json

import pandas as pd
from great_tables import GT, loc, md, style

from .display import HtmlBlock
from .formatting import number, percent, plural
from .segments import PRIORITY_SEGMENT

HIGHLIGHT = [style.fill(color="#FFE8D6"), style.text(weight="bold")]
SOURCE = "Прогнозы модели вне фолда (обучающая часть) и на тесте; прибыль — money.csv"


def p_text(value: float) -> str:
    """A p-value as a reader writes it: 0,012; 3·10⁻⁵⁴; «< 10⁻³⁰⁰» for zero."""
    if value >= 0.001:
        return number(value, 3)
    if value == 0:
        return "< 10⁻³⁰⁰"
    mantissa, exponent = f"{value:.0e}".split("e")
    power = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"10{power}" if mantissa == "1" else f"{mantissa}·10{power}"


def _numbers(gt: GT, columns: list[str], decimals: int) -> GT:
    return gt.fmt_number(columns=columns, decimals=decimals, sep_mark="\u00a0", dec_mark=",")


def _percents(gt: GT, columns: list[str], decimals: int = 1) -> GT:
    return gt.fmt_percent(columns=columns, decimals=decimals, sep_mark="\u00a0", dec_mark=",")


def segment_summary_table(summary: pd.DataFrame, horizon_months: int) -> GT:
    """Four risk × profit segments (they add up) and the promo hunters (who cut across them)."""
    shown = summary[["segment", "label", "kind", "customers", "share", "mean_risk", "drop_share",
                     "horizon_profit", "profit_at_stake", "share_of_at_stake"]]
    priority = shown.index[shown["segment"] == PRIORITY_SEGMENT].tolist()
    gt = (
        GT(shown.drop(columns="segment"), rowname_col="label", groupname_col="kind")
        .tab_header(title="Сегменты: кто они и сколько прибыли под риском",
                    subtitle=f"Прибыль и прибыль под риском — за {horizon_months} месяца, тыс. руб.; "
                             "приоритетный сегмент выделен")
        .cols_label(customers="Покупателей", share="Доля", mean_risk="Средний риск",
                    drop_share="Уже «Снизилась»", horizon_profit="Прибыль",
                    profit_at_stake="Под риском", share_of_at_stake="Доля риска")
        .fmt_integer(columns="customers", sep_mark="\u00a0")
    )
    gt = _numbers(_percents(gt, ["share", "mean_risk", "drop_share", "share_of_at_stake"]),
                  ["horizon_profit", "profit_at_stake"], 0)
    return (
        gt.tab_style(style=HIGHLIGHT, locations=loc.body(rows=priority))
        .tab_style(style=HIGHLIGHT, locations=loc.stub(rows=priority))
        .tab_options(table_font_size="90%", table_width="100%")
        .tab_source_note(md(f"{SOURCE}. Под риском = Σ вероятность × прибыль за {horizon_months} мес.; "
                            "четыре сегмента делят всех покупателей, охотники за акциями входят в них. "
                            "`downloads/segment_summary.csv`"))
    )


def comparison_table(comparison: pd.DataFrame, group_label: str, top: int = 10) -> GT:
    """The largest differences between a segment and the rest, with effect size and Holm p."""
    rows = comparison.head(top).copy()
    rows["name"] = [f"{label}: {level}" if isinstance(level, str) and level else label
                    for label, level in zip(rows["label"], rows["level"])]
    rows["measure"] = rows["effect_measure"].map({"Cliff's delta": "дельта Клиффа",
                                                  "share difference": "разница долей"})
    rows["what"] = rows["kind"].map({"number": "медиана", "category": "доля"})
    rows["p_text"] = rows["p_adjusted"].map(p_text)
    rows["verdict"] = rows["significant"].map({True: "да", False: "нет"})
    for column in ["group_value", "rest_value"]:
        rows[column] = [percent(v) if kind == "category" else number(v, 0 if float(v).is_integer() else 2)
                        for v, kind in zip(rows[column], rows["kind"])]
    return (
        _numbers(GT(rows[["name", "what", "group_value", "rest_value", "effect_size", "measure",
                          "p_text", "verdict"]], rowname_col="name"), ["effect_size"], 2)
        .tab_header(title=f"Чем «{group_label}» отличается от остальных покупателей",
                    subtitle=f"{min(top, len(comparison))} самых больших различий из {len(comparison)} "
                             f"{plural(len(comparison), 'сравнения', 'сравнений', 'сравнений')}")
        .tab_stubhead(label="Признак")
        .cols_label(what="Что сравниваем", group_value="В сегменте", rest_value="У остальных",
                    effect_size="Эффект", measure="Мера", p_text="p (Холм)", verdict="Значимо")
        .cols_align(align="right", columns=["group_value", "rest_value", "effect_size", "p_text"])
        .tab_options(table_font_size="90%", table_width="100%")
        .tab_source_note(md("Числа: медианы, тест Манна–Уитни, дельта Клиффа (−1…1); категории: доли, "
                            "точный тест Фишера, разница долей. p-значения скорректированы методом Холма "
                            "по всем сравнениям; значимо — p < 0,05. `downloads/segment_comparison.csv`"))
    )


def median_text(value: float) -> str:
    """A median for prose: whole numbers as they are, shares with two decimals, others with one
    (4 -> '4', 0.32 -> '0,32', 4.1 -> '4,1'): medians of 4.1 and 4.4 must not both print as '4'."""
    value = float(value)
    return number(value, 0 if value.is_integer() else 2 if abs(value) < 1 else 1)


def evidence_text(offer: pd.Series) -> str:
    """One offer's evidence in a sentence: the gap to the rest and the driver's mean SHAP."""
    if offer["effect_measure"] == "share difference":
        gap = (f"доля «{offer['level']}» {percent(offer['group_value'])} против "
               f"{percent(offer['rest_value'])} у остальных")
    else:
        gap = (f"медиана {median_text(offer['group_value'])} против "
               f"{median_text(offer['rest_value'])} у остальных, дельта Клиффа "
               f"{number(offer['effect_size'], 2)}")
    return (f"«{offer['label']}»: {gap}, p = {p_text(offer['p_adjusted'])}; средний вклад в риск "
            f"{number(offer['mean_shap_group'] * 100, 1)} п. п. (у остальных "
            f"{number(offer['mean_shap_rest'] * 100, 1)})")


def offers_gt(offers: pd.DataFrame, group_label: str) -> GT:
    """2–4 offers for one segment: what to do, why, and the evidence behind it."""
    shown = offers.assign(evidence=[evidence_text(row) for _, row in offers.iterrows()])
    return (
        GT(shown[["offer", "action", "evidence", "customers_with_offer"]], rowname_col="offer")
        .tab_header(title=f"Предложения для сегмента «{group_label}»",
                    subtitle="По убыванию среднего вклада признака в риск сегмента")
        .tab_stubhead(label="Предложение")
        .cols_label(action="Что делает маркетинг", evidence="Почему: разрыв с остальными и вклад в риск",
                    customers_with_offer="Главный повод у покупателей с высоким риском")
        .fmt_integer(columns="customers_with_offer", sep_mark="\u00a0")
        .tab_style(style=style.text(size="small"), locations=loc.body(columns="evidence"))
        .tab_options(table_font_size="90%", table_width="100%")
        .tab_source_note(md("Вклад в риск — средний SHAP признака в вероятность «Снизилась», "
                            "процентные пункты; без согласия на рассылку то же предложение — на сайте. "
                            "`downloads/segment_offers.csv`"))
    )


def experiment_table(options: pd.DataFrame) -> GT:
    """Who could test the priority offer: size needed vs size available, and what it can detect."""
    shown = options.assign(verdict=options["feasible"].map({True: "хватает", False: "не хватает"}))
    feasible = shown.index[shown["feasible"]].tolist()
    gt = (
        GT(shown[["label", "segment_size", "baseline_drop_share", "total_needed", "verdict",
                  "minimum_detectable_uplift", "horizons_to_enrol"]], rowname_col="label")
        .tab_header(title="Сколько покупателей нужно эксперименту",
                    subtitle="Половина получает предложение, половина — нет (случайно)")
        .tab_stubhead(label="Кто участвует")
        .cols_label(segment_size="Есть", baseline_drop_share="Риск без предложения",
                    total_needed="Нужно", verdict="Итог",
                    minimum_detectable_uplift="Заметный эффект при этом размере",
                    horizons_to_enrol="Периодов набора по 3 мес.")
        .fmt_integer(columns=["segment_size", "total_needed", "horizons_to_enrol"], sep_mark="\u00a0")
    )
    return (
        _percents(gt, ["baseline_drop_share", "minimum_detectable_uplift"], 1)
        .tab_style(style=style.text(weight="bold"), locations=loc.body(columns="verdict", rows=feasible))
        .tab_options(table_font_size="90%", table_width="100%")
        .tab_source_note(md("Двусторонний тест двух долей (h Коэна, statsmodels `NormalIndPower`). "
                            "Заметный эффект — наименьшее относительное снижение доли «Снизилась», "
                            "которое тест на имеющихся покупателях находит с той же мощностью. "
                            "`downloads/segment_experiment.csv`"))
    )


# --- the customer lookup page ------------------------------------------------------------------

LOOKUP_COLUMNS = {"id": "id покупателя", "segment_label": "Сегмент", "probability_drop": "Риск",
                  "profit": "Прибыль в месяц", "expected_profit_at_risk": "Под риском за 3 мес.",
                  "top_drivers": "Главные причины (+ повышает риск)", "offer": "Предложение"}

_LOOKUP_SCRIPT = """
(function () {
  "use strict";
  var root = document.getElementById("%(id)s");
  var table = root.querySelector("table"), body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = root.querySelector("input"), segment = root.querySelector("select");
  var count = root.querySelector(".lookup-count");
  function apply() {
    var query = search.value.trim(), chosen = segment.value, shown = 0;
    rows.forEach(function (row) {
      var ok = (!query || row.cells[0].textContent.indexOf(query) !== -1) &&
               (!chosen || row.getAttribute("data-segment") === chosen);
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = "Показано: " + shown + " из " + rows.length;
  }
  function sortBy(index, header) {
    var numeric = header.getAttribute("data-type") === "number";
    var descending = header.getAttribute("aria-sort") !== "descending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
    rows.sort(function (a, b) {
      var x = a.cells[index], y = b.cells[index];
      var order = numeric ? Number(x.getAttribute("data-value")) - Number(y.getAttribute("data-value"))
                          : x.textContent.localeCompare(y.textContent, "ru");
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
    var button = header.querySelector("button");
    button.addEventListener("click", function () { sortBy(index, header); });
  });
  search.addEventListener("input", apply);
  segment.addEventListener("change", apply);
  apply();
})();
"""

_LOOKUP_STYLE = """
.customer-lookup .lookup-controls { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; margin: .5rem 0; }
.customer-lookup .lookup-scroll { max-height: 70vh; overflow: auto; border: 1px solid #ddd; }
/* Never squeezed to a phone's width (rows many lines tall): the box scrolls sideways instead. */
.customer-lookup table { border-collapse: collapse; width: 100%; min-width: 48rem; font-size: 85%; }
.customer-lookup th { position: sticky; top: 0; background: #f4f4f4; text-align: left; }
.customer-lookup th button { all: unset; cursor: pointer; font-weight: bold; }
.customer-lookup th[aria-sort="descending"] button::after { content: " ▼"; }
.customer-lookup th[aria-sort="ascending"] button::after { content: " ▲"; }
.customer-lookup td, .customer-lookup th { padding: .2rem .4rem; border-bottom: 1px solid #eee; }
.customer-lookup td.num { text-align: right; white-space: nowrap; }
"""


def _cell(value, text: str, numeric: bool) -> str:
    """A numeric cell carries its exact value for sorting; a text cell sorts by its text."""
    if not numeric:
        return f"<td>{html.escape(text)}</td>"
    return f'<td class="num" data-value="{value}">{html.escape(text)}</td>'


def customer_lookup(customers: pd.DataFrame, element_id: str = "customer-lookup") -> HtmlBlock:
    """Every customer in one table, highest risk first: search by id, filter by segment, sort by column."""
    ordered = customers.sort_values(["probability_drop", "id"], ascending=[False, True])
    numeric = {"id", "probability_drop", "profit", "expected_profit_at_risk"}
    texts = {"id": str, "segment_label": str, "probability_drop": percent,
             "profit": lambda v: number(v, 2), "expected_profit_at_risk": lambda v: number(v, 2),
             "top_drivers": str, "offer": str}
    sorted_by = ' aria-sort="descending"'
    header = "".join(
        f'<th scope="col" data-type="{"number" if c in numeric else "text"}"'
        f'{sorted_by if c == "probability_drop" else ""}>'
        f'<button type="button">{html.escape(label)}</button></th>'
        for c, label in LOOKUP_COLUMNS.items())
    body = "\n".join(
        f'<tr data-segment="{html.escape(row["segment_label"], quote=True)}">'
        + "".join(_cell(row[c], texts[c](row[c]), c in numeric) for c in LOOKUP_COLUMNS) + "</tr>"
        for _, row in ordered.iterrows())
    options = "".join(f'<option value="{html.escape(s, quote=True)}">{html.escape(s)}</option>'
                      for s in sorted(customers["segment_label"].unique()))
    script = _LOOKUP_SCRIPT % {"id": json.dumps(element_id)[1:-1]}
    return HtmlBlock(
        f'<style>{_LOOKUP_STYLE}</style>\n<div class="customer-lookup" id="{element_id}">\n'
        '<div class="lookup-controls">'
        '<label>id покупателя: <input type="search" inputmode="numeric" placeholder="например, 215349"></label>'
        f'<label>Сегмент: <select><option value="">все</option>{options}</select></label>'
        '<span class="lookup-count" aria-live="polite"></span></div>\n'
        f'<div class="lookup-scroll"><table><thead><tr>{header}</tr></thead>\n<tbody>\n{body}\n'
        f'</tbody></table></div>\n</div>\n<script>{script}</script>')
