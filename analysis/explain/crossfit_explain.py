"""One risk number per customer, explained by the model that produced it.

A training customer's risk in customers.csv is out of fold: it comes from the fold
model that never saw them (nor a copy). Explaining the final model instead would
explain a number the report never shows — for a model that has seen the customer,
possibly their own label. So each customer is explained by the model named in
customers.csv's `scored_by`: `fold_k` for a training customer, `final` for a test
customer (and, in `score`, for any new customer). Additivity then holds for the
shown risk: base value (of that customer's model) + contributions = probability_drop.

How stable the drivers are is measured, not assumed: every model is refitted with
another seed (the estimator's own randomness and the explainer's) on the same rows,
explained again, and the share of customers whose top driver — and offer — stay the
same is reported (`seed_agreement`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import clone

from . import explain
from ..decide import offers
from ..constants import RANDOM_STATE
from ..data.features import FEATURE_COLUMNS, NUMERIC_FEATURES
from ..model.model_stage import FINAL_MODEL, cross_fit_training_part, named_fold_models
from ..model.modeling import final_forest, target_vector

OTHER_SEED = RANDOM_STATE + 1
# customers.csv writes probabilities with 6 decimals: the explained output must round to them.
SHOWN_PRECISION = 1e-6


def explain_cross_fitted(models: dict[str, object], customers: pd.DataFrame, scored_by: pd.Series, *,
                         background: pd.DataFrame | None = None, random_state: int = RANDOM_STATE,
                         **options) -> explain.Explanation:
    """SHAP values of each customer under the model that scored them.

    `models`: name -> fitted pipeline; `customers`: id + FEATURE_COLUMNS; `scored_by`:
    index id -> model name. `background` (default: `customers`) is what the
    model-agnostic path masks with, the same for every model. Every model must explain
    in the same output space. The result has one base value per customer
    (`base_values`); `base_value` is their mean, for a headline only.
    """
    missing = sorted(set(scored_by.loc[customers["id"]]) - set(models))
    if missing:
        raise explain.ExplainError(f"customers.csv, column 'scored_by': no model named {missing}")
    background = customers if background is None else background
    parts = []
    for name in sorted(set(scored_by.loc[customers["id"]])):
        rows = customers.loc[scored_by.loc[customers["id"]].to_numpy() == name]
        parts.append(explain.explain_model(models[name], rows, background=background,
                                           random_state=random_state, **options))
    spaces = {part.output_space for part in parts}
    if len(spaces) != 1:
        raise explain.ExplainError(f"the fold models explain in different output spaces: {sorted(spaces)}")
    order = pd.Index(customers["id"], name="id")

    def joined(attribute: str):
        return pd.concat([getattr(part, attribute) for part in parts]).loc[order]

    base_values = pd.concat([part.base_by_customer for part in parts]).loc[order].rename("base_value")
    first = parts[0]
    errors = [part.standard_error for part in parts]
    return explain.Explanation(
        values=joined("values"), base_value=float(base_values.mean()), model_output=joined("model_output"),
        probability=joined("probability"), output_space=first.output_space, explainer=first.explainer,
        background=first.background, background_size=first.background_size, permutations=first.permutations,
        seconds=sum(part.seconds for part in parts), fallback_reason=first.fallback_reason, n_jobs=first.n_jobs,
        standard_error=None if any(e is None for e in errors) else pd.concat(errors).loc[order],
        estimator=first.estimator, base_values=base_values)


def check_shown_risk(explanation: explain.Explanation, customers: pd.DataFrame) -> float:
    """Largest |model output − customers.csv's probability_drop|; raises if any exceeds the written precision."""
    shown = customers.set_index("id")["probability_drop"].loc[explanation.model_output.index]
    gap = (explanation.model_output - shown).abs()
    if not gap.max() <= SHOWN_PRECISION:
        worst = gap.idxmax()
        raise explain.ExplainError(
            f"customers.csv, column 'probability_drop', id {worst}: the explained model gives "
            f"{explanation.model_output.loc[worst]:.6f}, the report shows {shown.loc[worst]:.6f}")
    return float(gap.max())


def refit_fold_models(final_model, model_table: pd.DataFrame) -> dict[str, object]:
    """The fold models that scored the training customers (customers.csv's `scored_by` -> model).

    Refitted, not loaded: the model stage fitted them from `final_model`'s parameters on
    fixed folds with fixed seeds, so refitting gives the same forests (check_shown_risk
    then proves it for every customer, to the 6 decimals customers.csv shows).
    `model_table` is the modelling table the model stage was given (sorted by id).
    """
    return named_fold_models(cross_fit_training_part(clone(final_model), model_table))


def forest_size(pipeline) -> dict:
    """{"trees": …, "max_depth": …} of the pipeline's last step if it is a forest, else {}.

    The seed check's agreement depends on it: more trees, steadier contributions
    (modeling.STABLE_TREES records the measurements).
    """
    forest = final_forest(pipeline)
    return {} if forest is None else {"trees": len(forest.estimators_), "max_depth": forest.max_depth}


