"""The terminal report (``-f text``, the default): findings grouped by severity, most
severe first, and one summary line. Capture text is printed with control characters
escaped, so a hostile capture cannot move the cursor or recolour the terminal."""
from __future__ import annotations

import re
from datetime import datetime, timezone

FORMAT = "text"
EXTENSION = ".txt"

_SEVERITIES = ("critical", "high", "medium", "low", "info")
_COLOURS = {"critical": "1;35", "high": "1;31", "medium": "33", "low": "36", "info": "2"}
# Control characters (newlines too: a field name must not forge report lines), bidi
# overrides and zero-width characters are shown escaped.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
# Flow indexes a repeated finding lists on the terminal; the JSON report has them all.
_SHOWN_FLOWS = 10


def render(report: dict, *, color: bool = False, quiet: bool = False) -> str:
    """The report; ``quiet`` keeps only the errors and the summary line."""
    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    lines: list[str] = []
    by_severity: dict[str, list[dict]] = {}
    for finding in report.get("findings", []):
        by_severity.setdefault(finding.get("severity", "info"), []).append(finding)
    for severity in _SEVERITIES:
        group = by_severity.get(severity)
        if not group or quiet:
            continue
        lines.append(paint(f"{severity.upper()} ({len(group)})", _COLOURS[severity]))
        for finding in group:
            repeated = repetition_line(finding.get("occurrences"))
            times = f" ×{finding['occurrences']['count']}" if repeated else ""
            lines.append(safe(f"  {finding['check']} {finding['title']}") + times)
            lines.append(f"      {safe(where(finding))}")
            evidence = evidence_line(finding.get("evidence", {}))
            if evidence:
                lines.append(f"      {safe(evidence)}")
            if repeated:
                lines.append(f"      {safe(repeated)}")
        lines.append("")
    if not quiet:
        lines += third_party_lines(report.get("third_parties") or [])
    if not quiet:
        for input in report.get("inputs", []):
            for note in input.get("notes", []):
                lines.append(paint("note: ", "2") + safe(f"{input['path']}: {note}"))
    for error in report.get("errors", []):
        lines.append(paint("error: ", "1;31") + safe(f"{error['input']}: {error['message']}"))
    if report.get("errors"):
        lines.append("")
    lines.append(safe(summary_line(report)))
    return "\n".join(lines) + "\n"


def third_party_lines(parties: list[dict]) -> list[str]:
    """The inventory, one line per party and input: what an auditor puts next to the
    app's published third-party sharing list."""
    if not parties:
        return []
    lines = ["Third parties"]
    several_inputs = len({party["input"] for party in parties}) > 1
    for party in parties:
        sdk = party.get("sdk")
        what = f"{sdk['category'].replace('_', ' ')} SDK" if sdk else "unknown third party"
        status = "declared" if party.get("declared") else "NOT declared"
        consent = {True: ", contacted before consent", False: "", None: ""}[party.get("before_consent")]
        data = ", ".join(party.get("data_types") or []) or "no personal data seen"
        flows = f"{party['flows']} flow{'s' if party['flows'] != 1 else ''}"
        source = f"[{party['input']}] " if several_inputs else ""
        lines.append(safe(f"  {source}{party['party']} ({what}, {status}{consent}): {flows} to "
                          f"{', '.join(party['domains'][:3])}{' …' if len(party['domains']) > 3 else ''}; {data}"))
    return lines + [""]


def where(finding: dict) -> str:
    loc = finding.get("location", {})
    text = loc.get("input", "")
    if loc.get("flow") is not None:
        text += f" flow {loc['flow']}"
    if loc.get("method"):
        text += f" {loc['method']}"
    if loc.get("url") and loc.get("url") != loc.get("input"):
        text += f" {_shorten(loc['url'], 100)}"
    if loc.get("part"):
        text += f" [{loc['part']}{(' ' + loc['field']) if loc.get('field') else ''}]"
    if loc.get("selector"):
        text += f" {_shorten(loc['selector'], 80)}"
    if loc.get("line"):
        text += f" (line {loc['line']})"
    return text


def evidence_line(evidence: dict) -> str:
    parts = []
    if evidence.get("data_type"):
        parts.append(evidence["data_type"] + (f" ({evidence['canary']})" if evidence.get("canary") else ""))
    if evidence.get("value"):
        parts.append(_shorten(str(evidence["value"]), 60))
    if evidence.get("encoding"):
        parts.append("via " + "/".join(evidence["encoding"]))
    return " ".join(parts)


def repetition_line(occurrences: dict | None) -> str:
    """Where and when a repeated finding happened ("in flows 4, 9, 12 between … and …
    UTC (5 min)"); empty for a finding seen once."""
    if not occurrences or occurrences.get("count", 1) < 2:
        return ""
    flows = occurrences.get("flows") or []
    listed = ", ".join(str(flow) for flow in flows[:_SHOWN_FLOWS])
    if occurrences["count"] > _SHOWN_FLOWS:
        listed += f", … ({occurrences['count'] - _SHOWN_FLOWS} more)"
    text = f"in flows {listed}"
    first, last = occurrences.get("first"), occurrences.get("last")
    if isinstance(first, (int, float)) and isinstance(last, (int, float)):
        start, end = (datetime.fromtimestamp(t, timezone.utc) for t in (first, last))
        end_text = end.strftime("%H:%M:%S" if end.date() == start.date() else "%Y-%m-%d %H:%M:%S")
        text += f" between {start:%Y-%m-%d %H:%M:%S} and {end_text} UTC ({_duration(last - first)})"
    return text


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def summary_line(report: dict) -> str:
    summary = report.get("summary", {})
    counts = ", ".join(f"{n} {s}" for s, n in summary.get("by_severity", {}).items())
    inputs = len(report.get("inputs", []))
    text = f"{summary.get('total', 0)} finding{'s' if summary.get('total', 0) != 1 else ''}"
    if counts:
        text += f" ({counts})"
    text += f" in {inputs} input{'s' if inputs != 1 else ''}"
    if report.get("errors"):
        text += f", {len(report['errors'])} error{'s' if len(report['errors']) != 1 else ''}"
    if summary.get("suppressed"):
        text += f", {summary['suppressed']} suppressed by the baseline"
    return text + f" — profile {report.get('profile', '')}"


def safe(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100 else f"\\u{ord(m.group(0)):04x}",
                        undecodable_escaped(str(text)))


# Lone surrogates: the bytes of a file name that is not UTF-8 (GBK names from a Windows
# zip), as Python's file system functions hand them over, or a broken escape in a capture.
_SURROGATE = re.compile("[\ud800-\udfff]")


def undecodable_escaped(text: str) -> str:
    """``text`` with lone surrogates written as escapes, losslessly: a file name's
    undecodable byte 0xd6 as ``\\xd6``, any other lone surrogate as ``\\udXXX``."""
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group(0)) - 0xDC00:02x}" if 0xDC80 <= ord(m.group(0)) <= 0xDCFF
                          else f"\\u{ord(m.group(0)):04x}", text)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
