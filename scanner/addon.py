"""appaudit inside mitmproxy: the same checks as ``appaudit scan``, live, as flows complete.

Load it into mitmproxy itself::

    mitmdump -s scanner/addon.py -w session.mitm \\
        --set appaudit_profile=default --set appaudit_app=app.yaml --set appaudit_report=report.json

or run ``appaudit proxy``, which starts mitmproxy with it. Each finding is logged once,
when it first occurs, through mitmproxy's log, and every flow where it occurs is marked
and commented so mitmweb shows it; on shutdown the report is written, with every
occurrence.

One engine, two front doors: flows reach :class:`scanner.engine.InputScan` in exactly the
order mitmproxy's save addon (``-w``) writes them, and the live input is named after the
save file, so the live report equals ``appaudit scan`` over the saved capture.

The proxy only queues a completed flow and never changes it except to mark and comment
it. One worker thread runs the checks (one thread keeps the checks' per-input state
consistent) and logs the findings; marking is handed back to the event loop, which owns
the flows. A check that raises is reported and the flow passes untouched.
"""
from __future__ import annotations

import asyncio
import collections
import logging
import os
import queue
import tempfile
import threading
import time
import weakref
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Optional

from mitmproxy import ctx, exceptions, hooks
from mitmproxy.flow import Flow
from mitmproxy.io import FlowReader, FlowWriter

from appaudit.reports import writers
from appaudit.reports.text_report import evidence_line, safe, summary_line, where
from appaudit.scanner.appfile import load_app
from appaudit.scanner.engine import InputResult, InputScan, ScanResult, ScanSettings
from appaudit.scanner.loading import Input
from appaudit.scanner.model import Finding, Severity
from appaudit.scanner.output import write_report_file
from appaudit.scanner.profile_loader import load_profile
from appaudit.scanner.report_document import build_report, finding_document, utc_now
from appaudit.scanner.yamlfile import ConfigError

# The input's name in the report when flows are not saved; with -w it is the save file.
LIVE_INPUT = "live"
MARK = ":warning:"
# Python runs one thread at a time, so checks compete with the proxy for the same CPU.
# While traffic flows the worker takes at most this share of the time (it pauses after
# each flow) and the proxy keeps its throughput; once traffic has been quiet for
# QUIET_SECONDS, and at shutdown, it runs at full speed and catches up.
CHECK_SHARE = 0.02
QUIET_SECONDS = 0.1
# At shutdown the worker finishes its backlog; if it makes no progress for this long (a
# check stuck on one flow), the report is written without the rest so the proxy can exit.
STALL_SECONDS = 60.0
# Flows waiting for the checks hold their bodies; past this many body bytes waiting,
# further flows wait in a temporary file instead of memory (and are read back in turn).
MAX_BACKLOG_BYTES = 256 * 1024 * 1024

logger = logging.getLogger("appaudit")
# Findings at severity info/low are logged at INFO; make sure they are not dropped by a
# root logger left at Python's default WARNING (mitmproxy's own handlers filter further).
logger.setLevel(logging.INFO)


