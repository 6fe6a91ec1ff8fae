"""`python -m analysis <command>`: the only place that writes files."""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from .data import cleaning, features, fetch, leakage, profile, summary
from .model import correlation, model_stage, model_store, sample_size
from .explain import crossfit_explain, explain, shapley
from .decide import campaign, offers, segments
from .score import scoring
from .report import publish, workbooks
from .data.load import load_raw_data
from .errors import OneClickError
from .paths import RAW_DATA_DIR, RESULTS_DIR


def fetch_data_command(args: argparse.Namespace) -> None:
    fetched = fetch.fetch_raw_data(Path(args.dest))
    check = "ok" if fetched.reference else "validated by schema"
    for item in fetched.files:
        action = "copied from" if item.copied else "already present, from"
        print(f"{item.name}: {action} {item.source} (sha256 {item.sha256[:12]}… {check})")
    if not fetched.reference:
        print(f"not the reference dataset (data/SHA256SUMS): other data from {fetched.source}; "
              f"provenance in {Path(args.dest) / fetch.PROVENANCE_FILE}")


def validate_command(args: argparse.Namespace) -> None:
    """Load and validate DIR, and check it has enough customers to model; print a one-screen summary.

    Problems raise (exit 1), a too-small period with its one-line reason.
    """
    data_dir = Path(args.data_dir)
    raw = load_raw_data(data_dir)
    clean = cleaning.clean(raw)
    sample_size.check_enough_customers(features.build_model_data(clean).table)
    files = summary.raw_files_summary(data_dir, raw)
    print(f"{data_dir}: valid — {len(files)} files, every check passed")
    for file in files.itertuples():
        print(f"  {file.file:<18}{file.rows:>6} rows {file.columns:>3} columns  sha256 {file.sha256[:16]}…")
    classes = summary.activity_class_counts(clean.market_file)
    print(f"customers: {classes['customers'].sum()} ("
          + ", ".join(f"{row.activity} {row.customers}" for row in classes.itertuples()) + ")")
    fixes = clean.audit.loc[clean.audit["step"] != "rename_column"]
    print(f"cleaning will make {len(fixes)} fixes:" if len(fixes) else "cleaning has nothing to fix")
    for fix in fixes.itertuples():
        print(f"  {fix.file}, '{fix.column}': {fix.before!r} -> {fix.after!r} ({fix.rows} rows)")


def build_results_command(args: argparse.Namespace) -> None:
    """Everything into a new folder beside --out, swapped in only when all of it was written.

    A build that fails (bad data, too few customers, a crash in the model search,
    Ctrl-C) leaves the previous results exactly as they were; the cached model and
    SHAP stages are reused from them.
    """
    data_dir, out = Path(args.data_dir), Path(args.out)
    started = time.perf_counter()
    raw = load_raw_data(data_dir)
    clean = cleaning.clean(raw)
    model = features.build_model_data(clean)
    sample_size.check_enough_customers(model.table)
    with _swapped_in_when_complete(out) as staging:
        _build_results(data_dir, staging, raw, clean, model, use_cache=not args.no_model_cache,
                       previous=[out, RESULTS_DIR], started=started)
    print(f"results written to {out} in {time.perf_counter() - started:.1f} s")


@contextlib.contextmanager
def _swapped_in_when_complete(out: Path):
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


def _build_results(data_dir: Path, out: Path, raw, clean, model, *, use_cache: bool, previous: list[Path],
                   started: float) -> None:
    """Write every result into `out` (an empty folder); cached stages are looked for in `previous` too."""
    tables = {
        "raw_files": summary.raw_files_summary(data_dir, raw),
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
        "feature_separation": profile.feature_separation(model.table),
        "feature_distributions": profile.feature_distributions(model.table),
        "phik": correlation.phik_matrix(model.table),
        "spearman": correlation.spearman_matrix(model.table),
        "vif": correlation.vif_table(model.table),
        "collinear_pairs": correlation.collinear_pairs(model.table),
    }
    documents = {
        "data_summary": summary.data_summary(clean, model),
        "id_leak": leakage.id_order_leak(clean.market_file),
        "provenance": summary.data_provenance(tables["raw_files"], fetch.read_provenance(data_dir),
                                              fetch.read_checksums(), data_dir),
    }
    for stem, table in tables.items():
        table.to_csv(out / f"{stem}.csv", index=False)
    for stem, document in documents.items():
        _write_json(out / f"{stem}.json", document)
    print(f"data and correlation results computed in {time.perf_counter() - started:.1f} s")
    model_key = model_stage.cache_key((out / "model_table.csv").read_text(encoding="utf-8"))
    _run_stage(MODEL_STAGE, model_key, out, use_cache, lambda: _model_outputs(model.table), previous)
    _run_stage(EXPLAIN_STAGE, _explain_key(model_key), out, use_cache,
               lambda: _explain_outputs(model.table, out), previous)
    _write_outputs(out, segments.build_segment_results(
        model.table, pd.read_csv(out / "customers.csv"), pd.read_csv(out / "shap_values.csv"),
        json.loads((out / "metrics.json").read_text(encoding="utf-8"))))
    planned = campaign.build_campaign_results(pd.read_csv(out / "customers.csv"), model.table,
                                              segments.SEGMENT_LABELS)
    _write_outputs(out, {**planned.tables, CAMPAIGN_WORKBOOK: planned.workbook})
    _write_json(out / "campaign.json", planned.document)
    _write_outputs(out, workbooks.people_workbooks(out, planned.document["horizon_months"]))
    _write_outputs(out, scoring.scorer_outputs(model.table, pd.read_csv(out / "shap_values.csv")))


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


