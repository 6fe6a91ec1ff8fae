"""Run a page's python cells and inline expressions in a fresh Jupyter kernel.

The kernel is always the renderer's own interpreter (`sys.executable`, the
project venv): its kernel spec is written to a temporary directory for each
page and nothing else is searched, so a user-level `python3` kernelspec that
points at another Python can never be picked up.
"""
from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from .errors import RenderError
from .options import PageOptions, cell_options
from .qmd import Cell, Document, Prose, inline_expressions

KERNEL_NAME = "render-fallback-python"
CELL_TIMEOUT = 600
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
NOISY_LOGGERS = ("asyncio", "tornado", "traitlets", "render.kernel")
QUIET_WARNINGS = "import warnings\nwarnings.simplefilter('ignore')\ndel warnings\n"


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


def execute(doc: Document, page: PageOptions, cwd: Path) -> nbformat.NotebookNode:
    """Execute `doc`; return a notebook of its code cells (document order) with outputs.

    Inline expression results are in `metadata.fallback.inline`, in document
    order. A cell error (unless `error: true`), a timeout or a dead kernel
    raises `RenderError` naming the page, cell and line.
    """
    options = [cell_options(cell, page) for cell in doc.cells]
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(cell.code) for cell in doc.cells],
        metadata={"kernelspec": {"name": KERNEL_NAME, "language": "python", "display_name": "Python"},
                  "fallback": {"inline": []}})
    has_inline = any(inline_expressions(b) for b in doc.blocks if isinstance(b, Prose))
    if not has_inline and not any(o["eval"] for o in options):
        return notebook
    setup = "" if page.execute["warning"] else QUIET_WARNINGS
    notebook.cells.insert(0, nbformat.v4.new_code_cell(setup))
    with tempfile.TemporaryDirectory(prefix="render-kernel-") as tmp, _quiet_loggers():
        kernel_log = Path(tmp) / "kernel-stderr.log"
        manager = AsyncKernelManager(kernel_name=KERNEL_NAME, log=logging.getLogger("render.kernel"),
                                     kernel_spec_manager=KernelSpecManager(kernel_dirs=[write_kernel_spec(Path(tmp))]))
        client = NotebookClient(notebook, km=manager, timeout=CELL_TIMEOUT, allow_errors=True,
                                shutdown_kernel="immediate", log=logging.getLogger("render.kernel"),
                                resources={"metadata": {"path": str(cwd)}})
        with open(kernel_log, "w") as kernel_stderr:
            try:
                with client.setup_kernel(stderr=kernel_stderr, cleanup_kc=True):
                    _run(client, doc, options, kernel_log)
            except RenderError:
                raise
            except Exception as error:  # the kernel did not start or broke down outside a cell
                raise RenderError(f"{doc.path}: the python kernel ({sys.executable}) failed: "
                                  f"{type(error).__name__}: {error}{_tail(kernel_log)}") from None
    notebook.cells.pop(0)
    return notebook


def write_kernel_spec(directory: Path) -> str:
    """Write a kernel spec for this very interpreter; return the kernels directory to search."""
    spec_dir = directory / "kernels" / KERNEL_NAME
    spec_dir.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": f"Python ({sys.executable})", "language": "python",
            "env": {"PYDEVD_DISABLE_FILE_VALIDATION": "1"}}
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return str(directory / "kernels")


def _run(client: NotebookClient, doc: Document, options: list[dict], kernel_log: Path) -> None:
    client.execute_cell(client.nb.cells[0], 0, store_history=False)
    inline = client.nb.metadata["fallback"]["inline"]
    index = 0
    for block in doc.blocks:
        if isinstance(block, Cell):
            index += 1
            if options[index - 1]["eval"]:
                where = f"{doc.path}:{block.line}: cell{_label(block)}"
                node = _execute_cell(client, index, where, kernel_log)
                _check_cell_error(node, block, options[index - 1], where)
        elif isinstance(block, Prose):
            inline.extend(_evaluate_inline(client, block, doc.path))


def _execute_cell(client: NotebookClient, index: int, where: str, kernel_log: Path) -> nbformat.NotebookNode:
    try:
        return client.execute_cell(client.nb.cells[index], index)
    except CellTimeoutError:
        raise RenderError(f"{where} did not finish within {CELL_TIMEOUT} s") from None
    except DeadKernelError:
        raise RenderError(f"{where}: the python kernel died while running it{_tail(kernel_log)}") from None


def _check_cell_error(node: nbformat.NotebookNode, cell: Cell, options: dict, where: str) -> None:
    if options["error"]:
        return
    for output in node.outputs:
        if output.output_type == "error":
            traceback = strip_ansi("\n".join(output.traceback))
            raise RenderError(f"{where} failed with {output.ename}: {output.evalue}\n"
                              f"(cell code starts at line {cell.code_line}; traceback lines count from there)\n"
                              f"{traceback}")


def _evaluate_inline(client: NotebookClient, prose: Prose, path: str) -> list[dict]:
    """Evaluate a block's inline expressions at once, as Quarto does (kernel `user_expressions`)."""
    exprs = inline_expressions(prose)
    if not exprs:
        return []
    msg_id = client.kc.execute("", store_history=False, user_expressions={str(i): e.expr for i, e in enumerate(exprs)})
    reply = client.wait_for_reply(msg_id)
    results = reply["content"].get("user_expressions", {})
    evaluated = []
    for i, expr in enumerate(exprs):
        result = results.get(str(i), {"status": "error", "ename": "NoReply", "evalue": "the kernel gave no result"})
        if result["status"] != "ok":
            raise RenderError(f"{path}:{expr.line}: inline expression `{expr.expr}` failed with "
                              f"{result['ename']}: {strip_ansi(result['evalue'])}")
        evaluated.append({"data": result["data"]})
    return evaluated


def _label(cell: Cell) -> str:
    return f" '{cell.options['label']}'" if "label" in cell.options else ""


def _tail(kernel_log: Path, lines: int = 20) -> str:
    text = strip_ansi(kernel_log.read_text(encoding="utf-8", errors="replace")).strip()
    return "\nkernel stderr:\n" + "\n".join(text.splitlines()[-lines:]) if text else ""


@contextlib.contextmanager
def _quiet_loggers():
    """Silence asyncio/tornado/traitlets chatter while a kernel runs; restore levels afterwards."""
    loggers = [logging.getLogger(name) for name in NOISY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
