"""Score new customers with the report's model: who will buy less, why, and what to offer.

The input is a folder in the four-file format of the reference data (money.csv and
the target column optional). It goes through exactly the report's path — the same
schemas and errors (data/load.py), cleaning, and modelling table with its exclusions
(features.py) — so a customer the report would not model is not scored either:
they go to the unscored list with the report's reason. Nothing is dropped silently.

What the report decided is reused, never re-derived from the new data: the fitted
pipeline (results/model.skops, fitted on the training part and evaluated on the
test part), the business threshold and the profit cut (results/segments.json), and
each feature's SHAP dependence curve (results/driver_curves.csv, see
driver_curves.py). A new quarter is scored against the same yardstick.

`score_table` is pure and works on any slice of the modelling table, so the same
function runs over pandas chunks (`engine="pandas"`) or over the partitions of a
dask.dataframe on a cluster (`engine="dask"`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from ..data import cleaning
from ..model import forest_inference, model_store
from ..explain import driver_curves, explain
from ..decide import offers, segments
from ..data.load import load_raw_data
from ..errors import OneClickError
from ..data.features import FEATURE_COLUMNS, build_model_data

SCORE_COLUMNS = ["id", "probability_drop", "predicted_drop", "segment", "top_drivers", "offer", "note"]
UNSCORED_COLUMNS = ["id", "reason", "detail"]
# What a scorer needs besides the model file, all written by `build-results` next to it.
SCORER_FILES = ("segments.json", "driver_curves.csv", "model_table.csv")
DRIVER_METHODS = {
    "approx": "кривые зависимости SHAP эталонных покупателей (аддитивное приближение, driver_curves.py)",
    "exact": "перестановочный SHAP модели, как в отчёте (≈40 мс на покупателя)",
}
# The choices the drivers make, as compared between approximate and exact SHAP values.
DRIVER_CHOICES = {"top driver": lambda values: values.abs().idxmax(axis=1),
                  "offer's driver": offers.top_actionable_driver}
NO_PROFIT_NOTE = "нет money.csv: сегмент и предложение требуют прибыли"
PROBABILITY_DECIMALS = 6  # as results/customers.csv, so the threshold cuts the same numbers
CHUNK_ROWS = 50_000
THREADS = 2  # threads of the forest's prediction: this machine's cores


class ScoringError(OneClickError):
    """The model folder lacks what scoring needs, or an option cannot be honoured."""


@dataclass(frozen=True)
class Scorer:
    """The report's decisions, loaded once and applied to any number of customers."""

    pipeline: object
    risk_cut: float
    profit_cut: float
    curves: pd.DataFrame
    reference: pd.DataFrame  # the reference modelling table: background of exact drivers
    model_file: str
    model_sha256: str
    probability: object  # features → P(«Снизилась»): model/forest_inference.py, the pipeline's own average

    @property
    def positive(self) -> int:
        return explain.positive_class_index(self.pipeline.classes_)


def load_scorer(model_path: Path, threads: int = THREADS) -> Scorer:
    """The skops model (explicit trusted types) and the decisions stored beside it.

    `threads`: how many threads predict a chunk (model/forest_inference.py).
    """
    model_path = Path(model_path)
    folder = model_path.parent
    missing = [name for name in (model_path.name, *SCORER_FILES) if not (folder / name).is_file()]
    if missing:
        raise ScoringError(f"{folder}: missing {', '.join(missing)}; the scorer needs the model file and "
                           f"{', '.join(SCORER_FILES)} written by `python -m analysis build-results` (make results)")
    decisions = json.loads((folder / "segments.json").read_text(encoding="utf-8"))
    pipeline = model_store.load_model(model_path)
    return Scorer(
        pipeline=pipeline,
        risk_cut=float(decisions["risk_cut"]), profit_cut=float(decisions["profit_cut"]),
        curves=pd.read_csv(folder / "driver_curves.csv"),
        reference=pd.read_csv(folder / "model_table.csv"),
        model_file=str(model_path), model_sha256=hashlib.sha256(model_path.read_bytes()).hexdigest(),
        probability=forest_inference.positive_probability(pipeline, explain.positive_class_index(pipeline.classes_),
                                                          threads))


def empty_scores() -> pd.DataFrame:
    """SCORE_COLUMNS with their dtypes and no rows (the `meta` of the dask engine)."""
    return pd.DataFrame({"id": pd.Series(dtype="int64"), "probability_drop": pd.Series(dtype="float64"),
                         "predicted_drop": pd.Series(dtype="int64"),
                         **{column: pd.Series(dtype="str") for column in SCORE_COLUMNS[3:]}})


def exact_shap(scorer: Scorer, table: pd.DataFrame) -> pd.DataFrame:
    """The report's explainer on these customers, with the reference customers as background.

    On the reference data it reproduces results/shap_values.csv exactly (same rows,
    order, background and seed); it is slow, so it runs on one machine, before chunking.
    """
    explanation = explain.explain_model(scorer.pipeline, table.sort_values("id"), background=scorer.reference)
    return explanation.values


