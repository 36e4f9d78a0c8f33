#!/usr/bin/env python3
"""Set up and run the project with nothing but Python 3.11+ and PyPI: ``python3 tasks.py run`` / ``python3 tasks.py test``.

Each command makes (or reuses) the virtual environment ``.venv`` and installs the project into it when
``pyproject.toml`` changed since the last install, then runs:

  run    the main job: every notebook on the bundled seeds (``python -m analysis run``), extra args passed on
  test   the test suite (``pytest``), extra args passed on
  shell  any command inside the environment, e.g. ``python3 tasks.py shell jupyter lab``
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("ANALYSIS_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_env() -> None:
    """Create .venv and install the project (with test and dask extras) if pyproject.toml changed."""
    if sys.version_info < (3, 11):
        sys.exit(f"tasks.py: Python 3.11 or newer is needed, this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"creating virtual environment {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{digest}"
    if not stamp.exists():
        print("installing dependencies (first run takes a few minutes) …", flush=True)
        subprocess.run([PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([PY, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test,dask]"], check=True)
        subprocess.run([PY, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"], check=True,
                       stdout=subprocess.DEVNULL)
        for old in VENV.glob(".installed-*"):
            old.unlink()
        stamp.touch()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test", "shell"):
        print(__doc__)
        return 2
    ensure_env()
    cmd, rest = argv[0], argv[1:]
    # No MPLBACKEND here: a Jupyter kernel started from `shell jupyter lab` (or by papermill in `run`) must get
    # matplotlib's inline backend, or no figure is shown or embedded. The tests set Agg themselves (conftest).
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    if cmd == "run":
        return subprocess.call([PY, "-m", "analysis", "run", *rest], cwd=ROOT, env=env)
    if cmd == "test":
        return subprocess.call([PY, "-m", "pytest", *rest], cwd=ROOT, env=env)
    return subprocess.call(rest, cwd=ROOT, env=env) if rest else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
