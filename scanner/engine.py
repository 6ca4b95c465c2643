"""The engine: one streaming pass per input, every enabled check reading the same
decoded records. ``appaudit scan`` and the mitmproxy addon both drive :class:`InputScan`.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import itemgetter

from appaudit.scanner import timelimit
from appaudit.scanner.appfile import AppDescription
from appaudit.scanner.check import (Check, NotApplicable, PageCheck, ScanContext, TrafficCheck, add_checks_dir, all_checks,
                                     judge_page)
from appaudit.scanner.decoding import MAX_DECODED_BODY
from appaudit.scanner.detectors import Detector
from appaudit.scanner.failures import describe as _describe
from appaudit.scanner.flowview import FlowView
from appaudit.scanner.loading import (FlowRecord, Input, InputError, PageRecord, Read, expand, read_problem,
                                      read_records, sha256_of, url_in_map)
from appaudit.scanner.model import CheckOutcome, Finding, Occurrences, Status
from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel import unit_problems
from appaudit.scanner.parallel import prepared_ahead
from appaudit.scanner.profile_loader import Profile
from appaudit.scanner.render.judging import ScreenshotFolder, close_renderers, judging_for
from appaudit.scanner.sharing import SessionSharing, build_catalogue
from appaudit.scanner.stateless import CheckResult, PreparedRecord, StatelessWork, attempt
from appaudit.scanner.timelimit import OverTime, time_limit

logger = logging.getLogger("appaudit")


@dataclass(kw_only=True)
class ScanResult:
    """Everything one scan produced; ``scanner.report_document`` turns it into the report document."""

    profile: Profile
    app: AppDescription | None
    inputs: list[Input] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    outcomes: list[CheckOutcome] = field(default_factory=list)
    third_parties: list[dict] = field(default_factory=list)
    first_party: list[dict] = field(default_factory=list)
    interrupted: bool = False

    def add(self, other: "InputResult") -> None:
        if other.readable:
            self.inputs.append(other.input)
        self.errors.extend((other.input.path, problem) for problem in other.input.problems)
        self.findings.extend(other.findings)
        self.outcomes.extend(other.outcomes)
        self.third_parties.extend(other.third_parties)
        if other.first_party is not None:
            self.first_party.append({"input": other.input.path, **other.first_party})


@dataclass(kw_only=True)
class InputResult:
    input: Input
    findings: list[Finding]
    outcomes: list[CheckOutcome]
    third_parties: list[dict] = field(default_factory=list)
    first_party: dict | None = None
    readable: bool = True


@dataclass(frozen=True, kw_only=True)
class ScanSettings:
    """What every input's scan shares; picklable, so worker processes can rebuild it."""

    profile: Profile
    app: AppDescription | None = None
    base_url: str | None = None
    dpi: float | None = None
    url_map: dict[str, str] = field(default_factory=dict)  # a saved page's own URL per file (realpath)
    # Folders of a team's own checks (--checks-dir), loaded again in worker processes.
    checks_dirs: tuple[str, ...] = ()
    # Pages judged in headless Chromium (--render auto|always|never; the CLI's default is
    # auto, a scan built in code is static unless it asks), at --viewport phone|desktop;
    # evidence screenshots written to ``evidence`` (masked unless ``reveal``).
    render: str = "never"
    viewport: str = "phone"
    reveal: bool = False
    evidence: ScreenshotFolder | None = None


