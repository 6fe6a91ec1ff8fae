"""`python -m analysis <command>`: the command line, argument parsing and what each command prints.

What build-results computes, in which order, with which cache, and the writing of results/,
is pipeline.py's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import pipeline
from .data import fetch, summary
from .errors import OneClickError
from .model import model_store
from .paths import RAW_DATA_DIR, RESULTS_DIR
from .report import publish
from .score import scoring


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
    inputs = pipeline.read_inputs(data_dir)
    raw, clean = inputs.raw, inputs.clean
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
    """Every stage of pipeline.py into --out, swapped in only when all of it was written."""
    seconds = pipeline.build_results(Path(args.data_dir), Path(args.out), use_cache=not args.no_model_cache,
                                     previous=[RESULTS_DIR])
    print(f"results written to {args.out} in {seconds:.1f} s")


def score_command(args: argparse.Namespace) -> None:
    """Score a folder of customers with the report's model; see scoring.py."""
    scorer = scoring.load_scorer(Path(args.model), threads=args.threads)
    client = _dask_client(args) if args.engine == "dask" else None
    try:
        run = scoring.score_folder(Path(args.data_dir), scorer, Path(args.output), unscored_file=args.unscored,
                                   engine=args.engine, drivers=args.drivers, chunk_rows=args.chunk_rows,
                                   partitions=args.partitions, client=client,
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
    command.add_argument("--threads", type=int, default=scoring.THREADS,
                         help="threads that predict each chunk (pandas engine; dask tasks use one each)")
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
