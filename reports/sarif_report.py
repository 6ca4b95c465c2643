"""SARIF 2.1.0 (``-f sarif``), for GitHub code scanning, GitLab, Azure DevOps and the
VS Code SARIF viewer.

One run; the rules are the check catalogue; a result per finding with its masked
evidence, the input file as its physical location (a page finding's line as the
region) and the URL, part and field of a traffic finding (or a page element's
selector) as logical locations. Input errors and notes are the invocation's
tool execution notifications. Must pass Microsoft's SARIF Multitool ``validate``."""
from __future__ import annotations

import json
from pathlib import PurePath, PurePosixPath
from urllib.parse import quote

from appaudit.reports.parts import by_check, check_info, occurrences_line
from appaudit.reports.text_report import evidence_line
from appaudit.scanner.check import all_checks

FORMAT = "sarif"
EXTENSION = ".sarif"

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/appaudit/appaudit"
BASE_ID = "SRCROOT"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub code scanning ranks results by the rule's security-severity (CVSS-like, 0-10).
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}


def render(report: dict, *, color: bool = False) -> str:
    rules, rule_index = _rules(report)
    artifacts, artifact_index = _artifacts(report)
    run = {
        "tool": {"driver": {
            "name": report.get("tool", {}).get("name", "appaudit"),
            "version": report.get("tool", {}).get("version", ""),
            "semanticVersion": report.get("tool", {}).get("version", ""),
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }},
        "invocations": [_invocation(report)],
        "originalUriBaseIds": {BASE_ID: {"description": {"text": "The folder appaudit was run from; "
                                                                 "input paths are relative to it."}}},
        "artifacts": artifacts,
        "results": [_result(f, rule_index, artifact_index) for f in report.get("findings", [])],
        "columnKind": "unicodeCodePoints",
        "properties": {"profile": report.get("profile"), "app": report.get("app"),
                       "suppressedByBaseline": report.get("summary", {}).get("suppressed", 0)},
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _rules(report: dict) -> tuple[list[dict], dict[str, int]]:
    ids = sorted(set(all_checks()) | set(by_check(report)))
    data_types: dict[str, set[str]] = {}
    for finding in report.get("findings", []):
        if finding.get("evidence", {}).get("data_type"):
            data_types.setdefault(finding["check"], set()).add(finding["evidence"]["data_type"])
    rules = []
    for check_id in ids:
        info = check_info(check_id, report)
        references = "\n".join(f"- {r}" for r in info["regulations"])
        rules.append({
            "id": info["id"],
            "name": _pascal(info["name"]),
            "shortDescription": {"text": _sentence(info["description"])},
            "fullDescription": {"text": _sentence(info["doc"] or info["description"])},
            "help": {"text": "Regulation references: " + "; ".join(info["regulations"]) + ".",
                     "markdown": f"**{info['id']} {info['name']}**\n\nRegulation references:\n\n{references}"},
            "defaultConfiguration": {"level": LEVELS[info["severity"]]},
            "properties": {"tags": ["security", "privacy", info["category"], *sorted(data_types.get(check_id, ()))],
                           "security-severity": SECURITY_SEVERITY[info["severity"]],
                           "regulations": info["regulations"]},
        })
    return rules, {rule["id"]: i for i, rule in enumerate(rules)}


def _artifacts(report: dict) -> tuple[list[dict], dict[str, int]]:
    artifacts = []
    for input in report.get("inputs", []):
        artifact = {"location": _artifact_location(input["path"]), "roles": ["analysisTarget"]}
        if input.get("sha256"):
            artifact["hashes"] = {"sha-256": input["sha256"]}
        artifact["properties"] = {"kind": input.get("kind"), "records": input.get("records")}
        artifacts.append(artifact)
    return artifacts, {input["path"]: i for i, input in enumerate(report.get("inputs", []))}


def _invocation(report: dict) -> dict:
    notifications = [{"level": "error", "message": {"text": _sentence(f"{e['input']}: {e['message']}")},
                      "locations": [{"physicalLocation": {"artifactLocation": _artifact_location(e["input"])}}]}
                     for e in report.get("errors", [])]
    notifications += [{"level": "note", "message": {"text": _sentence(f"{i['path']}: {note}")},
                       "locations": [{"physicalLocation": {"artifactLocation": _artifact_location(i["path"])}}]}
                      for i in report.get("inputs", []) for note in i.get("notes", [])]
    invocation = {"executionSuccessful": not report.get("errors")}
    if report.get("command_line"):
        invocation["commandLine"] = report["command_line"]
    if report.get("started"):
        invocation["startTimeUtc"] = report["started"]
    if report.get("finished"):
        invocation["endTimeUtc"] = report["finished"]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _result(finding: dict, rule_index: dict[str, int], artifact_index: dict[str, int]) -> dict:
    location = finding.get("location", {})
    physical = {"artifactLocation": _artifact_location(location.get("input", ""))}
    if location.get("input") in artifact_index:
        physical["artifactLocation"]["index"] = artifact_index[location["input"]]
    if location.get("line"):
        physical["region"] = {"startLine": location["line"]}
        if location.get("snippet"):
            physical["region"]["snippet"] = {"text": location["snippet"]}
    sarif_location = {"physicalLocation": physical}
    logical = _logical_locations(location)
    if logical:
        sarif_location["logicalLocations"] = logical
    text = _sentence(finding.get("title", "")) + " " + _sentence(finding.get("message", ""))
    evidence = evidence_line(finding.get("evidence", {}))
    if evidence:
        text += f" Evidence: {evidence}."
    occurrences = occurrences_line(finding)
    if occurrences:
        text += f" {_sentence(occurrences[:1].upper() + occurrences[1:])}"
    properties = {"severity": finding.get("severity"), "evidence": finding.get("evidence", {}),
                  "regulations": finding.get("regulations", [])}
    if finding.get("occurrences"):
        properties["occurrences"] = finding["occurrences"]
    return {
        "ruleId": finding["check"],
        "ruleIndex": rule_index[finding["check"]],
        "level": LEVELS.get(finding.get("severity"), "warning"),
        "message": {"text": text.strip()},
        "locations": [sarif_location],
        "partialFingerprints": {"appauditFingerprint/v1": finding["fingerprint"]},
        "properties": properties,
    }


def _logical_locations(location: dict) -> list[dict]:
    """The request URL (a resource), then the part and field inside it, or the page
    element's selector."""
    logical = []
    url = location.get("page_url") or location.get("url")
    if url and url != location.get("input"):
        logical.append({"name": url, "fullyQualifiedName": f"{location.get('method', '')} {url}".strip(),
                        "kind": "resource"})
    if location.get("part"):
        inside = location["part"] + (f" {location['field']}" if location.get("field") else "")
        logical.append({"name": location.get("field") or location["part"],
                        "fullyQualifiedName": f"{url} {inside}" if url else inside, "kind": "member"})
    if location.get("selector"):
        logical.append({"name": location["selector"], "kind": "element"})
    return logical


def _artifact_location(path: str) -> dict:
    """An input path as a URI: relative to the folder the scan ran in (SRCROOT), or a
    file: URI when the path is absolute."""
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    return {"uri": quote(PurePosixPath(*pure.parts).as_posix()), "uriBaseId": BASE_ID}


def _pascal(name: str) -> str:
    """A rule's name in the form SARIF viewers expect: PascalCase of the kebab-case name."""
    return "".join(part[:1].upper() + part[1:] for part in name.replace("_", "-").split("-"))


def _sentence(text: str) -> str:
    """SARIF messages are sentences: they end with a period."""
    text = " ".join(text.split())
    return text if not text or text[-1] in ".!?。" else text + "."