class InputScan:
    """The enabled checks running over one input, record by record.

    Each record goes through two stages: its stateless work (``scanner.stateless``:
    decoding, personal data, page parsing, the checks declared ``stateless``), which may
    run in a worker process, and then :meth:`take`, here, in input order: party and
    consent tracking, the other checks, and merging repeated findings.

    Findings come back from each call as they are found (the proxy shows them live),
    each subject once: a finding met again in a later flow of the input is added to the
    ``occurrences`` of the one already returned, which the report reads at the end;
    :meth:`outcomes` says, per check, whether it passed, failed, was not applicable or
    raised."""

    def __init__(self, settings: ScanSettings, input: Input, detector: Detector | None = None):
        self.settings = settings
        self.input = input
        self.detector = detector or Detector(settings.app.canaries if settings.app else None)
        self.sharing = SessionSharing(app=settings.app, catalogue=build_catalogue(settings.profile, settings.app))
        context = ScanContext(input=input.path, app=settings.app, profile=settings.profile, dpi=settings.dpi,
                              sharing=self.sharing)
        registry = all_checks()
        self.checks: list[Check] = []
        self._status: dict[str, tuple[Status, str | None]] = {}
        # The first finding of each subject (fingerprint) met in a flow; later findings
        # of the subject become its occurrences (one entry per subject: bounded memory).
        self._subjects: dict[str, Finding] = {}
        # The findings whose subjects the last flow showed again (the proxy notes them
        # on that flow for mitmweb).
        self.repeated: list[Finding] = []
        # Checks that could not judge some record (NotApplicable raised per record), and
        # those that judged at least one: an input none of whose records could be judged
        # is "not applicable" for that check.
        self._skipped: dict[str, str] = {}
        self._judged: set[str] = set()
        # The personal values in the URLs of flows that carried some, for findings made
        # after the flow has gone (only such flows are remembered).
        self._url_secrets: dict[int, tuple[str, ...]] = {}
        for check_id in settings.profile.enabled:
            check = registry[check_id]
            try:
                # A stateless check runs before the party and consent tracking has seen
                # the record, wherever it runs: it is not given that tracking at all.
                self.checks.append(check(replace(context, sharing=None) if check.stateless else context))
                self._status[check_id] = (Status.PASS, None)
            except NotApplicable as e:
                self._status[check_id] = (Status.NOT_APPLICABLE, str(e))
        self.traffic_checks = [c for c in self.checks if isinstance(c, TrafficCheck)]
        self.page_checks = [c for c in self.checks if isinstance(c, PageCheck)]
        self.work = StatelessWork(input=input.path, detector=self.detector,
                                  checks=[c for c in self.checks if c.stateless], parse_pages=bool(self.page_checks),
                                  rendering=judging_for(settings, input.path, input.kind, self.detector)
                                  if self.page_checks else None)
        # Page checks that read the page here: in input order, after a worker may have
        # parsed it (it is then parsed again here).
        self._in_order_page_checks = any(not c.stateless for c in self.page_checks)

    def flow(self, flow: object, index: int) -> list[Finding]:
        """Check one flow of the input (any mitmproxy flow; only HTTP flows are read)."""
        return self.take(self.work.prepare(FlowRecord(index, flow)))

    def page(self, page: Page) -> list[Finding]:
        return self.take(self.work.prepare(PageRecord.of(page)))

    def take(self, prepared: PreparedRecord) -> list[Finding]:
        """The in-order work on one record after its stateless work."""
        if prepared.unreadable is not None:
            raise InputError(prepared.unreadable)
        self.input.records += 1
        self.repeated = []
        if prepared.failure is not None:
            self.input.problems.append(prepared.failure)
            return []
        if prepared.record is None:
            return []
        try:
            with time_limit(timelimit.RECORD_SECONDS):
                if isinstance(prepared.record, FlowView):
                    return self._flow(prepared.record, prepared)
                return self._page_findings(prepared.record, prepared)
        except OverTime:
            self.input.problems.append(f"{prepared.where}: not judged: over the time budget of "
                                       f"{timelimit.RECORD_SECONDS:g} s")
            return []

    def _flow(self, view: FlowView, prepared: PreparedRecord) -> list[Finding]:
        index = view.index
        try:
            self.sharing.observe(view)
        except Exception as e:  # hostile input must not end the scan
            self.input.problems.append(f"flow {index} could not be decoded: {_describe(e)}")
            return []
        secrets = tuple(v for hit in view.personal_data for v in (hit.value, *hit.related))
        if view.decoding.exceeded:
            self.input.problems.append(f"flow {index}: not fully judged: {view.decoding.exceeded}")
        for message in filter(None, (view.request, view.response)):
            if message.body_error:
                self.input.problems.append(f"flow {index}: {message.part_prefix} body not checked: {message.body_error}")
            elif message.body_truncated:
                self.input.problems.append(f"flow {index}: {message.part_prefix} body is over "
                                           f"{MAX_DECODED_BODY // 2**20} MiB decoded; only the start was checked")
        findings = self._run(self.traffic_checks, lambda check: check.check_flow(view), prepared.where, prepared.results)
        if prepared.has_page:
            findings += self._page_findings(view, prepared)
        findings = self._new_subjects(findings)
        # Any personal value of this flow may reappear in a finding's URL or snippet —
        # also in findings reported at the end of the input (DH010 names its first flow).
        for finding in findings:
            finding.sensitive_values += secrets
        if any(hit.part == "request.url" for hit in view.personal_data):
            self._url_secrets[index] = secrets
        return findings

    def _new_subjects(self, findings: list[Finding]) -> list[Finding]:
        """The findings whose subject this input has not shown before, each now carrying
        its occurrences; a repeat is added to the occurrences of the first instead."""
        new = []
        for finding in findings:
            fingerprint = finding.fingerprint
            first = self._subjects.get(fingerprint)
            if first is None:
                first = self._subjects[fingerprint] = finding
                finding.occurrences = Occurrences()
                new.append(finding)
            elif all(first is not known for known in self.repeated):
                self.repeated.append(first)
            first.occurrences.add(finding.location)
        return new

    def _page_findings(self, record: FlowView | PageRecord, prepared: PreparedRecord) -> list[Finding]:
        where = prepared.where
        self.input.problems += prepared.page_problems
        for said, heard in ((self.input.problems, prepared.input_problems), (self.input.notes, prepared.input_notes)):
            said += [message for message in heard if message not in said]
        for note in prepared.page_notes:
            note = note if where == "page" else f"{where}: {note}"
            if note not in self.input.notes:
                self.input.notes.append(note)
        findings = self._run(self.page_checks, lambda check: judge_page(check, record.page), where, prepared.results)
        problems = prepared.unit_problems
        if self._in_order_page_checks:
            problems = list(dict.fromkeys([*problems, *unit_problems(record.page)]))
        self.input.problems += [f"{where}: {problem}" for problem in problems]
        for finding in findings:
            if finding.location.snippet:
                finding.sensitive_values += tuple(hit.value for hit in self.detector.scan_text(finding.location.snippet))
        return findings

    def finish(self) -> list[Finding]:
        findings = self._run(self.checks, lambda check: check.finish(), "end of input")
        for finding in findings:
            finding.sensitive_values += self._url_secrets.get(finding.location.flow, ())
        return findings

    def not_applicable(self, checks: list[Check], reason: str) -> None:
        """Say that ``checks`` cannot judge this input (traffic checks on a saved page)."""
        for check in checks:
            self._status[check.id] = (Status.NOT_APPLICABLE, reason)

    def outcomes(self) -> list[CheckOutcome]:
        outcomes = []
        for check_id, (status, reason) in self._status.items():
            if status is Status.PASS and check_id in self._skipped and check_id not in self._judged:
                status, reason = Status.NOT_APPLICABLE, self._skipped[check_id]
            outcomes.append(CheckOutcome(check=check_id, input=self.input.path, status=status, reason=reason))
        return outcomes

    def _run(self, checks: list[Check], call: Callable[[Check], Iterable[Finding]], where: str,
             results: dict[str, CheckResult] | None = None) -> list[Finding]:
        """Every check's result on one record, in check order: the stateless checks' from
        ``results``, the others' by calling them now."""
        found = []
        seen: set[tuple] = set()
        for check in checks:
            result = results[check.id] if results and check.id in results else attempt(check, call)
            if result.not_applicable is not None:
                self._skipped.setdefault(check.id, result.not_applicable)
                continue
            if result.error is not None:
                if self._status[check.id][0] is not Status.ERROR:
                    self._status[check.id] = (Status.ERROR, f"{where}: {result.error}")
                    self.input.problems.append(f"check {check.id} failed at {where}: {result.error}")
                continue
            if where != "end of input":
                self._judged.add(check.id)
            for finding in result.findings:
                # One finding per (check, location, data type) within the record.
                if finding.dedup_key in seen:
                    continue
                seen.add(finding.dedup_key)
                if self._status[check.id][0] is Status.PASS:
                    self._status[check.id] = (Status.FAIL, None)
                self.settings.profile.apply(finding)  # the profile's severity and clauses, in one place
                found.append(finding)
        return found


