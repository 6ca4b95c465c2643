"""``appaudit fleet``: one scan per app session on Dask's ``distributed`` scheduler, and
one cross-app aggregate built as the sessions' results arrive.

SESSIONS/ holds one folder per session (its captures and, optionally, its ``app.yaml``).
A worker scans a session exactly as ``appaudit scan FOLDER -a FOLDER/app.yaml`` would and
returns the report document, never raw flows; the client writes
``OUT/sessions/<name>/report.json``, folds the report into the aggregate and lets it go,
so the client's memory grows with the aggregate, not with the captures. Beside each report,
``scanned-inputs.json`` records the sha256 of every file of the session folder: a rerun
over the same OUT/ reuses a report whose files are unchanged.

Dask is an optional extra (``pip install 'appaudit[fleet]'``); it is imported only here, in
:func:`run_fleet`.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shlex
import sys
import tempfile
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

import click

from appaudit import scanner
from appaudit.scanner.appfile import load_app
from appaudit.scanner.engine import ScanSettings, scan
from appaudit.scanner.fleet_report import write_csv, write_html
from appaudit.scanner.loading import sha256_of
from appaudit.scanner.model import Severity
from appaudit.scanner.output import (
    EXIT_CLEAN, EXIT_FINDINGS, EXIT_INCOMPLETE, FAIL_ON_CHOICES, UsageProblem, parse_fail_on, read_report,
    terminal_safe, write_report_file,
)
from appaudit.scanner.profile_loader import Profile, load_profile
from appaudit.scanner.report_document import build_report, utc_now
from appaudit.scanner.sharing import build_catalogue
from appaudit.scanner.yamlfile import ConfigError

FLEET_SCHEMA = "appaudit-fleet/1"
APP_FILE = "app.yaml"
REPORT_FILE = "report.json"
STATE_FILE = "scanned-inputs.json"
INSTALL_HINT = "appaudit fleet needs Dask: pip install 'appaudit[fleet]' (or pip install 'dask[distributed]')"
# A task that raised is run again this many times (Dask's retries); a worker that dies
# while running it is the scheduler's to retry (distributed.scheduler.allowed-failures).
RETRIES = 2
# Sessions submitted ahead of the workers, per worker thread: enough to keep every worker
# busy, few enough that the scheduler and the client hold a window, not the fleet.
AHEAD_PER_THREAD = 2
LOCAL_NO_WORKERS_TIMEOUT = "120s"

_STATUS_RANK = {"error": 3, "fail": 2, "pass": 1, "not_applicable": 0}


# --- On the workers -----------------------------------------------------------------

def session_files(folder: str) -> dict[str, str]:
    """The sha256 of every file of a session folder (hidden files and folders aside, as
    ``scan`` passes them over), by path relative to the folder."""
    digests = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                path = os.path.join(root, name)
                try:
                    digests[os.path.relpath(path, folder)] = sha256_of(path)
                except OSError as e:
                    digests[os.path.relpath(path, folder)] = f"unreadable: {e.strerror or e}"
    return digests


def audit_session(folder: str, profile: Profile, profile_key: str, recorded: dict | None,
                  profile_arg: str = "default") -> dict:
    """The task of one session: its state (what a rerun compares) and, unless the state
    equals ``recorded``, its report document (None when nothing could be read, with the
    reason in ``errors``). The report's invocation is the equivalent ``scan`` command."""
    state = {"tool": scanner.__version__, "profile": profile_key, "files": session_files(folder)}
    if recorded == state:
        return {"state": state, "unchanged": True}
    app_path = os.path.join(folder, APP_FILE)
    try:
        app = load_app(app_path) if os.path.isfile(app_path) else None
        build_catalogue(profile, app)  # as `scan` does: the profile's and app file's SDKs must agree
    except ConfigError as e:
        return {"state": state, "report": None, "errors": [{"input": app_path, "message": str(e)}]}
    started = utc_now()
    result = scan([folder], ScanSettings(profile=profile, app=app))
    if not result.inputs:
        errors = [{"input": path, "message": message} for path, message in result.errors]
        return {"state": state, "report": None, "errors": errors or [{"input": folder, "message": "no capture in the folder"}]}
    command = ["appaudit", "scan", folder, *(["-a", app_path] if app else []), "-p", profile_arg, "-f", "json"]
    return {"state": state, "report": build_report(result, started=started, finished=utc_now(),
                                                   command_line=shlex.join(command))}


# --- The aggregate ------------------------------------------------------------------

