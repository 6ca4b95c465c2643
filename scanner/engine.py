"""The engine: one streaming pass per input, every enabled check reading the same
decoded records. ``appaudit scan`` and the mitmproxy addon both drive :class:`InputScan`.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from mitmproxy import http

from appaudit.scanner import timelimit
from appaudit.scanner.appfile import AppDescription
from appaudit.scanner.check import (Check, NotApplicable, PageCheck, ScanContext, TrafficCheck, add_checks_dir, all_checks,
                                     judge_page)
from appaudit.scanner.decoding import MAX_DECODED_BODY
from appaudit.scanner.detectors import Detector
from appaudit.scanner.failures import describe as _describe
from appaudit.scanner.flowview import FlowView
from appaudit.scanner.loading import (Input, InputError, expand, read_flows, read_har, read_text, sha256_of,
                                      url_in_map)
from appaudit.scanner.model import CheckOutcome, Finding, Occurrences, Status
from appaudit.scanner.page import MAX_DEPTH, MAX_PAGE_CHARS, Page
from appaudit.scanner.pagemodel import unit_problems
from appaudit.scanner.pagemodel.notices import page_notices
from appaudit.scanner.profile_loader import Profile
from appaudit.scanner.render.judging import ScreenshotFolder, judging_for
from appaudit.scanner.sharing import SessionSharing, build_catalogue
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
            try:
                self.checks.append(registry[check_id](context))
                self._status[check_id] = (Status.PASS, None)
            except NotApplicable as e:
                self._status[check_id] = (Status.NOT_APPLICABLE, str(e))
        self.traffic_checks = [c for c in self.checks if isinstance(c, TrafficCheck)]
        self.page_checks = [c for c in self.checks if isinstance(c, PageCheck)]
        self.rendering = judging_for(settings, input, input.kind, self.detector) if self.page_checks else None

    def flow(self, flow: object, index: int) -> list[Finding]:
        """Check one flow of the input (any mitmproxy flow; only HTTP flows are read)."""
        self.input.records += 1
        self.repeated = []
        return self._within_budget(lambda: self._flow(flow, index), f"flow {index}")

    def _flow(self, flow: object, index: int) -> list[Finding]:
        if not isinstance(flow, http.HTTPFlow):
            return []
        try:
            # The artifacts every check shares, built before any check runs, so that a
            # flow that cannot be decoded is one problem of the input, not an error of
            # each check.
            view = FlowView(flow, index=index, input=self.input.path, detector=self.detector)
            self.sharing.observe(view)
            secrets = tuple(v for hit in view.personal_data for v in (hit.value, *hit.related))
            page = view.page if self.page_checks else None
        except Exception as e:  # hostile input must not end the scan
            self.input.problems.append(f"flow {index} could not be decoded: {_describe(e)}")
            return []
        if view.decoding.exceeded:
            self.input.problems.append(f"flow {index}: not fully judged: {view.decoding.exceeded}")
        for message in filter(None, (view.request, view.response)):
            if message.body_error:
                self.input.problems.append(f"flow {index}: {message.part_prefix} body not checked: {message.body_error}")
            elif message.body_truncated:
                self.input.problems.append(f"flow {index}: {message.part_prefix} body is over "
                                           f"{MAX_DECODED_BODY // 2**20} MiB decoded; only the start was checked")
        findings = self._run(self.traffic_checks, lambda check: check.check_flow(view), f"flow {index}")
        if page is not None:
            findings += self._judge_page(page, f"flow {index}")
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

    def page(self, page: Page) -> list[Finding]:
        self.input.records += 1
        return self._within_budget(lambda: self._judge_page(page, "page"), "page")

    def _judge_page(self, page: Page, where: str) -> list[Finding]:
        if self.rendering is None:
            return self._page_findings(page, where)
        return self.rendering.judge(page, lambda shown: self._page_findings(shown, where), where)

    def _within_budget(self, judge: Callable[[], list[Finding]], where: str) -> list[Finding]:
        """One record judged within its time budget; one over it is not judged."""
        try:
            with time_limit(timelimit.RECORD_SECONDS):
                return judge()
        except OverTime:
            self.input.problems.append(f"{where}: not judged: over the time budget of {timelimit.RECORD_SECONDS:g} s")
            return []

    def _page_findings(self, page: Page, where: str) -> list[Finding]:
        if page.damage:
            self.input.problems.append(page.damage)
        if page.truncated:
            self.input.problems.append(f"{where}: page is over {MAX_PAGE_CHARS // 2**20} Mi characters or "
                                       f"{MAX_DEPTH} levels deep; only what lies within was checked")
        for note in page_notices(page):
            note = note if where == "page" else f"{where}: {note}"
            if note not in self.input.notes:
                self.input.notes.append(note)
        findings = self._run(self.page_checks, lambda check: judge_page(check, page), where)
        self.input.problems += [f"{where}: {problem}" for problem in unit_problems(page)]
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

    def _run(self, checks: list[Check], call: Callable[[Check], Iterable[Finding]], where: str) -> list[Finding]:
        found = []
        seen: set[tuple] = set()
        for check in checks:
            try:
                results = list(call(check) or ())
            except NotApplicable as e:  # this record cannot be judged (a page without origin)
                self._skipped.setdefault(check.id, str(e))
                continue
            except Exception as e:  # a broken check must not end the scan
                if self._status[check.id][0] is not Status.ERROR:
                    self._status[check.id] = (Status.ERROR, f"{where}: {_describe(e)}")
                    self.input.problems.append(f"check {check.id} failed at {where}: {_describe(e)}")
                continue
            if where != "end of input":
                self._judged.add(check.id)
            for finding in results:
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
    """Scan one input file from start to end in a single streaming pass; ``progress``
    hears of the file and of every few hundred flows read. A file that breaks part-way
    keeps the findings of every record read before the break."""
    input = Input(path=path, kind=kind)
    for folder in settings.checks_dirs:
        add_checks_dir(folder)
    try:
        input.sha256 = sha256_of(path)
        session = InputScan(settings, input)
        findings = []
        try:
            if kind in ("flows", "har"):
                records = read_flows(path, input.problems) if kind == "flows" else \
                    read_har(path, input.problems, input.notes)
                for index, flow in enumerate(records):
                    findings += session.flow(flow, index)
                    if progress and index % 250 == 249:
                        progress(path, index + 1)
            else:
                session.not_applicable(session.traffic_checks, _NO_TRAFFIC)
                url = (url_in_map(settings.url_map, path) or settings.base_url) if kind == "html" else None
                page = Page(source=read_text(path), input=path, kind=kind, url=url)
                findings += session.page(page)
        except Exception as e:
            if not input.records:
                raise
            input.problems.append(f"damaged after record {input.records}: {_problem(e)}")
        findings += session.finish()
    except Exception as e:  # hostile input must not end the scan: one line, and go on
        input.problems.append(_problem(e))
        return InputResult(input=input, findings=[], outcomes=[], readable=False)
    sharing = session.sharing
    return InputResult(input=input, findings=findings, outcomes=session.outcomes(),
                       third_parties=sharing.inventory(path),
                       first_party={**sharing.first_party_basis(), **sharing.consent_moment()}
                       if kind in ("flows", "har") else None)


_NO_TRAFFIC = "a saved page or screen dump carries no network traffic"


def _scan_alone(path: str, kind: str, settings: ScanSettings, result: ScanResult) -> None:
    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            result.add(pool.submit(scan_file, path, kind, settings).result())
    except BrokenProcessPool:
        result.errors.append((path, "not scanned: its worker process was killed (out of memory?)"))


def _problem(error: Exception) -> str:
    if isinstance(error, InputError):
        return str(error)
    if isinstance(error, OSError):
        return f"cannot read: {(error.strerror or str(error)).lower()}"
    if isinstance(error, RecursionError):
        return "nesting too deep to read"
    return f"could not be read: {_describe(error)}"


def scan(paths: list[str], settings: ScanSettings, *, jobs: int = 1,
         progress: Callable[[str, int], None] | None = None) -> ScanResult:
    """Scan files and folders. Unreadable inputs become errors; the rest are scanned.
    Ctrl-C stops the scan: what was scanned is kept, the rest is listed as not judged
    and ``interrupted`` is set."""
    result = ScanResult(profile=settings.profile, app=settings.app)
    files, problems = expand(paths)
    result.errors.extend(problems)
    done = 0
    try:
        if jobs > 1 and len(files) > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = [pool.submit(scan_file, path, kind, settings) for path, kind in files]
                for (path, kind), future in zip(files, futures, strict=True):
                    if progress:
                        progress(path, 0)
                    try:
                        result.add(future.result())
                    except BrokenProcessPool:
                        # A worker was killed (the OOM killer): every input the pool had
                        # not finished fails with it. Each is scanned again in a worker of
                        # its own, so only the input that kills its worker again is lost.
                        _scan_alone(path, kind, settings, result)
                    except Exception as e:  # a result that could not come back costs its input only
                        result.errors.append((path, f"not scanned: its worker process failed ({_describe(e)})"))
                    done += 1
        else:
            for path, kind in files:
                if progress:
                    progress(path, 0)
                logger.debug("scanning %s", path)
                result.add(scan_file(path, kind, settings, progress))
                done += 1
    except KeyboardInterrupt:
        result.interrupted = True
        result.errors.extend((path, "not scanned: the scan was interrupted") for path, _ in files[done:])
    return result
