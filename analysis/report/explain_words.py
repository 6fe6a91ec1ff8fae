"""The words the explain stage's results carry, added after the computation (pipeline.py's explain stage).

explain/explain.py returns numbers and codes; `with_words` turns them into the Russian that
results/ holds and the «Почему» chapter shows, and leaves every number as it was:
- shap_importance: `kind` («число», «категория») and `direction_text` («меньше → выше риск», a
  category's claim, «модель его не использует»);
- shap_waterfalls: `role_label` and `step_label` («Страниц за визит = 2», «Остальные признаки (7)»);
- shap_claims: the published claim, its `evidence` (rank, mean |SHAP|, direction) and `verdict`;
- explain.json: the explainer, the output space, the background, why a faster explainer was not
  used, the representatives' roles and the top drivers' directions.
The explain stage caches the worded outputs, so pipeline.explain_key hashes this module too.
`shap_units`/`shap_text` (a SHAP value in the units of its output space) serve the chapter's prose.
"""

from __future__ import annotations

import pandas as pd

from ..constants import POSITIVE_CLASS
from ..data.features import CATEGORICAL_FEATURES, FEATURE_LABELS
from .formatting import NBSP, number

OUTPUT_SPACES = {
    "probability": f"вероятность «{POSITIVE_CLASS}»",
    "log-odds": f"логарифм шансов «{POSITIVE_CLASS}»",
    "decision function": f"решающая функция модели (больше — ближе к «{POSITIVE_CLASS}»)",
}
EXPLAINERS = {
    "linear": "shap.LinearExplainer",
    "tree": "shap.TreeExplainer (tree_path_dependent)",
    "permutation": "перестановочный SHAP (алгоритм shap.PermutationExplainer), независимый фон",
}
# The published claims (explain.PUBLISHED_CLAIMS), by their code.
CLAIMS = {
    "less_time_on_site": "Снижение связано с меньшим временем на сайте",
    "fewer_pages": "Меньше страниц за визит — выше риск",
    "fewer_marketing_contacts": "Меньше маркетинговых контактов за 6 месяцев — выше риск",
    "more_unpaid_items": "Больше неоплаченных товаров в корзине — выше риск",
    "more_promo_purchases": "Больше доля покупок по акции — выше риск",
    "popular_category_matters": "Популярная категория влияет на риск",
}
VERDICTS = {"agree": "согласны", "partly": "частично", "disagree": "не согласны"}
ROLE_LABELS = {"highest_risk": "самый высокий риск", "borderline": "у порога", "safest": "самый низкий риск"}
KINDS = {"number": "число", "category": "категория"}
DIRECTIONS = {1: "больше → выше риск", -1: "меньше → выше риск", 0: "нет связи с риском"}
UNUSED_TEXT = "модель его не использует"
REST_LABEL = "Остальные признаки"

IMPORTANCE_COLUMNS = ["feature", "label", "kind", "mean_abs_shap", "share", "rank", "used", "correlation", "direction",
                      "direction_text", "riskiest_category", "safest_category", "dropped_when_raised",
                      "dropped_when_lowered"]
WATERFALL_COLUMNS = ["role", "role_label", "id", "order", "feature", "step_label", "shap", "start", "end",
                     "base_value", "model_output"]
CLAIM_COLUMNS = ["claim", "features", "rank", "mean_abs_shap", "direction_holds", "evidence", "verdict"]


def shap_units(output_space: str) -> tuple[float, str, str]:
    """(factor for display, unit, what the unit measures) of SHAP values in `output_space`.

    Probabilities are shown in percentage points: a SHAP value of 0.05 reads «+5,0 п. п.».
    """
    if output_space == "probability":
        return 100.0, f"п.{NBSP}п.", f"процентные пункты вероятности «{POSITIVE_CLASS}»"
    if output_space == "log-odds":
        return 1.0, "", f"логарифм шансов «{POSITIVE_CLASS}»"
    return 1.0, "", "решающая функция модели"