class FleetAggregate:
    """What the fleet report says, built one session at a time; holds per session only
    counts, inputs and inventories, never findings."""

    def __init__(self, *, profile: Profile, baseline: str | None = None):
        self.profile = profile
        self.sessions = SpooledSessions()
        self.statuses: Counter[str] = Counter()
        self.by_severity: Counter[str] = Counter()
        self.by_check: Counter[str] = Counter()
        self.findings = 0
        self.sdks: dict[str, dict] = {}
        self.parties: dict[str, dict] = {}
        self.baseline = Path(baseline) if baseline else None
        self.regressions: list[dict] = []
        self._baseline_sessions = _baseline_sessions(self.baseline) if self.baseline else {}

    def add_report(self, name: str, folder: str, report: dict) -> None:
        errors = [_relative(e, folder) for e in report["errors"]]
        checks: dict[str, dict] = {}
        for outcome in report["checks"]:
            entry = checks.setdefault(outcome["check"], {"status": outcome["status"], "findings": 0, "severity": None})
            if _STATUS_RANK.get(outcome["status"], 0) > _STATUS_RANK.get(entry["status"], 0):
                entry["status"] = outcome["status"]
        for finding in report["findings"]:
            entry = checks.setdefault(finding["check"], {"status": "fail", "findings": 0, "severity": None})
            entry["findings"] += 1
            if entry["severity"] is None or Severity.parse(finding["severity"]) > Severity.parse(entry["severity"]):
                entry["severity"] = finding["severity"]
        session = {
            "name": name,
            "status": "incomplete" if errors else "complete",
            "report": f"sessions/{name}/{REPORT_FILE}",
            "app": _relative_path(report["app"], folder) if report["app"] else None,
            "inputs": [{"path": _relative_path(i["path"], folder), "kind": i["kind"], "sha256": i["sha256"],
                        "records": i["records"]} for i in report["inputs"]],
            "findings": report["summary"]["total"],
            "by_severity": report["summary"]["by_severity"],
            "by_check": report["summary"]["by_check"],
            "checks": dict(sorted(checks.items())),
            "errors": errors,
        }
        self._add_session(session)
        for usage in report["third_parties"]:
            self._add_party(name, usage)
        if self.baseline:
            self._compare(session, report)

    def add_failure(self, name: str, folder: str, errors: list[dict]) -> None:
        session = {
            "name": name, "status": "failed", "report": None, "app": None, "inputs": [], "findings": 0,
            "by_severity": {}, "by_check": {},
            "checks": {check: {"status": "error", "findings": 0, "severity": None} for check in self.profile.enabled},
            "errors": [_relative(e, folder) for e in errors],
        }
        self._add_session(session)
        if self.baseline:
            self._compare(session, None)

    def _add_session(self, session: dict) -> None:
        self.sessions.add(session)
        self.statuses[session["status"]] += 1
        self.findings += session["findings"]
        self.by_severity.update(session["by_severity"])
        self.by_check.update(session["by_check"])

    def _add_party(self, session: str, usage: dict) -> None:
        sdk = usage.get("sdk")
        key = sdk["id"] if sdk else usage["registrable_domain"] or usage["party"]
        party = self.parties.setdefault(key, {"key": key, "name": sdk["name"] if sdk else usage["party"],
                                              "sdk": sdk["id"] if sdk else None, "sessions": {}})
        received = party["sessions"].setdefault(session, {"data_types": set(), "declared": usage["declared"]})
        received["data_types"].update(usage["data_types"])
        if not sdk:
            return
        entry = self.sdks.setdefault(sdk["id"], {**sdk, "sessions": {}})
        # Several inputs of one session: before consent in any of them is before consent.
        was = entry["sessions"].get(session, None)
        now = usage["before_consent"]
        entry["sessions"][session] = True if True in (was, now) else False if False in (was, now) else None

    def _compare(self, session: dict, report: dict | None) -> None:
        """New findings (by fingerprint) and worse statuses than the baseline round."""
        name = session["name"]
        old = self._baseline_sessions.get(name)
        if old is None:
            return
        old_report = self.baseline / old["report"] if old.get("report") else None
        old_fingerprints = set()
        if old_report and old_report.is_file():
            old_fingerprints = {f.get("fingerprint") for f in read_report(str(old_report)).get("findings", [])}
        new = [{"fingerprint": f["fingerprint"], "check": f["check"], "severity": f["severity"], "title": f["title"]}
               for f in (report or {}).get("findings", []) if f["fingerprint"] not in old_fingerprints]
        now_fingerprints = {f["fingerprint"] for f in (report or {}).get("findings", [])}
        worse = _STATUS_ORDER.index(session["status"]) > _STATUS_ORDER.index(old.get("status", "complete"))
        if new or worse:
            self.regressions.append({"session": name, "was": old.get("status"), "now": session["status"],
                                     "new_findings": new, "resolved": len(old_fingerprints - now_fingerprints)})

    def document(self) -> dict:
        """The fleet document; its sessions are read back from the spool as they are
        iterated (by name)."""
        return {
            "schema": FLEET_SCHEMA,
            "tool": {"name": "appaudit", "version": scanner.__version__},
            "profile": self.profile.name,
            "summary": {
                "sessions": len(self.sessions),
                "complete": self.statuses["complete"],
                "incomplete": self.statuses["incomplete"],
                "failed": self.statuses["failed"],
                "findings": self.findings,
                "by_severity": {s.label: self.by_severity[s.label] for s in reversed(Severity) if s.label in self.by_severity},
                "by_check": dict(sorted(self.by_check.items())),
            },
            "sessions": self.sessions,
            "sdks": [{**{k: v for k, v in sdk.items() if k != "sessions"},
                      "sessions": [{"session": name, "before_consent": before}
                                   for name, before in sorted(sdk["sessions"].items())]}
                     for _, sdk in sorted(self.sdks.items())],
            "third_parties": [{**{k: v for k, v in party.items() if k != "sessions"},
                               "data_types": sorted(set().union(*(s["data_types"] for s in party["sessions"].values()))),
                               "sessions": [{"session": name, "declared": s["declared"], "data_types": sorted(s["data_types"])}
                                            for name, s in sorted(party["sessions"].items())]}
                              for _, party in sorted(self.parties.items())],
            "regressions": None if not self.baseline else {
                "baseline": str(self.baseline),
                "sessions": sorted(self.regressions, key=lambda r: r["session"]),
                "new_sessions": sorted(set(self.sessions.names()) - set(self._baseline_sessions)),
                "missing_sessions": sorted(set(self._baseline_sessions) - set(self.sessions.names())),
            },
        }


