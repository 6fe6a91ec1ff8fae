"""`project.pre-render` / `post-render` scripts, run as Quarto runs them.

A `*.py` entry runs with the renderer's own interpreter (the project venv);
anything else is a shell command. Both run in the project directory with
Quarto's environment variables; a non-zero exit fails the build.
"""
from __future__ import annotations

import os
import subprocess
import sys

from .config import Project
from .errors import RenderError


def run(project: Project, stage: str, commands: tuple[str, ...], files: dict[str, list[str]]) -> None:
    """Run `commands` for `stage` ('pre-render' or 'post-render'); `files` adds QUARTO_PROJECT_*_FILES."""
    env = {**os.environ, "QUARTO_PROJECT_DIR": str(project.root),
           "QUARTO_PROJECT_OUTPUT_DIR": str(project.output_dir), "QUARTO_PROJECT_RENDER_ALL": "1"}
    env.update({f"QUARTO_PROJECT_{name.upper()}_FILES": "\n".join(paths) for name, paths in files.items()})
    for command in commands:
        is_python = command.endswith(".py") and " " not in command.strip()
        args = [sys.executable, str(project.root / command.strip())] if is_python else command
        try:
            done = subprocess.run(args, shell=not is_python, cwd=project.root, env=env)
        except OSError as error:
            raise RenderError(f"_quarto.yml: project.{stage} script '{command}' could not start: {error}") from None
        if done.returncode != 0:
            raise RenderError(f"_quarto.yml: project.{stage} script '{command}' failed with exit code "
                              f"{done.returncode}")
