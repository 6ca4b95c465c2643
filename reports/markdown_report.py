"""Markdown for a pull-request comment (``-f md``): a summary table, then the findings
grouped by check, each check's findings past the first 20 collapsed in ``<details>``.

Text from a capture never breaks the page: values (URLs, fields, selectors, evidence)
sit in code spans fenced longer than any backtick run they hold, and prose (titles,
messages) has every Markdown punctuation character backslash-escaped and ``<``, ``>``,
``&``, ``"`` written as entities, so it cannot end a table cell, close a code span, or open a
link, an image or HTML. Nothing from a capture goes into a table."""
from __future__ import annotations

import re
from collections import Counter

from appaudit.reports.parts import SEVERITIES, STATUS_LABELS, by_check, check_info, occurrences_line
from appaudit.reports.text_report import evidence_line, where

FORMAT = "md"
EXTENSION = ".md"

SHOWN = 20
_PUNCTUATION = set("\\`*_{}[]()#+-.!|~:;=$%^'/?,")
# GitHub links an e-mail address in text even with its punctuation escaped; a zero-width
# space after the @ stops that.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "@": "@&#8203;"}
# Line breaks and other control, bidi and zero-width characters: shown as a space.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def render(report: dict, *, color: bool = False) -> str:
    total = len(report.get("findings", []))
    lines = ["## appaudit report", "",
             f"**{total} finding{'s' if total != 1 else ''}** in "
             f"{len(report.get('inputs', []))} input{'s' if len(report.get('inputs', [])) != 1 else ''} · profile "
             f"{text(report.get('profile', ''))} · appaudit {text(report.get('tool', {}).get('version', ''))}", ""]
    lines += _summary_table(report)
    for error in report.get("errors", []):
        lines.append(f"- **error** {code(error['input'])}: {text(error['message'])}")
    for input in report.get("inputs", []):
        lines += [f"- note: {code(input['path'])}: {text(note)}" for note in input.get("notes", [])]
    if report.get("errors") or any(i.get("notes") for i in report.get("inputs", [])):
        lines.append("")
    for check, findings in by_check(report).items():
        info = check_info(check, report)
        lines += [f"### {text(check)} {text(info['name'])} ({len(findings)})", "",
                  "Breaks: " + "; ".join(text(r) for r in info["regulations"]), ""]
        lines += [_finding_item(f) for f in findings[:SHOWN]]
        if len(findings) > SHOWN:
            lines += ["", f"<details><summary>{len(findings) - SHOWN} more</summary>", ""]
            lines += [_finding_item(f) for f in findings[SHOWN:]]
            lines += ["", "</details>"]
        lines.append("")
    lines += _status_lines(report)
    return "\n".join(lines).rstrip("\n") + "\n"


def _summary_table(report: dict) -> list[str]:
    summary = report.get("summary", {})
    counts = Counter(f.get("severity") for f in report.get("findings", []))
    lines = ["| severity | new findings |", "| --- | ---: |"]
    lines += [f"| {severity} | {counts.get(severity, 0)} |" for severity in SEVERITIES]
    lines.append(f"| **total** | **{len(report.get('findings', []))}** |")
    lines += ["", f"Suppressed by the baseline: {summary.get('suppressed', 0)}", ""]
    return lines


def _finding_item(finding: dict) -> str:
    item = f"- **{finding['severity']}** {text(finding['title'])}  \n  {code(where(finding))}"
    evidence = evidence_line(finding.get("evidence", {}))
    if evidence:
        item += f" · evidence {code(evidence)}"
    page_url = finding.get("location", {}).get("page_url")
    if page_url:
        item += f" · page {code(page_url)}"
    occurrences = occurrences_line(finding)
    if occurrences:
        item += f" · {text(occurrences)}"
    return item


def _status_lines(report: dict) -> list[str]:
    """Per-check status over all inputs: how many inputs each check passed, failed or
    did not apply to."""
    totals: dict[str, dict[str, int]] = {}
    for status in report.get("checks", []):
        counts = totals.setdefault(status["check"], {})
        counts[status["status"]] = counts.get(status["status"], 0) + 1
    if not totals:
        return []
    lines = ["<details><summary>Per-check status</summary>", "",
             "| check | " + " | ".join(STATUS_LABELS.values()) + " |", "| --- |" + " ---: |" * len(STATUS_LABELS)]
    for check, counts in sorted(totals.items()):
        lines.append(f"| {text(check)} {text(check_info(check, report)['name'])} | "
                     + " | ".join(str(counts.get(s, 0)) for s in STATUS_LABELS) + " |")
    return lines + ["", "</details>"]


def text(value) -> str:
    """Prose from a capture, inert in Markdown and in the HTML GitHub allows."""
    out = []
    for char in _INVISIBLE.sub(" ", str(value)):
        out.append(_ENTITIES.get(char) or ("\\" + char if char in _PUNCTUATION else char))
    return "".join(out)


def code(value) -> str:
    """A value from a capture as a code span: fenced with more backticks than its
    longest run, padded when it starts or ends with a backtick."""
    content = _INVISIBLE.sub(" ", str(value))
    if not content.strip():
        return "` `" if content else ""
    fence = "`" * (max((len(run) for run in re.findall("`+", content)), default=0) + 1)
    if content.startswith("`") or content.endswith("`"):
        content = f" {content} "
    return f"{fence}{content}{fence}"