def reseeded(pipeline, seed: int):
    """An unfitted copy of `pipeline` with every `random_state` parameter set to `seed`."""
    copy = clone(pipeline)
    seeds = {name: seed for name in copy.get_params(deep=True) if name.split("__")[-1] == "random_state"}
    return copy.set_params(**seeds)


def refit_with_seed(models: dict[str, object], model_table: pd.DataFrame, customers: pd.DataFrame,
                    seed: int = OTHER_SEED) -> dict[str, object]:
    """Each model refitted with another seed on exactly the rows it was fitted on.

    `fold_k` was fitted on the training customers not scored by it; `final` on every
    training customer (customers.csv's `split` and `scored_by`).
    """
    table = model_table.set_index("id")
    training = customers.loc[customers["split"] == "train"]
    refitted = {}
    for name, model in models.items():
        ids = training["id"] if name == FINAL_MODEL else training.loc[training["scored_by"] != name, "id"]
        rows = table.loc[ids.to_numpy()].reset_index()
        refitted[name] = reseeded(model, seed).fit(rows[list(FEATURE_COLUMNS)], target_vector(rows))
    return refitted


def offers_by_driver(values: pd.DataFrame, probability: pd.Series, threshold: float,
                     premise: pd.DataFrame | None = None) -> pd.Series:
    """The offer each customer's drivers lead to (offers.py), or «not needed» below the threshold."""
    offer = offers.offer_for(offers.top_actionable_driver(values, premise))
    return offer.where(probability.loc[values.index] >= threshold, offers.NOT_NEEDED)


def seed_agreement(first: explain.Explanation, second: explain.Explanation, threshold: float,
                   premise: pd.DataFrame | None = None) -> dict:
    """Share of customers whose top driver, and whose offer, are the same under both explanations.

    `premise` (offers.premise_holds, index id) applies the offers' rule as the report does.
    """
    ids = first.values.index
    premise = None if premise is None else premise.loc[ids]
    top_first = first.values.abs().idxmax(axis=1)
    top_second = second.values.loc[ids].abs().idxmax(axis=1)
    offer_first = offers_by_driver(first.values, first.probability, threshold, premise)
    offer_second = offers_by_driver(second.values.loc[ids], second.probability, threshold, premise)
    return {"top_driver": float((top_first == top_second).mean()),
            "offer": float((offer_first == offer_second).mean()),
            "risk_max_abs_difference": float((first.probability - second.probability.loc[ids]).abs().max()),
            "customers": int(len(ids))}


def build_explain_results(final_model, fold_models: dict[str, object], model_table: pd.DataFrame,
                          customers: pd.DataFrame, threshold: float, *, seed_check: bool = True,
                          **options) -> dict:
    """Everything the «Почему» chapter reads (see explain.build_explain_results), cross-fitted.

    `customers` is customers.csv (id, split, probability_drop, scored_by). Raises
    ExplainError if an explained output differs from the shown risk. With `seed_check`,
    every model is refitted and explained under OTHER_SEED and the agreement of top
    drivers and offers is added to explain.json.
    """
    models = {**fold_models, FINAL_MODEL: final_model}
    scored_by = customers.set_index("id")["scored_by"]
    table = model_table.sort_values("id", ignore_index=True)
    explanation = explain_cross_fitted(models, table, scored_by, **options)
    gap = check_shown_risk(explanation, customers)
    ranking = explain.importance(explanation.values, table)
    test_ids = pd.Index(customers.loc[customers["split"] == "test", "id"])
    chosen = explain.representative_customers(explanation, threshold, among=test_ids)
    meta = explain.explain_metadata(explanation, ranking, chosen, threshold, True)
    bases = explanation.base_by_customer
    meta.update({
        "cross_fitted": True, "models": sorted(models), "max_shown_risk_difference": gap,
        "base_value_min": float(bases.min()), "base_value_max": float(bases.max()),
        "scored_by_counts": {name: int(count) for name, count in scored_by.value_counts().sort_index().items()},
        "exact": explanation.explainer in ("linear", "tree"),
    })
    if seed_check:
        other = explain_cross_fitted(refit_with_seed(models, table, customers), table, scored_by,
                                     **{**options, "random_state": OTHER_SEED})
        features = table.set_index("id")
        premise = offers.premise_holds(features, features[[f for f in NUMERIC_FEATURES]].median())
        agreement = seed_agreement(explanation, other, threshold, premise)
        meta.update({"top_driver_agreement_between_seeds": agreement["top_driver"],
                     "offer_agreement_between_seeds": agreement["offer"],
                     "seed_check": {**agreement, "seeds": [RANDOM_STATE, OTHER_SEED],
                                    "seconds": round(other.seconds, 2), "forest": forest_size(final_model)}})
    return {
        "shap_values": explain.shap_table(explanation),
        "shap_importance": ranking,
        "shap_waterfalls": explain.waterfall_steps(explanation.values, bases, table, chosen),
        "shap_claims": explain.compare_with_published(ranking),
        "explain": meta,
    }
