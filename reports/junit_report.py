"""JUnit XML (``-f junit``), as Jenkins and GitLab read it: a ``testsuite`` per input,
a ``testcase`` per (check, input) from the report's per-check status — passed, a
``failure`` listing the findings one per line, ``skipped`` with the reason the check
does not apply, or an ``error``. An input that could not be read is a suite with one
erroring case. Characters XML 1.0 cannot carry are shown escaped (``\\x01``), never
dropped."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from appaudit.reports.parts import SEVERITIES, check_info, findings_of, occurrences_line
from appaudit.reports.text_report import evidence_line, where

FORMAT = "junit"
EXTENSION = ".xml"

# Outside XML 1.0's Char production (and the noncharacters U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render(report: dict, *, color: bool = False) -> str:
    root = ET.Element("testsuites", name="appaudit")
    suites: dict[str, ET.Element] = {}

    def suite(input: str) -> ET.Element:
        if input not in suites:
            suites[input] = ET.SubElement(root, "testsuite", name=xml_safe(input))
        return suites[input]

    for input in report.get("inputs", []):
        suite(input["path"])
    statuses = {(c["check"], c["input"]): c for c in report.get("checks", [])}
    # A report of another version may hold findings of a check with no status entry.
    for finding in report.get("findings", []):
        key = (finding["check"], finding.get("location", {}).get("input", ""))
        statuses.setdefault(key, {"check": key[0], "input": key[1], "status": "fail"})
    for (check, input), status in statuses.items():
        _testcase(suite(input), report, check, input, status)
    for error in report.get("errors", []):
        case = ET.SubElement(suite(error["input"]), "testcase", name="read the input", classname=xml_safe(error["input"]))
        ET.SubElement(case, "error", message=xml_safe(error["message"]), type="input")
    for input in report.get("inputs", []):
        if input.get("notes"):
            ET.SubElement(suite(input["path"]), "system-out").text = xml_safe("\n".join(input["notes"]))
    for element in [*suites.values(), root]:
        _count(element)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _testcase(suite: ET.Element, report: dict, check: str, input: str, status: dict) -> None:
    info = check_info(check, report)
    case = ET.SubElement(suite, "testcase", name=xml_safe(f"{check} {info['name']}"), classname=xml_safe(input))
    if status["status"] == "not_applicable":
        ET.SubElement(case, "skipped", message=xml_safe(status.get("reason") or "not applicable"))
    elif status["status"] == "error":
        ET.SubElement(case, "error", message=xml_safe(status.get("reason") or "the check failed"), type="check")
    elif status["status"] == "fail":
        findings = findings_of(report, check, input)
        worst = next((s for s in SEVERITIES if any(f["severity"] == s for f in findings)), info["severity"])
        failure = ET.SubElement(case, "failure", type=worst,
                                message=f"{len(findings)} finding{'s' if len(findings) != 1 else ''}")
        failure.text = xml_safe("\n".join(_finding_line(f) for f in findings))


def _finding_line(finding: dict) -> str:
    parts = [f"[{finding['severity']}] {finding['title']}", where(finding)]
    parts += [text for text in (evidence_line(finding.get("evidence", {})), occurrences_line(finding)) if text]
    # One finding per line: a newline from a capture must not split it.
    return " — ".join(" ".join(part.split()) for part in parts)


def _count(element: ET.Element) -> None:
    cases = element.findall(".//testcase")
    element.set("tests", str(len(cases)))
    for outcome, attribute in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
        element.set(attribute, str(sum(1 for case in cases if case.find(outcome) is not None)))


def xml_safe(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                        str(text))