class AppAudit:
    """The mitmproxy addon. Options: ``appaudit_profile``, ``appaudit_app``,
    ``appaudit_report``, ``appaudit_format``, ``appaudit_reveal``."""

    def __init__(self) -> None:
        self.settings: ScanSettings | None = None
        self.checker: Checker | None = None
        self.closed = False
        # When the proxy began and stopped listening: the report's started/finished.
        self.started: str | None = None
        self.finished: str | None = None
        self._next_index = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._marks: collections.deque[tuple[Flow, str]] = collections.deque()
        # Flows begun but not completed, tracked with the very same set operations as
        # mitmproxy's save addon, whose set order decides where it writes them at shutdown.
        self._unfinished: set[Flow] = set()

    def load(self, loader) -> None:
        loader.add_option("appaudit_profile", str, "default",
                          "appaudit: built-in profile name or profile YAML file.")
        loader.add_option("appaudit_app", Optional[str], None,
                          "appaudit: app description YAML (first party, declared third parties, consent, canaries, brands).")
        loader.add_option("appaudit_report", Optional[str], None,
                          "appaudit: write the report to this file on shutdown; the format follows the extension "
                          "(.json, .txt, ...) unless appaudit_format is set.")
        loader.add_option("appaudit_format", Optional[str], None,
                          f"appaudit: report format ({', '.join(writers())}); default: from appaudit_report's extension.")
        loader.add_option("appaudit_reveal", bool, False,
                          "appaudit: show personal values unmasked in the log, flow comments and report.")

    def configure(self, updated: set[str]) -> None:
        if self.settings is None or updated & {"appaudit_profile", "appaudit_app"}:
            if self.checker is not None:
                raise exceptions.OptionsError(
                    "appaudit_profile and appaudit_app cannot change once traffic has been seen; restart the proxy")
            self.settings = settings_from_options()
        if updated & {"appaudit_report", "appaudit_format"}:
            report_format()

    def running(self) -> None:
        self.started = utc_now()

    # Completed flows go to the checks in the order mitmproxy's save addon writes them.
    def request(self, flow: Flow) -> None:
        self._checks().saw_traffic()
        self._unfinished.add(flow)

    def response(self, flow: Flow) -> None:
        if flow.websocket is None:  # a WebSocket flow completes at websocket_end
            self._submit(flow)

    def error(self, flow: Flow) -> None:
        self.response(flow)

    def websocket_end(self, flow: Flow) -> None:
        self._submit(flow)

    # Other flows count in the capture's flow numbering; the engine reads HTTP only.
    tcp_start = udp_start = dns_request = request
    tcp_end = tcp_error = udp_end = udp_error = dns_response = dns_error = websocket_end

    def done(self) -> None:
        """Check what is left, then write the report."""
        if self.closed:
            return
        for flow in list(self._unfinished):
            self._submit(flow)
        self.closed = True
        self.finished = utc_now()
        checker = self._checks()
        if checker.backlog > 10:
            logger.info(f"appaudit: checking the last {checker.backlog} flows before writing the report")
        final = checker.close()
        self._mark_flows()
        for finding in final:
            self._log(self._document(finding))
        report = build_report(self.result(), reveal=ctx.options.appaudit_reveal,
                              started=self.started, finished=self.finished)
        for error in report["errors"]:
            logger.warning(f"appaudit: {safe(error['message'])}")
        logger.info(f"appaudit: {safe(summary_line(report))}")
        if ctx.options.appaudit_report:
            write_report(report, ctx.options.appaudit_report, report_format())

    def result(self) -> ScanResult:
        """Everything found so far, as ``appaudit scan`` would return it."""
        result = ScanResult(profile=self.settings.profile, app=self.settings.app)
        if self.checker is not None:
            result.add(self.checker.input_result())
        return result

    def _submit(self, flow: Flow) -> None:
        if self.closed:
            return
        self._unfinished.discard(flow)
        self._checks().submit(flow, self._next_index)
        self._next_index += 1

    def _checks(self) -> "Checker":
        if self.checker is None:
            if self.settings is None:
                self.settings = settings_from_options()
            self._loop = ctx.master.event_loop
            self.checker = Checker(self.settings, Input(path=input_name(), kind="flows"), publish=self._publish)
        return self.checker

    def _publish(self, flow: Flow, findings: list[Finding], repeated: list[Finding], problems: list[str]) -> None:
        """In the worker thread: log each new finding once (mitmproxy's log handlers are
        thread-safe), then have the event loop, which owns the flows, mark the flow —
        also a flow that only repeats earlier findings, so mitmweb shows every occurrence."""
        for problem in problems:
            logger.warning(f"appaudit: {safe(problem)}")
        if not findings and not repeated:
            return
        documents = [self._document(f) for f in findings]
        for document in documents:
            self._log(document, flow)
        notes = [f"appaudit {d['check']} {d['severity']}: {d['title']}" for d in documents]
        notes += [f"appaudit {d['check']} {d['severity']}: {d['title']} (again: occurrence {f.occurrences.count}, "
                  f"first in flow {d['location']['flow']})" for f, d in ((f, self._document(f)) for f in repeated)]
        self._marks.append((flow, "\n".join(notes)))
        try:
            self._loop.call_soon_threadsafe(self._mark_flows)
        except RuntimeError:  # the loop is closed; done() marks what is left
            pass

    def _mark_flows(self) -> None:
        """On the event loop: mark and comment the flows with findings, for mitmweb."""
        while self._marks:
            flow, note = self._marks.popleft()
            flow.comment = f"{flow.comment}\n{note}" if flow.comment else note
            if not flow.marked:
                flow.marked = MARK
            ctx.master.addons.trigger(hooks.UpdateHook([flow]))

    def _document(self, finding: Finding) -> dict:
        app = self.settings.app
        return finding_document(finding, reveal=ctx.options.appaudit_reveal, canaries=app.canaries if app else None)

    def _log(self, document: dict, flow: Flow | None = None) -> None:
        level = logging.WARNING if Severity.parse(document["severity"]) >= Severity.MEDIUM else logging.INFO
        client = flow.client_conn.peername if flow is not None and flow.client_conn else None
        logger.log(level, finding_line(document), extra={"client": client} if client else None)