def score_table(table: pd.DataFrame, scorer: Scorer, shap: pd.DataFrame | None = None) -> pd.DataFrame:
    """SCORE_COLUMNS for modelling-table rows (id, FEATURE_COLUMNS, profit), in their order.

    `shap` (index id, one column per feature) gives exact drivers; without it the
    dependence-curve approximation is used. Profit missing → no segment or offer,
    and `note` says why.
    """
    features = table[list(FEATURE_COLUMNS)]
    probability = scorer.probability(features).round(PROBABILITY_DECIMALS)
    high_risk = probability >= scorer.risk_cut
    values = (driver_curves.approximate_shap(scorer.curves, features) if shap is None
              else shap.loc[table["id"]].set_axis(table.index))
    values = values[[column for column in FEATURE_COLUMNS if column in values.columns]]
    has_profit = table["profit"].notna().to_numpy()
    segment = segments.assign_segments(
        pd.DataFrame({"probability_drop": probability, "profit": table["profit"].to_numpy()}, index=table.index),
        segments.SegmentCuts(scorer.risk_cut, scorer.profit_cut))
    actions = segments.drivers_and_offers(values, table, pd.Series(high_risk, index=table.index), scorer.reference)
    scores = pd.DataFrame({
        "id": table["id"].to_numpy(dtype="int64"),
        "probability_drop": probability,
        "predicted_drop": high_risk.astype("int64"),
        "segment": segment.where(has_profit, "").to_numpy(),
        "top_drivers": actions["top_drivers"].to_numpy(),
        "offer": actions["offer"].where(has_profit, "").to_numpy(),
        "note": np.where(has_profit, "", NO_PROFIT_NOTE),
    }, index=table.index)
    return scores.astype(empty_scores().dtypes.to_dict())


def chunks(table: pd.DataFrame, rows: int = CHUNK_ROWS):
    """Consecutive slices of at most `rows` rows (views, no copies)."""
    for start in range(0, len(table), rows):
        yield table.iloc[start:start + rows]


def score_chunks(table: pd.DataFrame, scorer: Scorer, shap: pd.DataFrame | None = None, *,
                 chunk_rows: int = CHUNK_ROWS):
    """score_table over consecutive chunks, in order, in this process; yields the scored chunks.

    Memory stays bounded by one chunk. The cores are used inside a chunk: the forest's
    prediction runs in `Scorer.probability`'s threads. (Two processes, each given the
    model, were slower — 28 s against 23 s for 1M customers — and used more memory.)
    """
    yield from (score_table(part, scorer, None if shap is None else shap.loc[part["id"]])
                for part in chunks(table, chunk_rows))