def scan_file(path: str, kind: str, settings: ScanSettings,
              progress: Callable[[str, int], None] | None = None) -> InputResult:
    """Scan one input file in this process (see :func:`scan`)."""
    reads = read_records(path, kind, _page_url(settings, path, kind))
    return _scan_input(path, kind, settings, ((read, None) for read in reads), progress)


def _scan_input(path: str, kind: str, settings: ScanSettings, reads: Iterable[tuple[Read, PreparedRecord | None]],
                progress: Callable[[str, int], None] | None) -> InputResult:
    """Scan one input from start to end in a single streaming pass, from what reading it
    gave and each record's stateless work where a worker process did it already;
    ``progress`` hears of every few hundred flows. A file that breaks part-way keeps the
    findings of every record read before the break."""
    input = Input(path=path, kind=kind)
    for folder in settings.checks_dirs:
        add_checks_dir(folder)
    try:
        input.sha256 = sha256_of(path)
        session = InputScan(settings, input)
        if kind not in ("flows", "har"):
            session.not_applicable(session.traffic_checks, _NO_TRAFFIC)
        findings = []
        try:
            for read, prepared in reads:
                input.problems += read.problems
                input.notes += read.notes
                if read.error is not None:
                    raise read.error
                if read.record is not None:
                    if prepared is None:  # no worker did it: do it here
                        prepared = session.work.prepare(read.record)
                    findings += session.take(prepared)
                    if progress and kind in ("flows", "har") and input.records % 250 == 0:
                        progress(path, input.records)
        except Exception as e:
            if not input.records:
                raise
            input.problems.append(f"damaged after record {input.records}: {read_problem(e)}")
        findings += session.finish()
    except Exception as e:  # hostile input must not end the scan: one line, and go on
        input.problems.append(read_problem(e))
        return InputResult(input=input, findings=[], outcomes=[], readable=False)
    sharing = session.sharing
    return InputResult(input=input, findings=findings, outcomes=session.outcomes(),
                       third_parties=sharing.inventory(path),
                       first_party={**sharing.first_party_basis(), **sharing.consent_moment()}
                       if kind in ("flows", "har") else None)


