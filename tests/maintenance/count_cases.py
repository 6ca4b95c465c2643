"""How many test cases assert on each check, over the whole suite.

    .venv/bin/python tests/maintenance/count_cases.py [--save FILE] [--compare FILE]

Collects the suite as ``pytest --collect-only`` does (parametrised cases expanded) and
attributes every case to each registered check id (``DH001``, ``UI003``…, any case, not
inside a longer number) that appears in its *text*: its name (class, test and parameter
ids, not the file's name), the source of its test function with decorators, the repr of
its parameter values, and the value of every module-level string or collection the
function's body names (``UI_ALL``…). A case naming no check is counted as ``(none)``. The rule
is textual on purpose and ignores which file a case is in, so it reads the same way
before and after cases are moved between files.
``--compare`` exits 1 when a check has fewer cases than in a saved table, or fewer in all.
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import inspect
import io
import re
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from appaudit.scanner.check import all_checks

REPO = Path(__file__).resolve().parents[2]
_CHECK_ID = re.compile(r"(?<![0-9])((?:dh|ui)\d{3})(?![0-9])", re.IGNORECASE)
_VALUE_TYPES = (str, tuple, list, set, frozenset, dict)


def case_text(item: pytest.Item) -> str:
    """Everything a case is attributed by (see the module docstring)."""
    parts = [item.nodeid.split("::", 1)[-1]]
    function = getattr(item, "function", None)
    if function is not None:
        try:
            source = textwrap.dedent(inspect.getsource(inspect.unwrap(function)))
        except (OSError, TypeError):
            source = ""
        parts.append(source)
        module_globals = getattr(function, "__globals__", {})
        try:
            definition = ast.parse(source).body[0]
            # The body's names only: a decorator's parameter list is counted through
            # the case's own parameter values, not every case's.
            names = {node.id for statement in definition.body for node in ast.walk(statement)
                     if isinstance(node, ast.Name)}
        except (SyntaxError, IndexError, AttributeError):
            names = set()
        parts += [repr(module_globals[name]) for name in sorted(names)
                  if isinstance(module_globals.get(name), _VALUE_TYPES)]
    callspec = getattr(item, "callspec", None)
    if callspec is not None:
        parts.append(repr(callspec.params))
    return "\n".join(parts)


def attribute(text: str, known: frozenset[str]) -> set[str]:
    return {m.upper() for m in _CHECK_ID.findall(text)} & known


class _Collector:
    def __init__(self) -> None:
        self.items: list[pytest.Item] = []

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.items = list(session.items)


def count(paths: list[str]) -> tuple[Counter, int]:
    """(cases per check id, total collected cases)."""
    collector = _Collector()
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        code = pytest.main(["--collect-only", "-qq", "-p", "no:warnings", "--rootdir", str(REPO), *paths],
                           plugins=[collector])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        raise SystemExit(f"{output.getvalue()}collection failed (pytest exit code {int(code)})")
    known = frozenset(all_checks())
    counts: Counter = Counter({check_id: 0 for check_id in known})
    for item in collector.items:
        ids = attribute(case_text(item), known)
        counts.update(ids or {"(none)"})
    return counts, len(collector.items)


def table(counts: Counter, total: int) -> str:
    rows = [f"{key}\t{counts[key]}" for key in sorted(counts)]
    return "\n".join(["check\tcases", *rows, f"(total collected)\t{total}"]) + "\n"


def read_table(path: Path) -> dict[str, int]:
    rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line)
    return {key: int(value) for key, value in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(REPO / "tests")], help="what to collect (default: tests/)")
    parser.add_argument("--save", type=Path, help="also write the table to this file")
    parser.add_argument("--compare", type=Path, help="a saved table no count may fall below")
    args = parser.parse_args(argv)
    counts, total = count(args.paths)
    text = table(counts, total)
    print(text, end="")
    if args.save:
        args.save.write_text(text, encoding="utf-8")
    if args.compare:
        before = read_table(args.compare)
        now = {**{key: counts[key] for key in counts}, "(total collected)": total}
        fewer = {key: (n, now.get(key, 0)) for key, n in before.items() if key != "(none)" and now.get(key, 0) < n}
        for key, (was, is_now) in sorted(fewer.items()):
            print(f"fewer cases for {key}: {was} before, {is_now} now", file=sys.stderr)
        return 1 if fewer else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
