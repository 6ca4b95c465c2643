"""The JSON report of the demo session matches the contract field by field."""
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from appaudit.scanner.check import all_checks
from appaudit.scanner.cli import main

DEMO = Path(__file__).parents[1] / "examples" / "demo-session"
SEVERITIES = ["info", "low", "medium", "high", "critical"]
PARTS = {"request.url", "request.headers", "request.cookies", "request.body", "response.headers", "response.body"}
DATA_TYPES = {"phone", "email", "id_card", "bank_card", "passport", "imei", "meid", "imsi", "iccid", "mac_address",
              "android_id", "advertising_id", "location", "password", "credential", "canary"}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "report.json"
    result = CliRunner().invoke(main, ["scan", str(DEMO), "-a", str(DEMO / "app.yaml"), "-f", "json", "-o", str(out)])
    assert result.exit_code == 1, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def test_top_level(report):
    assert report["schema"] == "appaudit-report/1"
    assert report["tool"]["name"] == "appaudit" and re.fullmatch(r"\d+\.\d+\.\d+", report["tool"]["version"])
    assert report["profile"] == "default"
    assert report["errors"] == []


def test_inputs(report):
    kinds = {Path(i["path"]).name: i["kind"] for i in report["inputs"]}
    assert kinds["session.mitm"] == "flows" and kinds["session.har"] == "har" and kinds["splash.xml"] == "uiautomator"
    for entry in report["inputs"]:
        assert set(entry) == {"path", "kind", "sha256", "records"}
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]) and entry["records"] >= 1
    records = {Path(i["path"]).name: i["records"] for i in report["inputs"]}
    assert records["session.mitm"] == records["session.har"] == 44


def test_summary_counts_the_findings(report):
    findings = report["findings"]
    summary = report["summary"]
    assert summary["total"] == len(findings)
    assert sum(summary["by_severity"].values()) == len(findings)
    assert set(summary["by_severity"]) <= set(SEVERITIES)
    assert summary["by_check"] == {c: sum(f["check"] == c for f in findings) for c in {f["check"] for f in findings}}


def test_every_finding_has_the_contract_fields(report):
    catalogue = all_checks()
    fingerprints = set()
    for finding in report["findings"]:
        required = {"fingerprint", "check", "name", "severity", "title", "message", "regulations", "location", "evidence"}
        assert required <= set(finding)
        check = catalogue[finding["check"]]
        assert finding["name"] == check.name and finding["severity"] in SEVERITIES
        assert finding["title"] and finding["message"] and finding["regulations"] == list(check.regulations)
        location = finding["location"]
        assert location["input"]
        if check.category == "traffic":
            assert isinstance(location["flow"], int) and location["method"] and location["url"].startswith(("http", "ws"))
            assert isinstance(location["timestamp"], float)
            assert location.get("part") is None or location["part"] in PARTS
        else:
            assert location["url"] and location["selector"] and location["snippet"]
        data_type = finding["evidence"].get("data_type")
        assert data_type is None or data_type in DATA_TYPES
        if data_type == "canary":
            assert finding["evidence"]["canary"] in ("phone", "name", "address")
        fingerprints.add((finding["fingerprint"], location["input"]))
    assert len(fingerprints) == len(report["findings"]), "two findings of one input share a fingerprint"


def test_findings_are_masked(report):
    text = json.dumps(report, ensure_ascii=False)
    for value in ("13912345678", "张三", "北京市朝阳区建国路88号"):  # the app file's canaries
        assert value not in text