_STATUS_ORDER = ["complete", "incomplete", "failed"]


class SpooledSessions:
    """The sessions' entries of the aggregate, kept in a temporary file rather than in
    memory (a fleet of thousands has thousands of them); iterating reads them back one
    at a time, in name order."""

    def __init__(self):
        self._file = tempfile.TemporaryFile()
        self._where: dict[str, tuple[int, int]] = {}

    def add(self, session: dict) -> None:
        line = json.dumps(session, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self._file.seek(0, os.SEEK_END)
        self._where[session["name"]] = (self._file.tell(), len(line))
        self._file.write(line)

    def get(self, name: str) -> dict:
        offset, size = self._where[name]
        self._file.seek(offset)
        return json.loads(self._file.read(size))

    def names(self) -> list[str]:
        return sorted(self._where)

    def __iter__(self) -> Iterator[dict]:
        return (self.get(name) for name in self.names())

    def __len__(self) -> int:
        return len(self._where)

    def close(self) -> None:
        self._file.close()


def _baseline_sessions(baseline: Path) -> dict[str, dict]:
    path = baseline / "fleet.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise UsageProblem(f"{path}: cannot read: {(e.strerror or str(e)).lower()} "
                           "(--baseline wants a previous fleet OUT/ folder)") from None
    except ValueError as e:
        raise UsageProblem(f"{path}: not JSON: {str(e)[:200]}") from None
    if not isinstance(document, dict) or document.get("schema") != FLEET_SCHEMA:
        raise UsageProblem(f"{path}: not an {FLEET_SCHEMA} document")
    return {s["name"]: s for s in document.get("sessions", []) if isinstance(s, dict) and "name" in s}


def _relative_path(path: str, folder: str) -> str:
    """Paths inside the session folder, relative to it: the aggregate does not change when
    SESSIONS/ moves (or is mounted elsewhere on the workers)."""
    inside = os.path.commonpath([os.path.abspath(path), os.path.abspath(folder)]) == os.path.abspath(folder)
    return os.path.relpath(path, folder) if inside else path


def _relative(error: dict, folder: str) -> dict:
    return {**error, "input": _relative_path(error["input"], folder)}


def fleet_exit_code(document: dict, threshold: Severity | None) -> int:
    """``exit_code``'s rules over all sessions: any session incomplete or failed is 3."""
    if document["summary"]["incomplete"] or document["summary"]["failed"]:
        return EXIT_INCOMPLETE
    worst = max((Severity.parse(label) for label in document["summary"]["by_severity"]), default=None)
    return EXIT_FINDINGS if threshold is not None and worst is not None and worst >= threshold else EXIT_CLEAN


