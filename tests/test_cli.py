"""The command line: exit codes, outputs, masking, baselines, and the other commands."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from mitmproxy.io import FlowWriter

from scanner.check import all_checks
from scanner.cli import main
from tests.helpers import make_flow

PHONE = "13912345678"


@pytest.fixture
def capture(tmp_path):
    path = tmp_path / "session.mitm"
    with open(path, "wb") as f:
        writer = FlowWriter(f)
        writer.add(make_flow("POST", "http://api.shop.example.com/v1/login?mobile=" + PHONE,
                             json={"user": {"phone": PHONE, "email": "li.lei@example.com"}}))
        writer.add(make_flow("GET", "https://api.shop.example.com/v1/config", response_json={"ok": True}))
    return path


@pytest.fixture
def clean_capture(tmp_path):
    path = tmp_path / "clean.mitm"
    with open(path, "wb") as f:
        FlowWriter(f).add(make_flow("GET", "https://api.shop.example.com/v1/config", response_json={"ok": True}))
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def only_dh001(tmp_path):
    """A profile with DH001 alone, so these tests count findings of one known check."""
    path = tmp_path / "dh001.yaml"
    path.write_text("name: dh001-only\ninclude: [DH001]\n")
    return path


def test_findings_exit_1_and_text_report(capture, only_dh001):
    result = run("scan", "-p", only_dh001, capture)
    assert result.exit_code == 1
    assert "HIGH" in result.output and "DH001" in result.output
    assert result.output.strip().splitlines()[-1].startswith("3 findings (3 high) in 1 input")


def test_fail_on_threshold_and_never(capture, only_dh001):
    assert run("scan", "-p", only_dh001, capture, "--fail-on", "critical").exit_code == 0
    assert run("scan", "-p", only_dh001, capture, "--fail-on", "high").exit_code == 1
    assert run("scan", "-p", only_dh001, capture, "--fail-on", "never").exit_code == 0
    assert run("scan", "-p", only_dh001, capture, "--fail-on", "bogus").exit_code == 2


def test_clean_capture_exits_0(clean_capture):
    result = run("scan", clean_capture)
    assert result.exit_code == 0 and "0 findings" in result.output


def test_no_readable_input_exits_2(tmp_path):
    (tmp_path / "x.har").write_text("{broken")
    result = run("scan", tmp_path / "x.har", tmp_path / "missing.mitm")
    assert result.exit_code == 2
    assert "x.har: invalid HAR" in result.output and "no input could be read" in result.output


def test_one_bad_input_does_not_stop_the_others(capture, only_dh001, tmp_path):
    (tmp_path / "x.har").write_text("{broken")
    out = tmp_path / "r.json"
    result = run("scan", "-p", only_dh001, capture, tmp_path / "x.har", "-f", "json", "-o", out)
    assert result.exit_code == 1
    report = json.loads(out.read_text())
    assert [e["input"] for e in report["errors"]] == [str(tmp_path / "x.har")]
    assert [i["path"] for i in report["inputs"]] == [str(capture)]


def test_bad_profile_exits_2_with_the_problem(capture, only_dh001, tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("include: [DH999]\n")
    result = run("scan", "-p", only_dh001, capture, "-p", profile)
    assert result.exit_code == 2 and f"{profile}:1: include[0]: unknown check id 'DH999'" in result.output


def test_values_are_masked_unless_reveal(capture, only_dh001, tmp_path):
    masked = run("scan", "-p", only_dh001, capture, "-f", "json", "-o", tmp_path / "m.json")
    text = (tmp_path / "m.json").read_text()
    assert masked.exit_code == 1
    assert PHONE not in text and "li.lei@example.com" not in text
    assert "139****5678" in text
    run("scan", "-p", only_dh001, capture, "-f", "json", "-o", tmp_path / "r.json", "--reveal")
    assert PHONE in (tmp_path / "r.json").read_text()
    assert PHONE not in run("scan", "-p", only_dh001, capture).output


def test_several_formats_need_a_folder(capture, only_dh001, tmp_path):
    assert run("scan", "-p", only_dh001, capture, "-f", "json", "-f", "text").exit_code == 2
    result = run("scan", "-p", only_dh001, capture, "-f", "json", "-f", "text", "-o", tmp_path / "out")
    assert (tmp_path / "out" / "report.json").is_file()
    assert "DH001" in result.output  # text still goes to the terminal


def test_baseline_suppresses_known_findings(capture, only_dh001, tmp_path):
    run("scan", "-p", only_dh001, capture, "-f", "json", "-o", tmp_path / "base.json")
    result = run("scan", "-p", only_dh001, capture, "--baseline", tmp_path / "base.json", "-f", "json", "-o", tmp_path / "new.json")
    report = json.loads((tmp_path / "new.json").read_text())
    assert result.exit_code == 0
    assert report["summary"]["total"] == 0 and report["summary"]["suppressed"] == 3


def test_fingerprints_are_stable_across_runs(capture, only_dh001, tmp_path):
    run("scan", "-p", only_dh001, capture, "-f", "json", "-o", tmp_path / "a.json")
    run("scan", "-p", only_dh001, capture, "-f", "json", "-o", tmp_path / "b.json")
    fingerprints = [[f["fingerprint"] for f in json.loads((tmp_path / n).read_text())["findings"]] for n in ("a.json", "b.json")]
    assert fingerprints[0] == fingerprints[1] and len(set(fingerprints[0])) == 3


def test_report_rerenders_saved_json(capture, only_dh001, tmp_path):
    run("scan", "-p", only_dh001, capture, "-f", "json", "-o", tmp_path / "a.json")
    result = run("report", tmp_path / "a.json", "-f", "text")
    assert result.exit_code == 0 and "DH001" in result.output
    assert run("report", tmp_path / "missing.json").exit_code == 2


def test_checks_lists_every_declared_check():
    result = run("checks", "--format", "json")
    listed = json.loads(result.output)
    assert [c["id"] for c in listed] == list(all_checks())
    assert all(c["regulations"] and c["description"] and c["severity"] for c in listed)
    assert "DH001  cleartext-sensitive-data" in run("checks").output


def test_profiles_list_show_validate(tmp_path):
    assert "default" in run("profiles").output
    assert "include: all" in run("profiles", "show", "default").output
    assert run("profiles", "show", "nope").exit_code == 2
    good = tmp_path / "app.yaml"
    good.write_text("first_party: [a.com]\n")
    assert "valid app description" in run("profiles", "validate", good).output
    bad = tmp_path / "p.yaml"
    bad.write_text("severity: {DH001: huge}\n")
    result = run("profiles", "validate", bad)
    assert result.exit_code == 2 and "unknown severity 'huge'" in result.output


def test_console_script_runs_without_traceback(tmp_path):
    (tmp_path / "x.har").write_text("{broken")
    appaudit = Path(sys.executable).parent / "appaudit"
    proc = subprocess.run([str(appaudit), "scan", str(tmp_path / "x.har")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr.strip().splitlines()[0] == f"appaudit: {tmp_path / 'x.har'}: invalid HAR: JSON syntax error at line 1 column 2: Expecting property name enclosed in double quotes"


def test_parallel_jobs_give_the_same_report(capture, only_dh001, tmp_path):
    second = tmp_path / "copy.mitm"
    second.write_bytes(capture.read_bytes())
    run("scan", "-p", only_dh001, capture, second, "-f", "json", "-o", tmp_path / "serial.json")
    run("scan", "-p", only_dh001, capture, second, "-f", "json", "-o", tmp_path / "parallel.json", "--jobs", "2")
    serial, parallel = (json.loads((tmp_path / n).read_text()) for n in ("serial.json", "parallel.json"))
    assert serial["findings"] == parallel["findings"] and serial["inputs"] == parallel["inputs"]
    assert len(serial["inputs"]) == 2


def test_a_check_that_cannot_judge_any_record_is_not_applicable():
    from scanner.check import NotApplicable, PageCheck, ScanContext
    from scanner.engine import InputScan, ScanSettings
    from scanner.loading import Input
    from scanner.model import Severity, Status
    from scanner.page import Page
    from scanner.profile import Profile

    class NeedsOrigin(PageCheck):
        """A check that needs the page's origin, as UI010 does."""

        def check_page(self, page):
            if page.url is None:
                raise NotApplicable("the page's origin is unknown")
            return ()

    NeedsOrigin.id, NeedsOrigin.name, NeedsOrigin.severity = "UI999", "needs-origin", Severity.LOW
    profile = Profile(name="t", enabled=())
    session = InputScan(ScanSettings(profile=profile), Input(path="p.html", kind="html"))
    session.checks = session.page_checks = [NeedsOrigin(ScanContext(input="p.html", app=None, profile=profile))]
    session._status["UI999"] = (Status.PASS, None)
    session.page(Page(source="<p>x</p>", input="p.html"))
    [outcome] = session.outcomes()
    assert outcome.status is Status.NOT_APPLICABLE and outcome.reason == "the page's origin is unknown"
    session.page(Page(source="<p>x</p>", input="p.html", url="https://a.example.com/"))
    assert session.outcomes()[0].status is Status.PASS