def score_with_dask(table: pd.DataFrame, scorer: Scorer, partitions: int, client=None,
                    progress: bool = False) -> pd.DataFrame:
    """score_table over the partitions of a dask.dataframe: unchanged on a LocalCluster or a real cluster.

    The scorer travels once, as a delayed object; `client` (distributed.Client) is
    used when given, else the current default scheduler. `progress` shows
    distributed's text progress bar (with a client).
    """
    import dask
    import dask.dataframe as dd

    # One thread per task: dask runs tasks side by side on the cores already.
    scorer = dataclasses.replace(scorer, probability=scorer.probability.with_threads(1))
    if client is None:
        frame = dd.from_pandas(table, npartitions=max(1, partitions), sort=False)
        return frame.map_partitions(score_table, dask.delayed(scorer), meta=empty_scores()).compute()
    # The partitions go to the workers once, as data, rather than inside the task graph.
    rows = -(-len(table) // max(1, partitions))
    parts = client.scatter([table.iloc[start:start + rows] for start in range(0, len(table), rows)])
    frame = dd.from_delayed(parts, meta=table.iloc[:0], verify_meta=False)
    scored = frame.map_partitions(score_table, dask.delayed(scorer), meta=empty_scores())
    future = client.compute(scored)
    if progress:
        from distributed import progress as progress_bar

        progress_bar(future)
    return future.result()


def unscored(exclusions: pd.DataFrame) -> pd.DataFrame:
    """The customers the report would not model, with its reason: the second output file."""
    return exclusions[UNSCORED_COLUMNS].sort_values("id", ignore_index=True)


# --- what build-results stores for the scorer -------------------------------------------------

def scorer_outputs(model_table: pd.DataFrame, shap_values: pd.DataFrame) -> dict:
    """driver_curves.csv and scoring.json: the curves and how well they agree with exact SHAP.

    `shap_values` is results/shap_values.csv (one row per modelled customer).
    """
    shap = segments.shap_features(shap_values)
    features = model_table.set_index("id").loc[shap.index, list(FEATURE_COLUMNS)]
    top, offer = (driver_curves.fidelity(features, shap, choose) for choose in DRIVER_CHOICES.values())
    return {
        "driver_curves": driver_curves.fit_curves(features, shap),
        "scoring": {"driver_methods": DRIVER_METHODS, "default_driver_method": "approx",
                    "approx_agreement_top_driver": float(top["agreement"]),
                    "approx_agreement_offer_driver": float(offer["agreement"]),
                    "agreement_customers": int(top["customers"]),
                    "agreement_method": "5 блоков: кривые по 4/5 эталонных покупателей, сравнение на 1/5"},
    }


# --- scoring a folder ------------------------------------------------------------------------

ENGINES = ("pandas", "dask")


@dataclass(frozen=True)
class ScoreRun:
    """What a scoring run wrote and how long each step took (the CLI prints it, bench reads it)."""

    scores_file: Path
    unscored_file: Path
    customers: int
    scored: int
    unscored: int
    without_profit: int
    seconds: dict

    def summary(self) -> dict:
        return {"scores_file": str(self.scores_file), "unscored_file": str(self.unscored_file),
                "customers": self.customers, "scored": self.scored, "unscored": self.unscored,
                "without_profit": self.without_profit, "seconds": self.seconds}


def unscored_path(scores_file: Path) -> Path:
    """scores.csv → scores_unscored.csv, next to it."""
    return scores_file.with_name(f"{scores_file.stem}_unscored{scores_file.suffix or '.csv'}")


def score_folder(data_dir: Path, scorer: Scorer, scores_file: Path, *, unscored_file: Path | None = None,
                 engine: str = "pandas", drivers: str = "approx", chunk_rows: int = CHUNK_ROWS,
                 partitions: int | None = None, client=None, progress: bool | None = None,
                 log=lambda message: None) -> ScoreRun:
    """Validate, clean and score every customer of `data_dir`; write the scores and the unscored.

    Every market_file.csv customer ends up in exactly one of the two files. Invalid
    input raises InvalidInputError (data/load.py) before anything is written, and a run
    that fails later writes neither file (each is renamed into place at the end).
    """
    if engine not in ENGINES:
        raise ScoringError(f"unknown engine {engine!r}; expected one of {', '.join(ENGINES)}")
    if drivers not in DRIVER_METHODS:
        raise ScoringError(f"unknown drivers method {drivers!r}; expected one of {', '.join(DRIVER_METHODS)}")
    if drivers == "exact" and engine == "dask":
        raise ScoringError("--drivers exact runs on one machine (the permutation explainer needs every "
                           "customer at once for reproducible values); use --engine pandas")
    scores_file = Path(scores_file)
    unscored_file = Path(unscored_file) if unscored_file else unscored_path(scores_file)
    seconds: dict[str, float] = {}
    started = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal started
        seconds[step] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        log(f"{step}: {seconds[step]:.1f} s")

    raw = load_raw_data(Path(data_dir), require_target=False, require_money=False)
    lap("load and validate")
    clean = cleaning.clean(raw)
    del raw  # the raw frames are not needed past cleaning (~150 MB at a million customers)
    model = build_model_data(clean)
    del clean
    table, excluded = model.table, unscored(model.exclusions)
    lap("clean and build the modelling table")
    shap = exact_shap(scorer, table) if drivers == "exact" and len(table) else None
    if shap is not None:
        lap("exact SHAP drivers")
    scores_file.parent.mkdir(parents=True, exist_ok=True)
    unscored_file.parent.mkdir(parents=True, exist_ok=True)
    with _written_together(scores_file, unscored_file) as (partial_scores, partial_unscored):
        if engine == "dask":
            workers = partitions or max(1, len(table) // chunk_rows)
            show = sys.stderr.isatty() if progress is None else progress
            _write(score_with_dask(table, scorer, workers, client, progress=show), partial_scores)
        else:
            empty_scores().to_csv(partial_scores, index=False)
            # progress=None: a bar only on a terminal (tqdm's own rule); True/False force it on/off.
            bar = tqdm(total=len(table), unit=" customers", desc="scoring",
                       disable=None if progress is None else not progress)
            for part in score_chunks(table, scorer, shap, chunk_rows=chunk_rows):
                _write(part, partial_scores, append=True)
                bar.update(len(part))
            bar.close()
        excluded.to_csv(partial_unscored, index=False)
    lap(f"score and write ({engine})")
    return ScoreRun(scores_file, unscored_file, customers=len(table) + len(excluded), scored=len(table),
                    unscored=len(excluded), without_profit=int(table["profit"].isna().sum()), seconds=seconds)


@contextlib.contextmanager
def _written_together(*targets: Path):
    """Partial files beside `targets`, renamed onto them only if the block succeeds; removed if it fails.

    A run that fails half-way (an error, Ctrl-C) leaves no scores file with only a
    header or some of the chunks, and never one output without the other.
    """
    partials = [target.with_name(f".{target.name}.partial") for target in targets]
    try:
        yield partials
        for partial, target in zip(partials, targets):
            partial.replace(target)
    finally:
        for partial in partials:
            partial.unlink(missing_ok=True)


def _write(scores: pd.DataFrame, path: Path, append: bool = False) -> None:
    scores.to_csv(path, mode="a" if append else "w", header=not append, index=False)