# --- The client ---------------------------------------------------------------------

def find_sessions(root: str) -> list[tuple[str, str]]:
    """(name, absolute folder) of every session folder, by name: workers elsewhere get
    absolute paths of the shared storage."""
    path = Path(root)
    if not path.is_dir():
        raise UsageProblem(f"{root}: not a folder of session folders")
    sessions = sorted((p.name, os.path.abspath(p)) for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not sessions:
        raise UsageProblem(f"{root}: no session folder in it (one folder per app session)")
    return sessions


def run_fleet(sessions_root: str, out: str, *, profile_name: str = "default", scheduler: str | None = None,
              workers: int | None = None, baseline: str | None = None,
              progress: Callable[[int, int, int], None] | None = None) -> tuple[dict, dict]:
    """Scan every session and write OUT/; returns the aggregate document and the run's
    counts (scanned, reused)."""
    try:
        import dask
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise UsageProblem(INSTALL_HINT) from None
    try:
        profile = load_profile(profile_name)
    except ConfigError as e:
        raise UsageProblem(str(e)) from None
    profile_key = hashlib.sha256(repr(profile).encode("utf-8")).hexdigest()
    sessions = find_sessions(sessions_root)
    aggregate = FleetAggregate(profile=profile, baseline=baseline)
    out_dir = Path(out)
    counts = {"scanned": 0, "reused": 0}

    if scheduler:
        cluster, client = None, Client(scheduler, timeout="30s")
    else:
        # One task on a worker at a time: a worker that dies then takes only the session it
        # was scanning to the scheduler's count of suspects, not the one queued behind it.
        # Sessions left without any worker (none could be restarted) fail rather than wait.
        with dask.config.set({"distributed.scheduler.worker-saturation": 1.0,
                              "distributed.scheduler.no-workers-timeout": LOCAL_NO_WORKERS_TIMEOUT}):
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        pending = iter(sessions)
        running = as_completed()
        folders: dict[str, tuple[str, str]] = {}
        done = 0

        def submit(name: str, folder: str, recorded: dict | None) -> None:
            # The profile goes with each task (a few hundred bytes): data scattered to the
            # workers would be lost with the worker holding it, and every task with it.
            future = client.submit(audit_session, folder, profile, profile_key, recorded, profile_name,
                                   retries=RETRIES, pure=False)
            folders[future.key] = (name, folder)
            running.add(future)

        def fill() -> None:
            ahead = AHEAD_PER_THREAD * max(1, sum(client.nthreads().values()))
            while running.count() < ahead:
                item = next(pending, None)
                if item is None:
                    return
                submit(*item, _recorded_state(out_dir / "sessions" / item[0]))

        fill()
        for future in running:
            name, folder = folders.pop(future.key)
            session_dir = out_dir / "sessions" / name
            outcome = future.result() if future.status == "finished" else None
            failure = _task_failure(future) if outcome is None else None
            future.release()
            if outcome is None:
                aggregate.add_failure(name, folder, [{"input": folder, "message": failure}])
            elif outcome.get("unchanged"):
                try:
                    aggregate.add_report(name, folder, read_report(str(session_dir / REPORT_FILE)))
                except UsageProblem:  # the saved report was damaged since: scan again
                    submit(name, folder, None)
                    continue
                counts["reused"] += 1
            elif outcome["report"] is None:
                aggregate.add_failure(name, folder, outcome["errors"])
                _forget(session_dir)
            else:
                _save(session_dir, outcome["report"], outcome["state"])
                aggregate.add_report(name, folder, outcome["report"])
            counts["scanned"] += not (outcome and outcome.get("unchanged"))
            done += 1
            if progress:
                progress(done, len(sessions), aggregate.statuses["failed"])
            fill()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    document = aggregate.document()
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_atomically(out_dir / "fleet.json", lambda out: _write_json(document, out))
    _write_atomically(out_dir / "fleet.csv", lambda out: write_csv(document, out))
    _write_atomically(out_dir / "fleet.html", lambda out: write_html(document, out))
    return document, counts


def _recorded_state(session_dir: Path) -> dict | None:
    if not (session_dir / REPORT_FILE).is_file():
        return None
    try:
        return json.loads((session_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _save(session_dir: Path, report: dict, state: dict) -> None:
    """The report first, then the state that vouches for it: a run killed in between
    leaves a report without state, which the next run scans again."""
    (session_dir / STATE_FILE).unlink(missing_ok=True)
    write_report_file(report, session_dir / REPORT_FILE, "json")
    _write_atomically(session_dir / STATE_FILE, lambda out: json.dump(state, out, indent=1))


def _forget(session_dir: Path) -> None:
    """A session that can no longer be read keeps no report of an earlier run."""
    for name in (STATE_FILE, REPORT_FILE):
        (session_dir / name).unlink(missing_ok=True)


def _write_atomically(path: Path, write: Callable[[TextIO], None]) -> None:
    """Streamed to a partial file, then renamed: a run killed meanwhile leaves the old
    file or none, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", encoding="utf-8", newline="") as out:
        write(out)
    os.replace(partial, path)


def _write_json(document: dict, out: TextIO) -> None:
    """Indented JSON, written piece by piece: the sessions one at a time."""
    out.write("{")
    for position, (key, value) in enumerate(document.items()):
        out.write(f"{',' if position else ''}\n  {json.dumps(key)}: ")
        if isinstance(value, SpooledSessions):
            out.write("[" + ",".join(f"\n    {_indented(session, 4)}" for session in value) + ("\n  ]" if value else "]"))
        else:
            out.write(_indented(value, 2))
    out.write("\n}\n")


def _indented(value, depth: int) -> str:
    return textwrap.indent(json.dumps(value, ensure_ascii=False, indent=2), " " * depth)[depth:]


def _task_failure(future) -> str:
    error = future.exception()
    text = str(error).splitlines()[0] if str(error) else ""
    text = text if len(text) <= 300 else text[:299] + "…"
    return f"not scanned: the task failed on every try ({type(error).__name__}: {text})"


# --- The command --------------------------------------------------------------------

class _Progress:
    """One line on stderr, rewritten in place: sessions done / total, failures."""

    def __call__(self, done: int, total: int, failed: int) -> None:
        click.echo(f"\r\x1b[Kfleet: {done}/{total} sessions, {failed} failed", err=True, nl=False)

    def close(self) -> None:
        click.echo("\r\x1b[K", err=True, nl=False)


@click.command("fleet")
@click.argument("sessions", type=click.Path())
@click.option("-o", "--output", "out", required=True, type=click.Path(file_okay=False),
              help="Output folder: sessions/<name>/report.json, fleet.json, fleet.csv, fleet.html.")
@click.option("-p", "--profile", "profile_name", default="default", show_default=True,
              help="Built-in profile name or a profile YAML file.")
@click.option("--scheduler", help="Address of a running Dask scheduler (tcp://HOST:8786); default: a local cluster.")
@click.option("--workers", type=click.IntRange(min=1), help="Worker processes of the local cluster (default: one per core).")
@click.option("--baseline", type=click.Path(file_okay=False),
              help="A previous fleet output folder: report regressions against it.")
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES, case_sensitive=False), default="low", show_default=True,
              help="Exit 1 when a finding at or above this severity exists in any session; 'never' to exit 0 on findings.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line (and errors).")
def fleet_command(sessions, out, profile_name, scheduler, workers, baseline, fail_on, quiet):
    """Scan one folder per app session on Dask and write a cross-app report.

    SESSIONS holds one folder per session: its captures and optionally its app.yaml; each
    is scanned as `appaudit scan FOLDER -a FOLDER/app.yaml` would. A rerun over the same
    OUT skips sessions whose files are unchanged. Exit code: as `scan`, over all sessions
    (3 when any session is incomplete or could not be read)."""
    if scheduler and workers:
        raise UsageProblem("--workers sizes the local cluster; a --scheduler's cluster has its own workers")
    threshold = parse_fail_on(fail_on)
    progress = _Progress() if sys.stderr.isatty() and not quiet else None
    try:
        document, counts = run_fleet(sessions, out, profile_name=profile_name, scheduler=scheduler, workers=workers,
                                     baseline=baseline, progress=progress)
    finally:
        if progress:
            progress.close()
    summary = document["summary"]
    regressions = document["regressions"]
    click.echo(f"fleet: {summary['sessions']} sessions ({counts['scanned']} scanned, {counts['reused']} unchanged), "
               f"{summary['incomplete']} incomplete, {summary['failed']} failed, {summary['findings']} findings"
               + (f", {len(regressions['sessions'])} regressed" if regressions else "")
               + f"; wrote {terminal_safe(out)}/fleet.json, fleet.csv, fleet.html", err=True)
    sys.exit(fleet_exit_code(document, threshold))
