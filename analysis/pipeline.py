"""The stages of `build-results`, declared once: in which order they run, what each writes, how it is cached.

data → model → explain → segments → campaign → workbooks → scorer (`STAGES`). Each stage
reads the modelling inputs and what the stages before it wrote into the output folder, and
returns its outputs as {name: DataFrame | dict | bytes} (`write_outputs` says how each is
written). The two expensive stages are cached (`CachedStage`): their outputs are reused
from a previous build while their key, a hash of their inputs and of the code that
computes them, is unchanged.

A build writes into a fresh folder beside `out` and swaps it in only when every stage has
written (`swapped_in_when_complete`), so a failed build leaves the previous results as
they were. The only code that writes results/.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from .data import cleaning, features, fetch, leakage, profile, summary
from .data.load import RawData, load_raw_data
from .data.cleaning import CleanData
from .data.features import ModelData
from .decide import campaign, offers, segments
from .explain import crossfit_explain, explain, shapley
from .model import correlation, model_stage, model_store, sample_size
from . import number_format
from .report import campaign_text, data_words, explain_words, formatting, workbooks
from .score import scoring


@dataclass(frozen=True)
class BuildInputs:
    """The raw files as loaded (`data_dir`), cleaned, and turned into the modelling table."""

    data_dir: Path
    raw: RawData
    clean: CleanData
    model: ModelData


@dataclass(frozen=True)
class CachedStage:
    """An expensive step of build-results whose outputs are reused while its inputs are unchanged.

    `<name>_cache.json` records the key the outputs were computed under. The
    previous results in --out and results/ are looked in, so a build (always into
    a fresh folder) or a build into another folder (the tests') reuses them when
    they are current.
    """

    name: str
    outputs: tuple[str, ...]

    @property
    def cache_file(self) -> str:
        return f"{self.name}_cache.json"


@dataclass(frozen=True)
class Stage:
    """One step of build-results: `compute(inputs, out)` returns its outputs; `cache` and `key`
    (a function of the output folder written so far) are set for the cached stages only."""

    name: str
    compute: Callable[[BuildInputs, Path], dict]
    cache: CachedStage | None = None
    key: Callable[[Path], str] | None = None


def read_inputs(data_dir: Path) -> BuildInputs:
    """Load, validate and clean the raw files and build the modelling table; a period too small to
    model is refused here (sample_size), before anything is written."""
    raw = load_raw_data(data_dir)
    clean = cleaning.clean(raw)
    model = features.build_model_data(clean)
    sample_size.check_enough_customers(model.table)
    return BuildInputs(Path(data_dir), raw, clean, model)


def build_results(data_dir: Path, out: Path, *, use_cache: bool, previous: list[Path]) -> float:
    """Every stage's outputs into a new folder beside `out`, swapped in only when all of it was written.

    A build that fails (bad data, too few customers, a crash in the model search,
    Ctrl-C) leaves the previous results exactly as they were; the cached model and
    SHAP stages are reused from `out` and `previous`. Returns the seconds it took.
    """
    started = time.perf_counter()
    inputs = read_inputs(data_dir)
    with swapped_in_when_complete(out) as staging:
        for stage in STAGES:
            run_stage(stage, inputs, staging, use_cache=use_cache, previous=[out, *previous], started=started)
    return time.perf_counter() - started


@contextlib.contextmanager
def swapped_in_when_complete(out: Path):
    """A fresh folder beside `out`; if the block succeeds it replaces `out`, else it is removed.

    Two renames in one directory: `out` is never a half-written folder.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.building-{os.getpid()}")
    retired = out.with_name(f".{out.name}.previous-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if out.exists():
        out.rename(retired)
    staging.rename(out)
    shutil.rmtree(retired, ignore_errors=True)


def run_stage(stage: Stage, inputs: BuildInputs, out: Path, *, use_cache: bool, previous: list[Path],
              started: float) -> None:
    """Write `stage`'s outputs into `out`: computed, or, for a cached stage, copied from the first
    folder of [out, *previous] whose outputs were computed under the current key."""
    if stage.cache is None:
        write_outputs(out, stage.compute(inputs, out))
        print(f"{stage.name} stage done, {time.perf_counter() - started:.1f} s since the build started")
        return
    key = stage.key(out)
    source = cached_stage_folder(stage.cache, key, [out, *previous]) if use_cache else None
    if source is not None:
        if source.resolve() != out.resolve():
            for name in (*stage.cache.outputs, stage.cache.cache_file):
                shutil.copy2(source / name, out / name)
        print(f"{stage.name} stage: cached (key {key[:12]}…); pass --no-model-cache to recompute")
        return
    (out / stage.cache.cache_file).unlink(missing_ok=True)
    stage_started = time.perf_counter()
    write_outputs(out, stage.compute(inputs, out))
    seconds = time.perf_counter() - stage_started
    write_json(out / stage.cache.cache_file, {"key": key, "seconds": round(seconds, 1)})
    print(f"{stage.name} stage: {seconds:.1f} s")


def cached_stage_folder(stage: CachedStage, key: str, folders: list[Path]) -> Path | None:
    """The first folder whose outputs of `stage` were computed under `key`."""
    for folder in folders:
        record = folder / stage.cache_file
        if (record.exists() and json.loads(record.read_text(encoding="utf-8")).get("key") == key
                and all((folder / name).exists() for name in stage.outputs)):
            return folder
    return None


def write_json(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_outputs(out: Path, produced: dict) -> None:
    """DataFrames to <stem>.csv, dicts to <stem>.json (or to the file a key ending in .json names:
    campaign.csv and campaign.json share a stem), bytes to the file named by the key."""
    for name, value in produced.items():
        if isinstance(value, pd.DataFrame):
            value.to_csv(out / f"{name}.csv", index=False)
        elif isinstance(value, dict):
            write_json(out / (name if name.endswith(".json") else f"{name}.json"), value)
        else:
            (out / name).write_bytes(value)


def _json(out: Path, name: str) -> dict:
    return json.loads((out / name).read_text(encoding="utf-8"))


# --- the stages, in the order they run ---------------------------------------------------------

def data_outputs(inputs: BuildInputs, out: Path) -> dict:
    """The raw files' summary, the cleaning audit, the modelling table and its exclusions, the id-order
    leak, the features' profiles and correlations (CSV tables and JSON documents); the profiles'
    codes worded by report/data_words.py after they are computed."""
    raw, clean, model = inputs.raw, inputs.clean, inputs.model
    raw_files = summary.raw_files_summary(inputs.data_dir, raw)
    return {
        "raw_files": raw_files,
        "activity_classes": summary.activity_class_counts(clean.market_file),
        "audit": pd.concat([clean.audit, model.audit], ignore_index=True),
        "labels": clean.labels,
        "columns": features.column_dictionary(),
        "model_table": model.table,
        "exclusions": model.exclusions,
        "feature_copies": model.copies,
        "id_order": leakage.class_share_by_position(clean.market_file),
        "revenue_outliers": features.revenue_outliers(clean.market_money),
        "revenue_histogram": profile.revenue_histogram(clean.market_money),
        "period_summary": profile.period_summary(model.table),
        "feature_separation": data_words.separation_notes(profile.feature_separation(model.table)),
        "feature_distributions": data_words.distribution_bins(profile.feature_distributions(model.table)),
        "phik": correlation.phik_matrix(model.table),
        "spearman": correlation.spearman_matrix(model.table),
        "vif": correlation.vif_table(model.table),
        "collinear_pairs": correlation.collinear_pairs(model.table),
        "data_summary": summary.data_summary(clean, model),
        "id_leak": leakage.id_order_leak(clean.market_file),
        "provenance": summary.data_provenance(raw_files, fetch.read_provenance(inputs.data_dir),
                                              fetch.read_checksums(), inputs.data_dir),
    }


def model_key(out: Path) -> str:
    """The modelling table as written and the model code (model_stage.cache_key)."""
    return model_stage.cache_key((out / "model_table.csv").read_text(encoding="utf-8"))


def model_outputs(inputs: BuildInputs, out: Path) -> dict:
    """Search, evaluation and the model files (see model_stage.py)."""
    stage = model_stage.run_model_stage(inputs.model.table, log=print)
    print("model stage: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in stage.seconds.items()))
    return {**stage.tables, **stage.documents, model_store.MODEL_FILE: model_store.serialise(stage.model)}


def explain_key(out: Path) -> str:
    """The explanations depend on what the model stage produced (its key: the table and the
    model code) and on the explanation code, the words included (the stage caches its outputs
    worded: report/explain_words.py and the number formatting it uses); later stages may add
    columns to customers.csv, so the files themselves are not hashed."""
    digest = hashlib.sha256(model_key(out).encode())
    for module in (explain, shapley, crossfit_explain, offers, explain_words, formatting, number_format):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(f"shap {version('shap')}".encode())
    return digest.hexdigest()


def explain_outputs(inputs: BuildInputs, out: Path) -> dict:
    """SHAP values of every modelled customer under the model that scored them (crossfit_explain.py);
    the fold models are refitted (deterministic), the final model is the saved one. The computation's
    codes are worded by report/explain_words.py after it."""
    final_model = model_store.load_model(out / model_store.MODEL_FILE)
    return explain_words.with_words(crossfit_explain.build_explain_results(
        final_model, crossfit_explain.refit_fold_models(final_model, inputs.model.table), inputs.model.table,
        pd.read_csv(out / "customers.csv"), threshold=_json(out, "metrics.json")["threshold"]["value"]))


def segment_outputs(inputs: BuildInputs, out: Path) -> dict:
    """Risk × profit segments, offers and profit at stake (segments.py)."""
    return segments.build_segment_results(inputs.model.table, pd.read_csv(out / "customers.csv"),
                                          pd.read_csv(out / "shap_values.csv"), _json(out, "metrics.json"))


def campaign_outputs(inputs: BuildInputs, out: Path) -> dict:
    """Who is targeted, the offer and control groups, the experiment, the action list (campaign.py)."""
    planned = campaign.build_campaign_results(pd.read_csv(out / "customers.csv"), inputs.model.table,
                                              segments.SEGMENT_LABELS)
    return {**planned.tables, "campaign.json": campaign_text.with_words(planned.document)}


def workbook_outputs(inputs: BuildInputs, out: Path) -> dict:
    """Excel copies of the main tables for people, with Russian headers and units, action_list.xlsx
    among them (workbooks.py): the report's words, written after the computation."""
    return workbooks.people_workbooks(out, _json(out, "campaign.json")["horizon_months"])


def scorer_outputs(inputs: BuildInputs, out: Path) -> dict:
    """What `python -m analysis score` reads beside the model (scoring.py)."""
    return scoring.scorer_outputs(inputs.model.table, pd.read_csv(out / "shap_values.csv"))


MODEL_STAGE = CachedStage("model", (*(f"{stem}.csv" for stem in model_stage.OUTPUT_TABLES),
                                    *(f"{stem}.json" for stem in model_stage.OUTPUT_DOCUMENTS),
                                    model_store.MODEL_FILE))
EXPLAIN_STAGE = CachedStage("explain", ("shap_values.csv", "shap_importance.csv", "shap_waterfalls.csv",
                                        "shap_claims.csv", "explain.json"))
MODEL_CACHE_FILE = MODEL_STAGE.cache_file

STAGES = (
    Stage("data", data_outputs),
    Stage("model", model_outputs, MODEL_STAGE, model_key),
    Stage("explain", explain_outputs, EXPLAIN_STAGE, explain_key),
    Stage("segments", segment_outputs),
    Stage("campaign", campaign_outputs),
    Stage("workbooks", workbook_outputs),
    Stage("scorer", scorer_outputs),
)