def shap_text(value: float, output_space: str, signed: bool = False) -> str:
    """A SHAP value (or a mean |SHAP|) for prose: «6,0 п. п.» for probabilities, «0,412» otherwise."""
    factor, unit, _ = shap_units(output_space)
    text = number(abs(value) * factor, 1 if unit else 3)
    sign = ("+" if value > 0 else "−" if value < 0 else "") if signed else ("−" if value < 0 else "")
    return f"{sign}{text}{NBSP}{unit}" if unit else f"{sign}{text}"


def category_claim_text(row) -> str:
    """A used category's claim (explain.category_claim's codes on an importance row) in words: the
    riskiest category is named only when the data back it."""
    if row.category_claim == "small_spread":
        return (f"категории различаются по вкладу мало (не больше {number(row.category_spread * 100, 1)}"
                f"{NBSP}п.{NBSP}п.)")
    if row.category_claim == "contradicted":
        return (f"по вкладу выше «{row.riskiest_category}», но больше всего снизивших среди "
                f"«{row.riskiest_in_data}» — вклад категории не совпадает с долями в данных")
    if row.category_claim == "backed":
        return f"выше риск: «{row.riskiest_category}», ниже: «{row.safest_category}»"
    raise ValueError(f"shap_importance, feature {row.feature!r}: unknown category_claim {row.category_claim!r} "
                     "(expected 'small_spread', 'contradicted' or 'backed')")


def direction_text(row) -> str:
    """How a feature of explain.importance moves the risk, in words: unused, a category's claim, or
    a number's direction."""
    if not row.used:
        return UNUSED_TEXT
    if row.kind == "category":
        return category_claim_text(row)
    return DIRECTIONS[row.direction]


def worded_importance(importance: pd.DataFrame) -> pd.DataFrame:
    """explain.importance with `kind` in words and `direction_text` (IMPORTANCE_COLUMNS, as results/ holds
    shap_importance.csv). Raises ValueError naming the feature for a kind it does not know."""
    unknown = importance.loc[~importance["kind"].isin(list(KINDS))]
    if len(unknown):
        row = unknown.iloc[0]
        raise ValueError(f"shap_importance, feature {row['feature']!r}: unknown kind {row['kind']!r} "
                         "(expected 'number' or 'category')")
    texts = [direction_text(row) for row in importance.itertuples(index=False)]
    return importance.assign(kind=importance["kind"].map(KINDS), direction_text=texts)[IMPORTANCE_COLUMNS]


def value_text(feature: str, value) -> str:
    """A feature value as a reader writes it: categories as they are, numbers with the
    decimals they have (at most two): 10, 4,4, 0,75, 4 971,6."""
    if feature in CATEGORICAL_FEATURES or isinstance(value, str):
        return str(value)
    value = float(value)
    digits = next((d for d in (0, 1) if round(value, d) == value), 2)
    return number(value, digits)


def step_label(feature: str | None, value, rest_features: int) -> str:
    """A waterfall step's label: «Страниц за визит = 2», or «Остальные признаки (7)» for the rest."""
    if feature is None or pd.isna(feature):
        return f"{REST_LABEL} ({rest_features})"
    return f"{FEATURE_LABELS[feature]} = {value_text(feature, value)}"


def worded_waterfalls(steps: pd.DataFrame) -> pd.DataFrame:
    """explain.waterfall_steps with the role's label and the step's (WATERFALL_COLUMNS, as results/ holds
    shap_waterfalls.csv)."""
    labels = [step_label(feature, value, rest) for feature, value, rest in
              steps[["feature", "value", "rest_features"]].itertuples(index=False)]
    return steps.assign(role_label=steps["role"].map(ROLE_LABELS), step_label=labels)[WATERFALL_COLUMNS]


def claim_evidence(features: list[str], importance: pd.DataFrame, output_space: str) -> str:
    """What SHAP shows for a claim's features (strongest first): ««Страниц за визит»: место 1 из 16,
    среднее |SHAP| 5,2 п. п., меньше → выше риск»; `importance` is worded (worded_importance)."""
    by_feature = importance.set_index("feature")
    return "; ".join(
        f"«{row.label}»: место {row.rank} из {len(importance)}, среднее |SHAP| "
        f"{shap_text(row.mean_abs_shap, output_space)}, {row.direction_text}"
        for row in by_feature.loc[list(features)].itertuples())