_NO_TRAFFIC = "a saved page or screen dump carries no network traffic"


def _page_url(settings: ScanSettings, path: str, kind: str) -> str | None:
    """A saved page's own URL as the command line gives it (the URL map, --base-url)."""
    return (url_in_map(settings.url_map, path) or settings.base_url) if kind == "html" else None


def _stateless_work(settings: ScanSettings, path: str, kind: str) -> StatelessWork:
    """An input's stateless work as a worker process builds it: as the input's scan here does."""
    return InputScan(settings, Input(path=path, kind=kind)).work


def scan(paths: list[str], settings: ScanSettings, *, jobs: int = 1,
         progress: Callable[[str, int], None] | None = None) -> ScanResult:
    """Scan files and folders. Unreadable inputs become errors; the rest are scanned.
    With ``jobs`` above one, that many worker processes do the records' stateless work
    (``scanner.parallel``) while this process does the in-order work: the report is the
    same. Ctrl-C stops the scan: what was scanned is kept, the rest is listed as not
    judged and ``interrupted`` is set."""
    result = ScanResult(profile=settings.profile, app=settings.app)
    files, problems = expand(paths)
    result.errors.extend(problems)
    reads = ((position, read) for position, (path, kind) in enumerate(files)
             for read in read_records(path, kind, _page_url(settings, path, kind)))
    done = 0
    try:
        with prepared_ahead(reads, files, settings, _stateless_work, jobs) as stream:
            for position, items in groupby(stream, key=itemgetter(0)):
                path, kind = files[position]
                if progress:
                    progress(path, 0)
                logger.debug("scanning %s", path)
                result.add(_scan_input(path, kind, settings, (item[1:] for item in items), progress))
                done += 1
    except KeyboardInterrupt:
        result.interrupted = True
        result.errors.extend((path, "not scanned: the scan was interrupted") for path, _ in files[done:])
    finally:
        # The browser's client runs its own event loop in this thread while it is open: a
        # program that scans and then uses asyncio must get its thread back.
        close_renderers()
    return result
