"""What several writers say the same way about a report document: the order of
severities, findings grouped by check, the catalogue entry of a check (or what the
report itself says of a check the catalogue no longer has), and the one-line
descriptions of a finding's location, evidence and occurrences. Not a writer itself
(no ``FORMAT``)."""
from __future__ import annotations

import datetime

from appaudit.scanner.check import all_checks

SEVERITIES = ("critical", "high", "medium", "low", "info")
STATUS_LABELS = {"pass": "passed", "fail": "failed", "not_applicable": "not applicable", "error": "error"}

def by_check(report: dict) -> dict[str, list[dict]]:
    """The report's findings by check id, in id order (most severe first within a check,
    as the document orders them)."""
    groups: dict[str, list[dict]] = {}
    for finding in report.get("findings", []):
        groups.setdefault(finding["check"], []).append(finding)
    return dict(sorted(groups.items()))


def findings_of(report: dict, check: str, input: str) -> list[dict]:
    return [f for f in report.get("findings", [])
            if f["check"] == check and f.get("location", {}).get("input") == input]


def check_info(check_id: str, report: dict) -> dict:
    """id, name, severity, category, regulations and description of a check: from the
    catalogue, or (a report written by another version) from its findings."""
    check = all_checks().get(check_id)
    if check is not None:
        return {"id": check.id, "name": check.name, "severity": check.severity.label, "category": check.category,
                "regulations": list(check.regulations), "description": check.description,
                "doc": " ".join((check.__doc__ or "").split())}
    sample = next((f for f in report.get("findings", []) if f["check"] == check_id), {})
    return {"id": check_id, "name": sample.get("name", check_id), "severity": sample.get("severity", "info"),
            "category": "traffic" if check_id.startswith("DH") else "ui",
            "regulations": list(sample.get("regulations", [])), "description": sample.get("title", check_id),
            "doc": ""}


def occurrences_line(finding: dict) -> str:
    """"seen 40 times in flows 13, 66, 101 … between 10:00:01 and 10:15:00 UTC", or ""."""
    occurrences = finding.get("occurrences")
    if not occurrences:
        return ""
    count = occurrences.get("count", 0)
    text = f"seen {count} time{'s' if count != 1 else ''}"
    flows = occurrences.get("flows") or []
    if flows:
        shown = ", ".join(str(flow) for flow in flows[:10])
        text += f" in flow{'s' if len(flows) != 1 else ''} {shown}{' …' if len(flows) > 10 else ''}"
    if occurrences.get("first") is not None and occurrences.get("last") is not None:
        text += f" between {utc(occurrences['first'])} and {utc(occurrences['last'])}"
    return text


def utc(timestamp: float) -> str:
    """A capture timestamp as an ISO 8601 UTC time (whole seconds unless it has a fraction)."""
    moment = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc)
    return moment.isoformat(timespec="milliseconds" if moment.microsecond else "seconds").replace("+00:00", "Z")