def worded_claims(claims: pd.DataFrame, importance: pd.DataFrame, output_space: str) -> pd.DataFrame:
    """explain.compare_with_published with the claim, its evidence and the verdict in words (CLAIM_COLUMNS,
    as results/ holds shap_claims.csv); `importance` is worded (worded_importance)."""
    return claims.assign(
        claim=claims["claim"].map(CLAIMS), verdict=claims["verdict"].map(VERDICTS),
        evidence=[claim_evidence(features, importance, output_space) for features in claims["claim_features"]],
    )[CLAIM_COLUMNS]


def background_text(background: dict) -> str:
    """What the base value averages over (Explanation.background's code) in words."""
    if background["code"] == "explained_customers":
        return "средний выход модели по всем объяснённым покупателям"
    if background["code"] == "training_data":
        return "средний выход модели по обучающим данным (покрытие листьев)"
    if background["code"] == "background_sample":
        return (f"средняя вероятность «{POSITIVE_CLASS}» по фиксированной случайной выборке из "
                f"{number(background['customers'])} покупателей (зерно {background['random_state']})")
    raise ValueError(f"explain.json, key 'background': unknown code {background['code']!r}")


def fallback_reason_text(reason: dict | None) -> str | None:
    """Why a fast exact explainer did not apply (Explanation.fallback_reason's code) in words; None
    when one did."""
    if reason is None:
        return None
    code = reason["code"]
    if code == "not_binary_linear":
        return f"{reason['estimator']} — не бинарная линейная модель"
    if code == "linear_not_tree":
        return f"{reason['estimator']} — линейная модель, а не ансамбль деревьев"
    if code == "not_numeric":
        return "модель получает на вход не числовую матрицу"
    if code == "mixed_column":
        return (f"столбец «{reason['column']}» на входе модели вычисляется из нескольких исходных признаков "
                f"({', '.join(FEATURE_LABELS[feature] for feature in reason['features'])}), и его вклад нельзя "
                "точно разделить между ними")
    if code == "unattributed_column":
        return (f"столбец №{reason['index']} на входе модели не зависит ни от одного признака, "
                "но имеет ненулевые SHAP-значения")
    if code == "not_tree":
        return (f"{reason['estimator']} — не линейная модель и не ансамбль деревьев, "
                "который умеет разбирать shap.TreeExplainer")
    if code == "tree_not_additive":
        return (f"SHAP-значения shap.TreeExplainer для {reason['estimator']} не складываются "
                "ни в вероятность, ни в логарифм шансов")
    raise ValueError(f"explain.json, key 'fallback_reason': unknown code {code!r}")


def worded_metadata(meta: dict, importance: pd.DataFrame) -> dict:
    """explain.explain_metadata (and what crossfit_explain adds) with its codes in words, keys in the order
    explain.json holds them: explainer_text after explainer, output_space_text after output_space,
    the representatives' role_label after role, the top drivers' direction_text (from the worded
    `importance`) last."""
    directions = importance.set_index("feature")["direction_text"]
    worded = {}
    for key, value in meta.items():
        if key == "fallback_reason":
            value = fallback_reason_text(value)
        elif key == "background":
            value = background_text(value)
        elif key == "representatives":
            value = [{"role": person["role"], "role_label": ROLE_LABELS[person["role"]],
                      **{name: item for name, item in person.items() if name != "role"}} for person in value]
        elif key == "top_drivers":
            value = [{**driver, "direction_text": directions[driver["feature"]]} for driver in value]
        worded[key] = value
        if key == "explainer":
            worded["explainer_text"] = EXPLAINERS[value]
        elif key == "output_space":
            worded["output_space_text"] = OUTPUT_SPACES[value]
    return worded


def with_words(results: dict) -> dict:
    """The explain stage's outputs (explain/crossfit_explain.build_explain_results: shap_values,
    shap_importance, shap_waterfalls, shap_claims, explain) as results/ holds them: the codes worded,
    shap_values as it is."""
    importance = worded_importance(results["shap_importance"])
    meta = results["explain"]
    return {
        **results,
        "shap_importance": importance,
        "shap_waterfalls": worded_waterfalls(results["shap_waterfalls"]),
        "shap_claims": worded_claims(results["shap_claims"], importance, meta["output_space"]),
        "explain": worded_metadata(meta, importance),
    }