class Checker:
    """The engine over one live input, in a worker thread fed through a queue.

    One thread keeps the checks' per-input state consistent and the flow order the
    queue's. ``publish(flow, findings, repeated, problems)`` is called in the worker
    thread for each flow that produced new findings, repeats of earlier ones (the
    engine's ``repeated``) or problems. While traffic flows the worker pauses after each
    flow, so checking and publishing take at most CHECK_SHARE of the time."""

    def __init__(self, settings: ScanSettings, input: Input, *,
                 publish: Callable[[Flow, list[Finding], list[Finding], list[str]], None]) -> None:
        self.settings = settings
        self.input = input
        self.session: InputScan | None = None
        self.findings: list[Finding] = []
        self.submitted = 0
        self.progress = 0
        self._publish = publish
        self._last_traffic = 0.0
        self._queue: queue.SimpleQueue[tuple[Flow | _Spilled, int, int] | None] = queue.SimpleQueue()
        self.queued_bytes = 0  # body bytes of the flows waiting in memory
        self._spill: _SpillFile | None = None
        self._bytes_lock = threading.Lock()
        self._hurry = threading.Event()  # set at shutdown: no more pauses
        self._thread = threading.Thread(target=self._run, name="appaudit-checks", daemon=True)
        self._thread.start()

    @property
    def backlog(self) -> int:
        return self.submitted - self.progress

    def saw_traffic(self) -> None:
        self._last_traffic = time.monotonic()

    def submit(self, flow: Flow, index: int) -> None:
        self.saw_traffic()
        size = _body_bytes(flow)
        with self._bytes_lock:
            in_memory = self.queued_bytes + size <= MAX_BACKLOG_BYTES
            if in_memory:
                self.queued_bytes += size
        if in_memory:
            self._queue.put((flow, index, size))
        else:
            self._spill = self._spill or _SpillFile()
            self._queue.put((self._spill.put(flow), index, 0))
        self.submitted += 1

    def close(self) -> list[Finding]:
        """Check the backlog at full speed, then run the end-of-input checks. A check
        that makes no progress for STALL_SECONDS is given up on, so the proxy can exit."""
        self._queue.put(None)
        self._hurry.set()
        progress = -1
        while self._thread.is_alive() and progress != self.progress:
            progress = self.progress
            self._thread.join(STALL_SECONDS)
        if self._thread.is_alive():
            self.input.problems.append(f"stopped waiting for the checks after {STALL_SECONDS:g} s without progress; "
                                       f"{self.backlog} flows were not checked")
            return []
        final = self.session.finish() if self.session else []
        self.findings += final
        return final

    def input_result(self) -> InputResult:
        outcomes = self.session.outcomes() if self.session else []
        return InputResult(input=self.input, findings=list(self.findings), outcomes=outcomes,
                           readable=self.session is not None)

    def _run(self) -> None:
        try:
            self.session = InputScan(self.settings, self.input)
        except Exception as e:  # a check that cannot even start: reported, traffic untouched
            self.input.problems.append(f"the checks could not start: {type(e).__name__}: {e}")
            return
        while (item := self._queue.get()) is not None:
            flow, index, size = item
            known = len(self.input.problems)
            started = time.perf_counter()
            try:
                if isinstance(flow, _Spilled):
                    flow = flow.read()
                findings, repeated = self.session.flow(flow, index), self.session.repeated
            except Exception as e:  # checks are guarded by the engine; this guards decoding
                self.input.problems.append(f"flow {index} could not be checked: {type(e).__name__}: {e}")
                findings, repeated = [], []
            with self._bytes_lock:
                self.queued_bytes -= size
            self.progress += 1
            problems = self.input.problems[known:]
            if findings or repeated or problems:
                self.findings += findings
                try:
                    self._publish(flow, findings, repeated, problems)
                except Exception as e:  # showing a finding must not stop the checks
                    self.input.problems.append(f"the findings of flow {index} could not be shown: {type(e).__name__}: {e}")
            spent = time.perf_counter() - started
            if time.monotonic() - self._last_traffic < QUIET_SECONDS:
                self._hurry.wait(spent * (1 - CHECK_SHARE) / CHECK_SHARE)


