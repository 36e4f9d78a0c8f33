"""Break a rule on purpose and check that the test suite notices: the suite's tests can fail where they claim to.

Each mutation copies the package and the tests into a temporary folder, changes one rule (the number grammar,
the theme coder, the keyness statistic), runs the tests that guard it, and expects them to FAIL. Nothing in the
repository is modified.

    python eval/mutations.py            # all mutations; exit status 1 if one of them survives
    python eval/mutations.py keyness    # one of them
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: name -> (file, text to replace, replacement, tests that must fail)
MUTATIONS = {
    "grammar: 万 read as a thousand": (
        "analysis/metrics/numerals.py", '_BIG = {"万": 10_000,', '_BIG = {"万": 1_000,',
        ["tests/test_numbers.py", "tests/test_metrics.py"]),
    "grammar: hedges ignored": (
        "analysis/metrics/quantity.py", '("超过", "lower_bound")', '("超过", "exact")',
        ["tests/test_numbers.py", "tests/test_metrics.py"]),
    "theme coder: the heaviest cue no longer wins a shared span": (
        "analysis/themes/matcher.py", "def longest_outer(hits: list[Hit]) -> list[Hit]:\n",
        "def longest_outer(hits: list[Hit]) -> list[Hit]:\n    return []\n", ["tests/test_themes.py"]),
    "keyness: G2 scaled by 3/4": (
        "analysis/terms/keyness.py", "g2 += np.where(o > 0, 2 * xlogy(", "g2 += np.where(o > 0, 1.5 * xlogy(",
        ["tests/test_terms.py"]),
}


def run(name: str) -> bool:
    """Apply one mutation in a copy and run its tests; True when the tests failed (the mutation was caught)."""
    path, old, new, tests = MUTATIONS[name]
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        root = Path(tmp)
        for part in ("analysis", "tests", "seeds", "notebooks"):
            shutil.copytree(REPO / part, root / part, ignore=shutil.ignore_patterns("__pycache__", ".cache"))
        shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
        target = root / path
        text = target.read_text(encoding="utf-8")
        if old not in text:
            print(f"{name}: the code to break was not found in {path} (update eval/mutations.py)")
            return False
        target.write_text(text.replace(old, new, 1), encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                              cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin",
                                             "ANALYSIS_CACHE": str(root / ".cache"), "MPLBACKEND": "Agg"},
                              capture_output=True, text=True)
        last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr.strip()[-200:]
        caught = proc.returncode != 0
        print(f"{'caught ' if caught else 'SURVIVED'}  {name}: {last}")
        return caught


def main(argv: list[str]) -> int:
    names = [n for n in MUTATIONS if not argv or any(a in n for a in argv)]
    results = [run(n) for n in names]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
