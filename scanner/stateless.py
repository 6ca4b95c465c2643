"""The work on one record that needs no other record: decoding a flow, finding its
personal data, parsing its page, and the checks declared ``stateless``.

It runs before the work that must see the records in input order (party and consent
tracking, the other checks, merging repeated findings: ``engine.InputScan.take``), in the
scan's own process or, under ``scan --jobs``, in worker processes (``scanner.parallel``).
Both do exactly this, in this order, so the report does not depend on where it ran.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from mitmproxy import http

from appaudit.scanner import timelimit
from appaudit.scanner.check import Check, NotApplicable, PageCheck, TrafficCheck, judge_page
from appaudit.scanner.detectors import Detector
from appaudit.scanner.failures import describe
from appaudit.scanner.flowview import FlowView
from appaudit.scanner.loading import FlowRecord, PageRecord, read_problem
from appaudit.scanner.model import Finding
from appaudit.scanner.page import MAX_DEPTH, MAX_PAGE_CHARS, Page
from appaudit.scanner.pagemodel import unit_problems
from appaudit.scanner.pagemodel.notices import page_notices
from appaudit.scanner.render.judging import RenderedJudging
from appaudit.scanner.timelimit import OverTime, time_limit


@dataclass(kw_only=True)
class CheckResult:
    """What one check said of one record: its findings, or that it cannot judge the record
    (``NotApplicable``), or the error it raised (described where it was raised)."""

    findings: list[Finding] = field(default_factory=list)
    not_applicable: str | None = None
    error: str | None = None


def attempt(check: Check, call: Callable[[Check], Iterable[Finding] | None]) -> CheckResult:
    try:
        return CheckResult(findings=list(call(check) or ()))
    except NotApplicable as e:  # this record cannot be judged (a page without origin)
        return CheckResult(not_applicable=str(e))
    except Exception as e:  # a broken check must not end the scan
        return CheckResult(error=describe(e))


@dataclass(kw_only=True)
class PreparedRecord:
    """A record after its stateless work, ready for the work in input order."""

    where: str  # how the report names the record: "flow 17", "page"
    record: FlowView | PageRecord | None = None  # None: nothing to judge (not an HTTP flow)
    # Why the record is not judged at all (it could not be decoded, it ran over its time
    # budget), or why the input cannot be read (a page file that cannot be parsed).
    failure: str | None = None
    unreadable: str | None = None
    results: dict[str, CheckResult] = field(default_factory=dict)  # the stateless checks', by id
    # The page's own problems (damage, cut), its notes and the parts its analyses could not read.
    has_page: bool = False
    page_problems: list[str] = field(default_factory=list)
    page_notes: list[str] = field(default_factory=list)
    # What the input says once, however many records say it (how its pages were rendered).
    input_problems: list[str] = field(default_factory=list)
    input_notes: list[str] = field(default_factory=list)
    unit_problems: list[str] = field(default_factory=list)


def not_prepared(record: FlowRecord | PageRecord, reason: str) -> PreparedRecord:
    """A record whose stateless work could not be done (its worker process died): a page
    file is then not scanned, a flow not judged."""
    if isinstance(record, PageRecord):
        return PreparedRecord(where="page", unreadable=f"not scanned: {reason}")
    where = f"flow {record.index}"
    return PreparedRecord(where=where, failure=f"{where}: not judged: {reason}")


class StatelessWork:
    """The stateless work for one input: ``checks`` are its enabled stateless checks;
    ``parse_pages`` says whether any page check (stateless or not) reads pages."""

    def __init__(self, *, input: str, detector: Detector, checks: list[Check], parse_pages: bool,
                 rendering: RenderedJudging | None = None):
        self.input = input
        self.rendering = rendering  # None: pages are judged from their markup
        self.detector = detector
        self.traffic_checks = [c for c in checks if isinstance(c, TrafficCheck)]
        self.page_checks = [c for c in checks if isinstance(c, PageCheck)]
        self.parse_pages = parse_pages

    def prepare(self, record: FlowRecord | PageRecord) -> PreparedRecord:
        """One record's stateless work, within the record's time budget."""
        where = f"flow {record.index}" if isinstance(record, FlowRecord) else "page"
        try:
            with time_limit(timelimit.RECORD_SECONDS):
                if isinstance(record, FlowRecord):
                    return self._flow(record, where)
                return self._page_file(record, where)
        except OverTime:
            return PreparedRecord(where=where, failure=f"{where}: not judged: over the time budget of "
                                                       f"{timelimit.RECORD_SECONDS:g} s")

    def _flow(self, record: FlowRecord, where: str) -> PreparedRecord:
        if not isinstance(record.flow, http.HTTPFlow):
            return PreparedRecord(where=where)
        try:
            # The artifacts every check shares, built before any check runs, so that a
            # flow that cannot be decoded is one problem of the input, not an error of
            # each check.
            view = FlowView(record.flow, index=record.index, input=self.input, detector=self.detector)
            _ = view.personal_data
            page = view.page if self.parse_pages else None
        except Exception as e:  # hostile input must not end the scan
            return PreparedRecord(where=where, failure=f"{where} could not be decoded: {describe(e)}")
        prepared = PreparedRecord(where=where, record=view, results={
            check.id: attempt(check, lambda check: check.check_flow(view)) for check in self.traffic_checks})
        if page is not None:
            self._page(page, prepared)
        return prepared

    def _page_file(self, record: PageRecord, where: str) -> PreparedRecord:
        try:
            page = record.page
        except Exception as e:
            return PreparedRecord(where=where, unreadable=read_problem(e))
        prepared = PreparedRecord(where=where, record=record)
        self._page(page, prepared)
        return prepared

    def _page(self, page: Page, prepared: PreparedRecord) -> None:
        prepared.has_page = True
        if page.damage:
            prepared.page_problems.append(page.damage)
        if page.truncated:
            prepared.page_problems.append(f"{prepared.where}: page is over {MAX_PAGE_CHARS // 2**20} Mi characters "
                                          f"or {MAX_DEPTH} levels deep; only what lies within was checked")
        if self.rendering is None:
            self._judge_page(page, prepared)
        else:
            def say(message: str, problem: bool) -> None:
                (prepared.input_problems if problem else prepared.input_notes).append(message)
            self.rendering.judge(page, lambda shown: self._judge_page(shown, prepared), prepared.where, say)

    def _judge_page(self, page: Page, prepared: PreparedRecord) -> list[Finding]:
        prepared.page_notes = page_notices(page)
        prepared.results.update({check.id: attempt(check, lambda check: judge_page(check, page))
                                 for check in self.page_checks})
        prepared.unit_problems = list(unit_problems(page))
        return [finding for result in prepared.results.values() for finding in result.findings]