def _body_bytes(flow: Flow) -> int:
    messages = (getattr(flow, "request", None), getattr(flow, "response", None))
    return sum(len(m.raw_content or b"") for m in messages if m is not None)


class _SpillFile:
    """Flows written to a temporary file (mitmproxy's own format) while the backlog is
    over MAX_BACKLOG_BYTES, read back one by one by the checks."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="appaudit-backlog-")
        self.lock = threading.Lock()

    def put(self, flow: Flow) -> "_Spilled":
        with self.lock:
            self.file.seek(0, os.SEEK_END)
            offset = self.file.tell()
            FlowWriter(self.file).add(flow)
        # The live flow is marked if it is still around when its findings come.
        return _Spilled(self, offset, weakref.ref(flow))


class _Spilled:
    """Where one spilled flow waits. (Not a dataclass: mitmproxy loads this file as a
    script module, which dataclasses cannot look up.)"""

    def __init__(self, spill: _SpillFile, offset: int, live: "weakref.ref[Flow]") -> None:
        self.spill, self.offset, self.live = spill, offset, live

    def read(self) -> Flow:
        live = self.live()
        if live is not None:
            return live
        with self.spill.lock:
            self.spill.file.seek(self.offset)
            return next(FlowReader(self.spill.file).stream())


def finding_line(document: dict) -> str:
    """One readable log line for a finding document (already masked)."""
    location = dict(document.get("location", {}), input="")
    parts = [f"appaudit: {document['severity'].upper()} {document['check']} {document['title']}",
             where(dict(document, location=location)).strip(), evidence_line(document.get("evidence", {}))]
    return safe(" | ".join(p for p in parts if p))


def settings_from_options() -> ScanSettings:
    try:
        profile = load_profile(ctx.options.appaudit_profile)
        app = load_app(ctx.options.appaudit_app) if ctx.options.appaudit_app else None
    except ConfigError as e:
        raise exceptions.OptionsError(str(e)) from None
    return ScanSettings(profile=profile, app=app)


def report_format() -> str | None:
    """The report format: appaudit_format, else the one whose extension the report has."""
    available = writers()
    chosen = ctx.options.appaudit_format
    if chosen:
        if chosen not in available:
            raise exceptions.OptionsError(f"appaudit_format: unknown format {chosen!r} (available: {', '.join(available)})")
        return chosen
    path = ctx.options.appaudit_report
    if not path:
        return None
    chosen = format_for_path(path)
    if chosen is None:
        raise exceptions.OptionsError(
            f"appaudit_report: cannot tell the format of {path!r} from its extension; "
            f"set appaudit_format to one of {', '.join(available)}")
    return chosen


def format_for_path(path: str) -> str | None:
    """The report format whose file extension ``path`` has, if any."""
    by_extension = {module.EXTENSION: name for name, module in writers().items()}
    return by_extension.get(Path(path).suffix.lower())


def write_report(report: dict, path: str, fmt: str) -> None:
    try:
        write_report_file(report, Path(path), fmt)
    except OSError as e:
        logger.warning(f"appaudit: cannot write the report to {path}: {(e.strerror or str(e)).lower()}")
    else:
        logger.info(f"appaudit: wrote {path}")


def input_name() -> str:
    """The live input's name: the file mitmproxy saves flows to (``-w``; the same
    expansion as its save addon), so locations match a later scan of that file."""
    spec = ctx.options.save_stream_file if "save_stream_file" in ctx.options else None
    if not spec:
        return LIVE_INPUT
    return datetime.today().strftime(os.path.expanduser(spec.removeprefix("+")))


addons = [AppAudit()]
