"""What every front door (``appaudit scan``, ``appaudit report``, ``appaudit proxy``, the
mitmproxy addon) shares about output: exit codes, ``--fail-on``, colour, reading saved
reports and writing reports to files, folders or standard output."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from appaudit.reports import writers
from appaudit.reports.text_report import safe
from appaudit.scanner.failures import describe
from appaudit.scanner.model import Severity

# The contract's exit codes.
EXIT_CLEAN = 0  # nothing at or above --fail-on, and everything given was judged
EXIT_FINDINGS = 1  # findings at or above --fail-on
EXIT_USAGE = 2  # usage error, or no input could be read
EXIT_INCOMPLETE = 3  # something could not be judged, or an internal error
EXIT_INTERRUPTED = 130  # Ctrl-C

FAIL_ON_CHOICES = [*Severity.names(), "never"]
REPORT_SCHEMA = "appaudit-report/1"
ISSUES_URL = "https://github.com/appaudit/appaudit/issues"


class UsageProblem(click.ClickException):
    """A problem with what the user asked for: one line on stderr per problem (a bad
    profile lists them all), exit 2."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str | list[str]):
        # A list is several problems, one line each; any one problem is one line, even
        # when it quotes a file name or key with a newline in it.
        self.lines = [message] if isinstance(message, str) else list(message)
        super().__init__("\n".join(self.lines))

    def show(self, file=None) -> None:
        for line in self.lines:
            click.echo(f"appaudit: {terminal_safe(line)}", err=True)


def parse_fail_on(fail_on: str) -> Severity | None:
    if fail_on.strip().lower() == "never":
        return None
    try:
        return Severity.parse(fail_on)
    except ValueError as e:
        raise UsageProblem(f"--fail-on: {e}") from None


def exit_code(report: dict, threshold: Severity | None) -> int:
    """An incomplete scan never passes a gate, whatever --fail-on says: its report's
    ``errors`` name what was not judged."""
    if report.get("errors"):
        return EXIT_INCOMPLETE
    worst = max((Severity.parse(f["severity"]) for f in report["findings"]), default=None)
    return EXIT_FINDINGS if threshold is not None and worst is not None and worst >= threshold else EXIT_CLEAN


def read_report(path: str) -> dict:
    """A saved JSON report of this schema version, or a one-line usage problem."""
    try:
        report = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise UsageProblem(f"{path}: cannot read: {(e.strerror or str(e)).lower()}") from None
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        raise UsageProblem(f"{path}: not a JSON report: {str(e)[:200]}") from None
    if not isinstance(report, dict) or not str(report.get("schema", "")).startswith("appaudit-report/"):
        raise UsageProblem(f"{path}: not an appaudit JSON report (no appaudit-report schema)")
    if report["schema"] != REPORT_SCHEMA:
        raise UsageProblem(f"{path}: report schema {str(report['schema'])[:40]!r} is not {REPORT_SCHEMA!r}, "
                           "which this version reads")
    for key in ("findings", "errors", "inputs", "third_parties", "checks"):
        items = report.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            raise UsageProblem(f"{path}: damaged report: {key!r} is not a list")
        if not all(isinstance(item, dict) for item in items):
            raise UsageProblem(f"{path}: damaged report: {key!r} holds something other than objects")
    if not isinstance(report.get("summary", {}), dict):
        raise UsageProblem(f"{path}: damaged report: 'summary' is not an object")
    return report


def render_saved_report(path: str, formats: list[str], output: str | None, *, color: bool = False) -> None:
    """Re-render a saved report. A report damaged below its top level (a finding whose
    title is a list) is refused in one line, like one that is not JSON."""
    report = read_report(path)
    try:
        write_reports(report, formats, output, color=color)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
        raise UsageProblem(f"{path}: damaged report: {describe(e)}") from None


def baseline_fingerprints(path: str) -> set[str]:
    report = read_report(path)
    return {f["fingerprint"] for f in report.get("findings") or [] if isinstance(f.get("fingerprint"), str)}


def use_color(choice: str, stream=None) -> bool:
    """``--color auto`` follows the conventions ruff and bandit follow: FORCE_COLOR
    (non-empty) forces colour, NO_COLOR (non-empty) and TERM=dumb turn it off, else
    colour only on a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return (stream or sys.stdout).isatty()


def write_reports(report: dict, formats: list[str], output: str | None, *, color: bool = False,
                  quiet: bool = False) -> None:
    """Text goes to the terminal; other formats to -o (a file for one format, a folder
    for several; ``-`` is standard output), or to standard output when -o is absent and
    there is one format."""
    if len(formats) > 1 and output in (None, "-"):
        raise UsageProblem("several formats need -o FOLDER")
    to_folder = output not in (None, "-") and (len(formats) > 1 or Path(output).is_dir())
    for name in formats:
        writer = writers()[name]
        if output in (None, "-") or (name == "text" and to_folder):
            options = {"color": color, "quiet": quiet} if name == "text" else {}
            click.echo(writer.render(report, **options), nl=False)
            continue
        target = Path(output) / f"report{writer.EXTENSION}" if to_folder else Path(output)
        try:
            write_report_file(report, target, name)
        except OSError as e:
            raise UsageProblem(f"{target}: cannot write: {(e.strerror or str(e)).lower()}") from None
        if not quiet:
            click.echo(f"wrote {terminal_safe(str(target))}", err=True)


def write_report_file(report: dict, target: Path, fmt: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(writers()[fmt].render(report), encoding="utf-8")


def terminal_safe(text: str) -> str:
    """Text from captures, file names or config files, fit for one terminal line."""
    return safe(text)