MODEL_STAGE = CachedStage("model", (*(f"{stem}.csv" for stem in model_stage.OUTPUT_TABLES),
                                    *(f"{stem}.json" for stem in model_stage.OUTPUT_DOCUMENTS),
                                    model_store.MODEL_FILE))
EXPLAIN_STAGE = CachedStage("explain", ("shap_values.csv", "shap_importance.csv", "shap_waterfalls.csv",
                                        "shap_claims.csv", "explain.json"))
MODEL_CACHE_FILE = MODEL_STAGE.cache_file
CAMPAIGN_WORKBOOK = "action_list.xlsx"


def _write_json(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _write_outputs(out: Path, produced: dict) -> None:
    """DataFrames to <stem>.csv, dicts to <stem>.json, bytes to the file named by the key."""
    for name, value in produced.items():
        if isinstance(value, pd.DataFrame):
            value.to_csv(out / f"{name}.csv", index=False)
        elif isinstance(value, dict):
            _write_json(out / f"{name}.json", value)
        else:
            (out / name).write_bytes(value)


def _cached_stage_folder(stage: CachedStage, key: str, folders: list[Path]) -> Path | None:
    """The first folder whose outputs of `stage` were computed under `key`."""
    for folder in folders:
        record = folder / stage.cache_file
        if (record.exists() and json.loads(record.read_text(encoding="utf-8")).get("key") == key
                and all((folder / name).exists() for name in stage.outputs)):
            return folder
    return None


def _run_stage(stage: CachedStage, key: str, out: Path, use_cache: bool, compute, previous: list[Path]) -> None:
    source = _cached_stage_folder(stage, key, [out, *previous]) if use_cache else None
    if source is not None:
        if source.resolve() != out.resolve():
            for name in (*stage.outputs, stage.cache_file):
                shutil.copy2(source / name, out / name)
        print(f"{stage.name} stage: cached (key {key[:12]}…); pass --no-model-cache to recompute")
        return
    (out / stage.cache_file).unlink(missing_ok=True)
    started = time.perf_counter()
    _write_outputs(out, compute())
    seconds = time.perf_counter() - started
    _write_json(out / stage.cache_file, {"key": key, "seconds": round(seconds, 1)})
    print(f"{stage.name} stage: {seconds:.1f} s")


def _model_outputs(table: pd.DataFrame) -> dict:
    """Search, evaluation and the model file (see model_stage.py)."""
    stage = model_stage.run_model_stage(table, log=print)
    print("model stage: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in stage.seconds.items()))
    return {**stage.tables, **stage.documents, model_store.MODEL_FILE: model_store.serialise(stage.model)}


def _explain_key(model_key: str) -> str:
    """The explanations depend on what the model stage produced (its key: the table and the
    model code) and on explain.py; later stages may add columns to customers.csv, so the
    files themselves are not hashed."""
    digest = hashlib.sha256(model_key.encode())
    for module in (explain, shapley, crossfit_explain, offers):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(f"shap {version('shap')}".encode())
    return digest.hexdigest()


def _explain_outputs(table: pd.DataFrame, out: Path) -> dict:
    """SHAP values of every modelled customer under the model that scored them (crossfit_explain.py);
    the fold models are refitted (deterministic), the final model is the saved one."""
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    final_model = model_store.load_model(out / model_store.MODEL_FILE)
    return crossfit_explain.build_explain_results(
        final_model, crossfit_explain.refit_fold_models(final_model, table), table,
        pd.read_csv(out / "customers.csv"), threshold=metrics["threshold"]["value"])


def score_command(args: argparse.Namespace) -> None:
    """Score a folder of customers with the report's model; see scoring.py."""
    scorer = scoring.load_scorer(Path(args.model))
    client = _dask_client(args) if args.engine == "dask" else None
    try:
        run = scoring.score_folder(Path(args.data_dir), scorer, Path(args.output), unscored_file=args.unscored,
                                   engine=args.engine, drivers=args.drivers, chunk_rows=args.chunk_rows,
                                   jobs=args.jobs, partitions=args.partitions, client=client,
                                   log=lambda message: print(message, file=sys.stderr))
    finally:
        if client is not None:
            client.close()
    print(f"{run.scored} customers scored -> {run.scores_file}; {run.unscored} not scored (with the reason) "
          f"-> {run.unscored_file}")
    if run.without_profit:
        print(f"{run.without_profit} customers have no profit (no money.csv): segment and offer left empty, "
              "the note column says why")


def _dask_client(args: argparse.Namespace):
    """A client of the cluster at --scheduler, or of a LocalCluster on this machine."""
    from distributed import Client, LocalCluster

    if args.scheduler:
        return Client(args.scheduler)
    return Client(LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None))


def vendor_js_command(args: argparse.Namespace) -> None:
    target = Path(args.out)
    if publish.write_vega_bundle(target):
        print(f"{target}: {target.stat().st_size / 1e6:.2f} MB")
    datatables = target.parent / publish.DATATABLES_BUNDLE.name
    if publish.write_datatables_bundle(datatables):
        print(f"{datatables}: {datatables.stat().st_size / 1e6:.2f} MB")


def publish_downloads_command(args: argparse.Namespace) -> None:
    copied = publish.copy_downloads(Path(args.downloads), Path(args.results))
    print(f"{len(copied)} result files offered in {args.downloads}")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m analysis", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)

    command = commands.add_parser("fetch-data", help="copy the raw CSVs into data/raw and verify them")
    command.add_argument("--dest", default=str(RAW_DATA_DIR))
    command.set_defaults(run=fetch_data_command)

    command = commands.add_parser("validate", help="check the raw files in a folder; exit 1 listing every problem")
    command.add_argument("--data-dir", default=str(RAW_DATA_DIR))
    command.set_defaults(run=validate_command)

    command = commands.add_parser("build-results", help="compute everything the chapters show")
    command.add_argument("--data-dir", default=str(RAW_DATA_DIR))
    command.add_argument("--out", default=str(RESULTS_DIR))
    command.add_argument("--no-model-cache", action="store_true",
                         help="rerun the model search even if the table and the model code are unchanged")
    command.set_defaults(run=build_results_command)

    command = commands.add_parser("score", help="score customers in the four-file format with the report's model")
    command.add_argument("--data-dir", required=True, help="folder with market_file.csv, market_money.csv, "
                         "market_time.csv and (optional) money.csv")
    command.add_argument("--output", required=True, help="scores CSV; customers that cannot be scored go to "
                         "<output>_unscored.csv unless --unscored names another file")
    command.add_argument("--unscored", default=None)
    command.add_argument("--model", default=str(RESULTS_DIR / model_store.MODEL_FILE),
                         help="skops model; segments.json, driver_curves.csv and model_table.csv must sit beside it")
    command.add_argument("--drivers", choices=sorted(scoring.DRIVER_METHODS), default="approx",
                         help="approx: SHAP dependence curves (fast, any size); exact: the report's explainer (~40 ms "
                              "per customer)")
    command.add_argument("--engine", choices=scoring.ENGINES, default="pandas")
    command.add_argument("--chunk-rows", type=int, default=scoring.CHUNK_ROWS)
    command.add_argument("--jobs", type=int, default=scoring.JOBS, help="processes of the pandas engine")
    command.add_argument("--partitions", type=int, default=None, help="dask partitions (default: one per chunk)")
    command.add_argument("--scheduler", default=None, help="address of a running Dask scheduler (default: a "
                         "LocalCluster)")
    command.add_argument("--workers", type=int, default=2, help="LocalCluster workers")
    command.set_defaults(run=score_command)

    command = commands.add_parser("vendor-js", help="save the Vega and DataTables JavaScript bundles into assets/")
    command.add_argument("--out", default=str(publish.VEGA_BUNDLE))
    command.set_defaults(run=vendor_js_command)

    command = commands.add_parser("publish-downloads", help="copy results/ into downloads/ (shipped with the site)")
    command.add_argument("--results", default=str(RESULTS_DIR))
    command.add_argument("--downloads", default=str(publish.DOWNLOADS_DIR))
    command.set_defaults(run=publish_downloads_command)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.run(args)
    except OneClickError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
