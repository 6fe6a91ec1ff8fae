"""`python -m analysis <command>`: the only place that writes files."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

import pandas as pd

from . import cleaning, correlation, features, fetch, leakage, model_stage, model_store, profile, summary, publish
from .data import load_raw_data
from .errors import OneClickError
from .paths import RAW_DATA_DIR, RESULTS_DIR



def fetch_data_command(args: argparse.Namespace) -> None:
    sources = fetch.candidate_sources()
    for item in fetch.fetch_data(Path(args.dest), sources, fetch.read_checksums()):
        action = "copied from" if item.copied else "already present, from"
        print(f"{item.name}: {action} {item.source} (sha256 {item.sha256[:12]}… ok)")


def validate_command(args: argparse.Namespace) -> None:
    """Load and validate DIR; print a one-screen summary (problems raise, exit 1)."""
    data_dir = Path(args.data_dir)
    raw = load_raw_data(data_dir)
    clean = cleaning.clean(raw)
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
    data_dir, out = Path(args.data_dir), Path(args.out)
    started = time.perf_counter()
    raw = load_raw_data(data_dir)
    clean = cleaning.clean(raw)
    model = features.build_model_data(clean)
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
    }
    out.mkdir(parents=True, exist_ok=True)
    for stem, table in tables.items():
        table.to_csv(out / f"{stem}.csv", index=False)
    for stem, document in documents.items():
        _write_json(out / f"{stem}.json", document)
    print(f"data and correlation results written to {out} in {time.perf_counter() - started:.1f} s")
    key = model_stage.cache_key((out / "model_table.csv").read_text(encoding="utf-8"))
    _model_stage(model.table, key, out, use_cache=not args.no_model_cache)
    print(f"results written to {out} in {time.perf_counter() - started:.1f} s")


MODEL_CACHE_FILE = "model_cache.json"
MODEL_OUTPUTS = (*(f"{stem}.csv" for stem in model_stage.OUTPUT_TABLES),
                 *(f"{stem}.json" for stem in model_stage.OUTPUT_DOCUMENTS), model_store.MODEL_FILE)


def _write_json(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _cached_model_stage(key: str, folders: list[Path]) -> Path | None:
    """The first folder whose model outputs were computed under `key` (same table, same code)."""
    for folder in folders:
        cache = folder / MODEL_CACHE_FILE
        if (cache.exists() and json.loads(cache.read_text(encoding="utf-8")).get("key") == key
                and all((folder / name).exists() for name in MODEL_OUTPUTS)):
            return folder
    return None


def _model_stage(table: pd.DataFrame, key: str, out: Path, use_cache: bool) -> None:
    """Search, evaluation and the model file — or, when nothing they depend on changed, the cached ones.

    The cache is keyed by the modelling table and the model stage's sources
    (`model_stage.cache_key`); results/ is also looked in, so a build into another
    folder (the tests') reuses the project's results when they are current.
    """
    source = _cached_model_stage(key, [out, RESULTS_DIR]) if use_cache else None
    if source is not None:
        if source.resolve() != out.resolve():
            for name in (*MODEL_OUTPUTS, MODEL_CACHE_FILE):
                shutil.copy2(source / name, out / name)
        print(f"model stage: cached ({source / MODEL_CACHE_FILE}, key {key[:12]}…); "
              "delete it or pass --no-model-cache to recompute")
        return
    (out / MODEL_CACHE_FILE).unlink(missing_ok=True)
    stage = model_stage.run_model_stage(table, log=print)
    for stem, frame in stage.tables.items():
        frame.to_csv(out / f"{stem}.csv", index=False)
    for stem, document in stage.documents.items():
        _write_json(out / f"{stem}.json", document)
    (out / model_store.MODEL_FILE).write_bytes(model_store.serialise(stage.model))
    _write_json(out / MODEL_CACHE_FILE, {"key": key, "seconds": stage.seconds})
    print("model stage: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in stage.seconds.items()))


def vendor_js_command(args: argparse.Namespace) -> None:
    target = Path(args.out)
    if publish.write_vega_bundle(target):
        print(f"{target}: {target.stat().st_size / 1e6:.2f} MB")


def publish_downloads_command(args: argparse.Namespace) -> None:
    site = Path(args.site_dir or os.environ.get("QUARTO_PROJECT_OUTPUT_DIR", "_site"))
    copied = publish.copy_downloads(site, Path(args.results))
    print(f"{len(copied)} result files offered under {site / 'downloads'}")


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

    command = commands.add_parser("vendor-js", help="save the Vega JavaScript bundle into assets/")
    command.add_argument("--out", default=str(publish.VEGA_BUNDLE))
    command.set_defaults(run=vendor_js_command)

    command = commands.add_parser("publish-downloads", help="copy results/ into <site>/downloads")
    command.add_argument("--results", default=str(RESULTS_DIR))
    command.add_argument("--site-dir", default=None)
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
