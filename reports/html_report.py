"""One self-contained HTML file for auditors (``-f html``): what was scanned, a summary
by severity and by regulation clause (with an inline SVG chart), the third-party
inventory, a timeline of each traffic input around the consent moment, the findings
grouped by check with their evidence, location, occurrences and clauses, and every
check's status per input.

Built with jinja2 autoescaping: everything from a capture is text, never markup, and
no capture URL becomes a link. The page loads nothing: inline CSS and SVG, and a
Content-Security-Policy that allows only this file's own style and script (by hash),
so even markup that slipped through could neither run nor fetch. The filter script
only hides findings; with scripts off the page shows everything."""
from __future__ import annotations

import base64
import hashlib
from collections import Counter
from functools import cache
from pathlib import Path, PurePosixPath

import jinja2

from appaudit.reports.parts import SEVERITIES, STATUS_LABELS, by_check, check_info, occurrences_line, utc
from appaudit.reports.text_report import evidence_line

FORMAT = "html"
EXTENSION = ".html"

_TEMPLATES = Path(__file__).with_name("templates")


def render(report: dict, *, color: bool = False) -> str:
    style = (_TEMPLATES / "report.css").read_text(encoding="utf-8")
    script = (_TEMPLATES / "filter.js").read_text(encoding="utf-8")
    # Evidence screenshots are files beside the report (relative paths only, see
    # _screenshot_path); nothing else may be loaded.
    csp = ("default-src 'none'; base-uri 'none'; form-action 'none'; img-src 'self' file:; "
           f"style-src '{csp_hash(style)}'; script-src '{csp_hash(script)}'")
    counts = Counter(f.get("severity") for f in report.get("findings", []))
    return _environment().get_template("report.html.j2").render(
        report=report, style=style, script=script, csp=csp,
        severities=SEVERITIES, severity_counts=[(s, counts.get(s, 0)) for s in SEVERITIES],
        regulations=_regulation_counts(report), groups=_groups(report), statuses=_statuses(report),
        timelines=_timelines(report), parties=report.get("third_parties") or [],
        checks_present=sorted(by_check(report)),
    )


@cache
def _environment() -> jinja2.Environment:
    # A key a saved report lacks renders as nothing, as the other writers' .get() does.
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True,
                                     undefined=jinja2.ChainableUndefined, trim_blocks=True, lstrip_blocks=True,
                                     keep_trailing_newline=True)
    environment.filters.update(utc=utc, occurrences=occurrences_line, evidence_line=evidence_line,
                               screenshot=_screenshot_path, shown=_shown)
    return environment


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline style or script."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _regulation_counts(report: dict) -> list[tuple[str, int]]:
    counts = Counter(r for f in report.get("findings", []) for r in f.get("regulations", []))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _groups(report: dict) -> list[dict]:
    return [{"info": check_info(check, report), "findings": findings} for check, findings in by_check(report).items()]


def _statuses(report: dict) -> list[dict]:
    """Per check: how many inputs it passed, failed, did not apply to (with the reasons)
    or could not judge — Lighthouse shows passed audits too."""
    rows: dict[str, dict] = {}
    for status in report.get("checks", []):
        row = rows.setdefault(status["check"], {"info": check_info(status["check"], report),
                                                "counts": Counter(), "reasons": []})
        row["counts"][status["status"]] += 1
        if status.get("reason"):
            row["reasons"].append((status["input"], STATUS_LABELS.get(status["status"], status["status"]),
                                   status["reason"]))
    return [{**row, "counts": [(label, row["counts"][key]) for key, label in STATUS_LABELS.items()]}
            for _, row in sorted(rows.items())]


def _timelines(report: dict) -> list[dict]:
    """Per traffic input: what each flow sent to whom in time order, and where the user
    consented, from the traffic findings, the inventory's first contacts and the
    input's consent moment."""
    timelines = []
    for basis in report.get("first_party") or []:
        input = basis["input"]
        consent = basis.get("consent") or {}
        events: dict[tuple, dict] = {}
        for party in report.get("third_parties") or []:
            if party["input"] == input and party.get("first_flow") is not None:
                host = party["domains"][0] if party["domains"] else ""
                event = _event(events, party["first_flow"], party.get("first_seen"), host)
                event["parties"].append(f"first contact with {party['party']}"
                                        + (f" ({party['sdk']['name']})" if party.get("sdk") else ""))
        for finding in report.get("findings", []):
            location = finding.get("location", {})
            if location.get("input") != input or location.get("flow") is None:
                continue
            event = _event(events, location["flow"], location.get("timestamp"), _host(location.get("url", "")))
            data_type = finding.get("evidence", {}).get("data_type")
            label = f"{finding['check']} {data_type or finding['name']}"
            if label not in event["findings"]:
                event["findings"].append(label)
        ordered = sorted(events.values(), key=lambda e: e["flow"])
        for event in ordered:
            event["before_consent"] = _before(event, consent)
        timelines.append({"input": input, "consent": consent, "events": ordered,
                          "chart": _timeline_chart(ordered, consent)})
    return timelines


def _event(events: dict, flow: int, timestamp, host: str) -> dict:
    return events.setdefault((flow,), {"flow": flow, "timestamp": timestamp, "host": host, "parties": [], "findings": []})


def _before(event: dict, consent: dict) -> bool | None:
    if consent.get("flow") is not None:
        return event["flow"] < consent["flow"]
    if consent.get("timestamp") is not None and event["timestamp"] is not None:
        return event["timestamp"] < consent["timestamp"]
    return True if consent.get("given") is False else None


def _timeline_chart(events: list[dict], consent: dict) -> dict | None:
    """Positions (0-1000) of the events and the consent moment on a time axis (flow
    order where the capture has no times)."""
    timed = [e for e in events if e["timestamp"] is not None]
    key = "timestamp" if len(timed) == len(events) and events else "flow"
    points = [e[key] for e in events]
    if consent.get(key) is not None:
        points.append(consent[key])
    if not points:
        return None
    low, high = min(points), max(points)
    span = (high - low) or 1

    def x(value) -> int:
        return 20 + round((value - low) / span * 960)

    return {"dots": [{"x": x(e[key]), "before": e["before_consent"], "flow": e["flow"]} for e in events],
            "consent_x": x(consent[key]) if consent.get(key) is not None else None}


def _host(url: str) -> str:
    return url.split("//", 1)[-1].split("/", 1)[0] if "//" in url else ""


def _screenshot_path(path: str) -> str | None:
    """A finding's screenshot (a PNG beside the report) as a relative link, or None
    for anything that is not a plain relative path."""
    pure = PurePosixPath(str(path))
    if pure.is_absolute() or ":" in str(path) or ".." in pure.parts or pure.suffix.lower() != ".png":
        return None
    return str(pure)


def _shown(value) -> str:
    """An evidence value as text: lists joined, mappings as key=value."""
    if isinstance(value, dict):
        return ", ".join(f"{k}={_shown(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_shown(v) for v in value)
    return str(value)
