"""The tree shows the flow (data → model → explain → decide → report, score beside them), and
dependencies point one way: no module of a computation stage imports `analysis.report`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analysis.paths import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "analysis"
STAGES = ("data", "model", "explain", "decide", "score")
REPORT = "analysis.report"
# Shared foundations every stage reads, the pipeline and the command line.
TOP_LEVEL_MODULES = {"__init__", "__main__", "cli", "pipeline", "constants", "paths", "errors", "number_format"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(dotted: str) -> bool:
    path = PROJECT_ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imported_modules(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module `source` (the text of `module`) imports, relative imports resolved; for
    `from X import name`, X and, when it is a submodule (as in `from .. import report`), X.name."""
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names if is_module(f"{target}.{alias.name}"))
    return found


def report_imports(source: str, module: str, is_package: bool = False) -> set[str]:
    return {name for name in imported_modules(source, module, is_package) if name == REPORT or name.startswith(REPORT + ".")}


def stage_modules() -> list[Path]:
    return sorted(path for stage in STAGES for path in (PACKAGE / stage).rglob("*.py"))


def test_the_package_is_one_folder_per_stage_and_a_few_shared_modules():
    folders = sorted(path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__")
    assert folders == sorted((*STAGES, "report"))
    assert all((PACKAGE / folder / "__init__.py").exists() for folder in folders)
    assert {path.stem for path in PACKAGE.glob("*.py")} == TOP_LEVEL_MODULES


@pytest.mark.parametrize("source, module, expected", [
    ("from ..report import formatting", "analysis.decide.offers", {"analysis.report", "analysis.report.formatting"}),
    ("from .. import report", "analysis.model.evaluation", {"analysis.report"}),
    ("from analysis.report.units import MONEY", "analysis.data.labels", {"analysis.report.units"}),
    ("import analysis.report.formatting as f", "analysis.explain.explain", {"analysis.report.formatting"}),
    ("def f():\n    from ...report import glossary\n", "analysis.score.engines.x",
     {"analysis.report", "analysis.report.glossary"}),
    ("from ..data import labels\nfrom . import offers\nfrom ..constants import RANDOM_STATE",
     "analysis.decide.segments", set()),
])
def test_the_import_check_sees_every_way_of_importing_report(source, module, expected):
    assert report_imports(source, module) == expected


def test_no_stage_module_imports_report():
    found = {(module_name(path), imported) for path in stage_modules()
             for imported in report_imports(path.read_text(encoding="utf-8"), module_name(path),
                                            is_package=path.name == "__init__.py")}
    assert found == set(), "a computation stage imports report/: return numbers and codes instead"


def test_the_tests_mirror_the_package():
    """tests/analysis/<stage>/test_<module>.py sits in the folder of the module it is named after."""
    tests = PROJECT_ROOT / "tests" / "analysis"
    stage_of = {path.stem: path.parent.name for path in PACKAGE.rglob("*.py")
                if path.parent != PACKAGE and path.stem != "__init__"}
    misplaced = {test.relative_to(tests).as_posix(): stage_of[test.stem.removeprefix("test_")]
                 for test in tests.rglob("test_*.py")
                 if stage_of.get(test.stem.removeprefix("test_"), test.parent.name) != test.parent.name}
    assert misplaced == {}, "move each test beside its module's stage"
