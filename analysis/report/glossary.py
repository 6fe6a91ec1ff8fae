"""The site's glossary: each technical term defined once, in plain Russian, with a stable anchor.

The «Словарь» page (chapters/glossary.qmd) lists `TERMS`; chapters link the first use of
a term on their page with `term_link(...)`, so a director who meets «ROC-AUC» or «φK»
is one click from a definition, and the analyst reads the same definition everywhere.
Anchors are ASCII and never change: other pages and outside notes link to them.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

import pandas as pd

GLOSSARY_PAGE = "chapters/glossary.qmd"


@dataclass(frozen=True)
class Term:
    anchor: str      # the id on the glossary page, e.g. "roc-auc" -> glossary.html#roc-auc
    name: str        # the term as the pages write it
    definition: str  # plain Russian, one or two sentences, markdown allowed


TERMS: tuple[Term, ...] = (
    Term("roc-auc", "ROC-AUC",
         "Насколько хорошо модель ставит покупателей, чья активность снизится, выше остальных. "
         "Это вероятность того, что у случайно взятого «снизившегося» покупателя прогноз выше, чем у "
         "случайного покупателя с прежней активностью: 0,5 — угадывание монеткой, 1 — без единой ошибки."),
    Term("ci", "доверительный интервал (ДИ)",
         "Диапазон, в котором с заданной уверенностью (обычно 95 %) лежит настоящее значение "
         "показателя, если бы данных было бесконечно много. Чем меньше данных, тем он шире."),
    Term("p-value", "p-значение",
         "Вероятность увидеть такое же или ещё большее различие, если на самом деле различия нет. "
         "Маленькое p-значение (например, меньше 0,05) говорит, что различие вряд ли случайно, "
         "но ничего не говорит о том, велико ли оно."),
    Term("holm", "поправка Холма",
         "Когда проверяют сразу много гипотез, какая-то из них окажется «значимой» случайно. "
         "Поправка Холма строже оценивает p-значения, чтобы доля таких ложных находок не росла "
         "с числом проверок."),
    Term("cliffs-delta", "дельта Клиффа",
         "Размер различия двух групп: насколько чаще значение из одной группы больше значения из "
         "другой, чем наоборот. От −1 до 1; 0 — группы не различаются, ±1 — не пересекаются вовсе."),
    Term("phik", "φK (phik)",
         "Сила связи двух признаков — чисел или категорий, в том числе нелинейной. "
         "0 — связи нет, 1 — один признак полностью определяет другой. Направления связи не показывает."),
    Term("spearman", "корреляция Спирмена (ρ)",
         "Насколько согласованно растут два числовых признака: +1 — чем больше один, тем больше "
         "другой; −1 — наоборот; 0 — согласованности нет. Считается по рангам, поэтому выбросы "
         "на неё почти не влияют."),
    Term("vif", "VIF (фактор инфляции дисперсии)",
         "Насколько признак выражается через все остальные вместе: 1 — никак; 10 и больше — "
         "настолько, что коэффициенты линейной модели становятся неустойчивыми. На качество "
         "прогноза это влияет мало."),
    Term("multicollinearity", "мультиколлинеарность",
         "Несколько признаков почти повторяют друг друга. Мешает толковать коэффициенты "
         "линейной модели, но не портит сам прогноз."),
    Term("feature", "признак",
         "Одна характеристика покупателя, из которых модель делает прогноз: например, "
         "минуты на сайте за месяц или число акционных покупок."),
    Term("target", "целевой признак",
         "То, что модель учится предсказывать: снизилась ли покупательская активность "
         "(«Снизилась» или «Прежний уровень»)."),
    Term("cross-validation", "фолд, кросс-валидация",
         "Способ честно проверить модель: покупателей делят на несколько частей (фолдов), "
         "модель учат на всех частях, кроме одной, и проверяют на оставшейся; так по очереди "
         "для каждой части. Разброс результатов по фолдам показывает, насколько оценке можно верить."),
    Term("out-of-fold", "вне фолда (out-of-fold)",
         "Прогноз для покупателя, сделанный моделью, которая его при обучении не видела. "
         "Только такие прогнозы честно показывают, как модель сработает на новых покупателях."),
    Term("leakage", "утечка целевого признака",
         "Признак или порядок строк, которые подсказывают ответ, но в жизни при прогнозе "
         "недоступны. Модель с утечкой выглядит точной на проверке и ошибается на деле."),
    Term("shap", "SHAP",
         "Разложение прогноза одного покупателя на вклады признаков: сколько каждый признак "
         "добавил к риску или отнял от него по сравнению со средним покупателем. "
         "Вклады в сумме дают прогноз."),
    Term("brier", "оценка Брайера",
         "Средний квадрат разницы между прогнозной вероятностью и тем, что случилось (0 или 1). "
         "Чем меньше, тем лучше; учитывает и умение различать классы, и честность вероятностей."),
    Term("calibration", "калибровка",
         "Насколько прогнозной вероятности можно верить буквально: у хорошо откалиброванной "
         "модели из покупателей с прогнозом 30 % активность снижается примерно у 30 %."),
    Term("threshold", "порог",
         "Граница вероятности, начиная с которой покупателя считают «в зоне риска» и включают "
         "в кампанию. Выбор порога — это выбор между лишними контактами и пропущенными покупателями."),
    Term("segment", "сегмент",
         "Группа покупателей с похожим риском и похожей прибыльностью, которой предлагают "
         "одно и то же действие."),
    Term("uplift", "uplift, эффект предложения",
         "Насколько предложение меняет поведение покупателя по сравнению с тем, что было бы без "
         "него. Его нельзя увидеть в этих данных — только измерить в эксперименте с контрольной группой."),
    Term("control-group", "контрольная группа",
         "Случайно выбранные покупатели, которым предложение не делают. Разница между ними и "
         "получившими предложение и есть эффект предложения."),
    Term("break-even", "точка безубыточности",
         "Наименьший эффект предложения, при котором кампания окупает свои затраты: "
         "дополнительная прибыль равна стоимости контактов и скидок."),
    Term("median", "медиана",
         "Значение посередине: у половины покупателей меньше, у половины больше. "
         "В отличие от среднего, один огромный выброс её почти не сдвигает."),
    Term("outlier", "выброс",
         "Значение, неправдоподобно далёкое от остальных (например, выручка во много раз больше "
         "обычной). Часто это ошибка выгрузки."),
)

_BY_ANCHOR = {term.anchor: term for term in TERMS}


class MarkdownText(str):
    """A string that notebooks and Quarto show as markdown (a link stays a link inline).

    A plain `str` in an inline expression is shown as escaped text, so `[ROC-AUC](...)`
    would appear with its brackets; this type's `text/markdown` representation wins.
    """

    def _repr_markdown_(self) -> str:
        return str(self)


def term(anchor: str) -> Term:
    """The glossary entry for `anchor`; KeyError naming the known anchors otherwise."""
    try:
        return _BY_ANCHOR[anchor]
    except KeyError:
        raise KeyError(f"glossary: no term '{anchor}'; known: {', '.join(_BY_ANCHOR)}") from None


def term_link(anchor: str, text: str | None = None, *, from_page: str = "chapters/") -> MarkdownText:
    """A markdown link to the term's definition: `[text](glossary.qmd#anchor)`.

    `text` defaults to the term's name; `from_page` is the linking page's folder relative
    to the project root ("chapters/" for chapters, "" for index.qmd), so the link resolves
    from there. Raises KeyError for an unknown anchor, so a typo fails the build.
    """
    entry = term(anchor)
    target = posixpath.relpath(GLOSSARY_PAGE, from_page.strip("/") or ".")
    label = (text or entry.name).replace("[", r"\[").replace("]", r"\]")
    return MarkdownText(f"[{label}]({target}#{anchor}){{.glossary-term}}")


def glossary_markdown(terms: tuple[Term, ...] = TERMS) -> str:
    """The glossary page's body: one `## name {#anchor}` section per term, sorted by name."""
    ordered = sorted(terms, key=lambda entry: entry.name.lower())
    return "\n\n".join(f"## {entry.name} {{#{entry.anchor}}}\n\n{entry.definition}" for entry in ordered)


def glossary_table(terms: tuple[Term, ...] = TERMS) -> pd.DataFrame:
    """(anchor, name, definition), one row per term: for tests and for anyone reusing the words."""
    return pd.DataFrame([(t.anchor, t.name, t.definition) for t in terms], columns=["anchor", "name", "definition"])
