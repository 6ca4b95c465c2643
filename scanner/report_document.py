"""The report document: the one artifact every report writer renders.

It is the contract's JSON report as a Python dict. Masking happens here, once, so no
writer can leak a value: unless ``reveal`` is set, every raw value a finding carries is
replaced by its masked form wherever it appears in that finding.
"""
from __future__ import annotations

import dataclasses
import datetime
from collections import Counter

from appaudit import scanner
from appaudit.reports.text_report import undecodable_escaped
from appaudit.scanner.detectors import Detector
from appaudit.scanner.engine import ScanResult
from appaudit.scanner.masking import mask, redact
from appaudit.scanner.model import Finding, Severity

SCHEMA = "appaudit-report/1"


def utc_now() -> str:
    """The moment a scan starts or ends, as the report records it (ISO 8601 UTC, seconds)."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def build_report(result: ScanResult, *, reveal: bool = False, suppressed: int = 0,
                 started: str | None = None, finished: str | None = None, command_line: str | None = None) -> dict:
    """``started``/``finished`` (ISO 8601 UTC) and ``command_line`` record the scan's
    invocation, for the writers that show it (SARIF ``invocations``); the writers take
    no clock of their own, so a saved report re-renders to the same bytes."""
    findings = sorted(result.findings, key=_finding_order)
    canaries = result.app.canaries if result.app else {}
    rendered = [finding_document(f, reveal=reveal, canaries=canaries) for f in findings]
    by_severity = Counter(f.severity.label for f in findings)
    report = {
        "schema": SCHEMA,
        "tool": {"name": "appaudit", "version": scanner.__version__},
        **{k: v for k, v in (("started", started), ("finished", finished), ("command_line", command_line)) if v},
        "profile": result.profile.name,
        "app": result.app.path if result.app else None,
        "inputs": [{"path": i.path, "kind": i.kind, "sha256": i.sha256, "records": i.records,
                    **({"notes": list(i.notes)} if i.notes else {})} for i in result.inputs],
        "errors": [{"input": path, "message": message} for path, message in result.errors],
        "summary": {
            "total": len(findings),
            "by_severity": {s.label: by_severity[s.label] for s in reversed(Severity) if by_severity[s.label]},
            "by_check": dict(sorted(Counter(f.check for f in findings).items())),
            "suppressed": suppressed,
        },
        "checks": [{"check": o.check, "input": o.input, "status": o.status.value,
                    **({"reason": o.reason} if o.reason else {})} for o in result.outcomes],
        "findings": rendered,
        "third_parties": result.third_parties,
        "first_party": result.first_party,
    }
    report = _writable(report)
    return report if reveal else mask_everywhere(report, result)


def finding_document(finding: Finding, *, reveal: bool, canaries: dict[str, str] | None = None) -> dict:
    location = {k: v for k, v in dataclasses.asdict(finding.location).items() if v is not None and k != "anchor"}
    evidence = {"data_type": finding.evidence.data_type, "value": finding.evidence.value}
    if finding.evidence.canary:
        evidence["canary"] = finding.evidence.canary
    if finding.evidence.encoding:
        evidence["encoding"] = list(finding.evidence.encoding)
    evidence.update(finding.evidence.details)
    evidence = {k: v for k, v in evidence.items() if v is not None}
    document = {
        "fingerprint": finding.fingerprint,
        "check": finding.check,
        "name": finding.name,
        "severity": finding.severity.label,
        "title": finding.title,
        "message": finding.message,
        "regulations": list(finding.regulations),
        "location": location,
        "evidence": evidence,
    }
    if finding.occurrences is not None:
        occurrences = finding.occurrences
        document["occurrences"] = {"count": occurrences.count, "flows": list(occurrences.flows),
                                   "first": occurrences.first, "last": occurrences.last}
    if reveal:
        return document
    masked = _masked(document, _replacements(finding, canaries or {}))
    if finding.evidence.value:
        masked["evidence"]["value"] = mask(finding.evidence.value, finding.evidence.data_type)
    return masked


def _replacements(finding: Finding, canaries: dict[str, str]) -> dict[str, str]:
    data_type = finding.evidence.data_type
    raw = [finding.evidence.value] if finding.evidence.value else []
    raw += list(finding.sensitive_values)
    replacements = {value: mask(value, data_type) for value in raw if value}
    # The test account's canaries are personal values wherever they appear.
    replacements.update({value: mask(value, "canary") for value in canaries.values() if value not in replacements})
    return replacements


def _masked(value, replacements: dict[str, str]):
    if isinstance(value, str):
        return redact(value, replacements)
    if isinstance(value, dict):
        return {k: v if k in ("fingerprint", "check", "name", "severity") else _masked(v, replacements)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, replacements) for v in value]
    return value


def _writable(value):
    """The document with every string encodable (non-UTF-8 file names escaped), so that
    no writer fails on it."""
    if isinstance(value, str):
        return undecodable_escaped(value)
    if isinstance(value, dict):
        return {_writable(k): _writable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_writable(v) for v in value]
    return value


# Identifiers the report makes up itself, and the input files' own names (which the
# auditor needs to find them); every other string of the document is masked.
_NOT_FROM_CAPTURES = frozenset({"schema", "fingerprint", "check", "name", "severity", "sha256", "input", "path",
                                "kind", "status", "data_type", "version", "regulations"})


def mask_everywhere(report: dict, result: ScanResult) -> dict:
    """The whole document masked: every personal value any finding carries, the app's
    canaries, and whatever the detector finds in a string of the document — in errors,
    check reasons, the inventory, titles, URLs and field paths (a phone used as a JSON
    key, form name or host label), not only in the finding that reported it."""
    canaries = result.app.canaries if result.app else {}
    replacements: dict[str, str] = {}
    for finding in result.findings:
        replacements.update(_replacements(finding, canaries))
    replacements.update({value: mask(value, "canary") for value in canaries.values() if value not in replacements})
    detector = Detector()
    done: dict[str, str] = {}  # titles and messages repeat across findings

    def masked(value, key: str | None = None):
        if isinstance(value, str):
            if key in _NOT_FROM_CAPTURES:
                return value
            if value not in done:
                text = redact(value, replacements)
                found = {hit.value: mask(hit.value, hit.data_type) for hit in detector.scan_text(text)}
                done[value] = redact(text, found) if found else text
            return done[value]
        if isinstance(value, dict):
            return {k: masked(v, k if isinstance(k, str) else None) for k, v in value.items()}
        if isinstance(value, list):
            return [masked(v, key) for v in value]
        return value

    return masked(report)


def _finding_order(finding: Finding) -> tuple:
    loc = finding.location
    return (-finding.severity, finding.check, loc.input, loc.flow if loc.flow is not None else -1,
            loc.part or "", loc.field or "", loc.selector or "", finding.evidence.data_type or "")
