"""The command line: exit codes, outputs, masking, baselines, and the other commands."""
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from appaudit.scanner.check import all_checks
from appaudit.scanner.cli import main
from click.testing import CliRunner
from mitmproxy.io import FlowWriter

from tests.helpers import cli as run
from tests.helpers import make_flow, write_flows

PHONE = "13912345678"


@pytest.fixture
def capture(tmp_path):
    path = tmp_path / "session.mitm"
    write_flows(path, [make_flow("POST", "http://api.shop.example.com/v1/login?mobile=" + PHONE,
                                 json={"user": {"phone": PHONE, "email": "li.lei@example.com"}}),
                       make_flow("GET", "https://api.shop.example.com/v1/config", response_json={"ok": True})])
    return path


@pytest.fixture
def clean_capture(tmp_path):
    path = tmp_path / "clean.mitm"
    with open(path, "wb") as f:
        FlowWriter(f).add(make_flow("GET", "https://api.shop.example.com/v1/config", response_json={"ok": True}))
    return path



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
    assert result.exit_code == 3
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
    result = run("scan", "-p", only_dh001, capture, "--baseline", tmp_path / "base.json",
                 "-f", "json", "-o", tmp_path / "new.json")
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
    assert "Checks: 21 of 21 enabled" in run("profiles", "show", "default").output
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
    assert proc.stderr.strip().splitlines()[0] == (f"appaudit: {tmp_path / 'x.har'}: invalid HAR: JSON syntax error at "
                                                   "line 1 column 2: Expecting property name enclosed in double quotes")


def test_parallel_jobs_give_the_same_report(capture, only_dh001, tmp_path):
    second = tmp_path / "copy.mitm"
    second.write_bytes(capture.read_bytes())
    run("scan", "-p", only_dh001, capture, second, "-f", "json", "-o", tmp_path / "serial.json")
    run("scan", "-p", only_dh001, capture, second, "-f", "json", "-o", tmp_path / "parallel.json", "--jobs", "2")
    serial, parallel = (json.loads((tmp_path / n).read_text()) for n in ("serial.json", "parallel.json"))
    assert serial["findings"] == parallel["findings"] and serial["inputs"] == parallel["inputs"]
    assert len(serial["inputs"]) == 2


def test_a_check_that_cannot_judge_any_record_is_not_applicable():
    from appaudit.scanner.check import NotApplicable, PageCheck, ScanContext
    from appaudit.scanner.engine import InputScan, ScanSettings
    from appaudit.scanner.loading import Input
    from appaudit.scanner.model import Severity, Status
    from appaudit.scanner.page import Page
    from appaudit.scanner.profile_loader import Profile

    class NeedsOrigin(PageCheck):
        """A check that needs the page's origin, as UI010 does."""

        def check_html(self, page):
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


# --- exit codes and conventions (issue 15) -------------------------------------------

def test_an_internal_error_exits_3_with_one_line(capture, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("appaudit.scanner.cli.scan", broken)
    result = CliRunner().invoke(main, ["scan", str(capture)])
    assert result.exit_code == 3
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "internal error: RuntimeError: boom" in lines[0] and "report it" in lines[0]
    assert "Traceback" not in result.output
    verbose = CliRunner().invoke(main, ["scan", "-v", str(capture)])
    assert verbose.exit_code == 3 and "Traceback" in verbose.output


def test_ctrl_c_exits_130_and_writes_what_was_scanned(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    demo = (Path(__file__).parents[1] / "examples" / "demo-session" / "session.har").read_bytes()
    for i in range(400):
        (folder / f"s{i:03}.har").write_bytes(demo)
    out = tmp_path / "r.json"
    proc = subprocess.Popen([sys.executable, "-m", "appaudit", "scan", str(folder), "-v", "-f", "json", "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    scanned = 0
    while scanned < 3:  # -v names each file as its scan starts: interrupt a scan under way
        line = proc.stderr.readline()
        assert line, "the scan ended before it was interrupted"
        scanned += "scanning" in line
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    report = json.loads(out.read_text())
    assert report["inputs"], "nothing scanned before the interrupt was kept"
    assert any("interrupted" in e["message"] for e in report["errors"])


def test_dash_output_writes_one_format_to_stdout(capture, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("scan", capture, "-f", "json", "-o", "-", "--fail-on", "never")
    assert json.loads(result.stdout)["schema"] == "appaudit-report/1"
    assert not (tmp_path / "-").exists()
    several = CliRunner().invoke(main, ["scan", str(capture), "-f", "json", "-f", "text", "-o", "-"])
    assert several.exit_code == 2


def test_errors_are_printed_once_when_nothing_could_be_read(tmp_path):
    bad = tmp_path / "bad.har"
    bad.write_text("{nope")
    result = CliRunner().invoke(main, ["scan", str(bad)])
    assert result.exit_code == 2
    assert result.output.count("bad.har") == 1


def test_quiet_prints_only_the_summary(capture):
    result = run("scan", capture, "-q", "--fail-on", "never")
    assert result.output.strip().splitlines() == [result.output.strip().splitlines()[-1]]
    assert "finding" in result.output


@pytest.mark.parametrize("env, choice, expected", [
    ({}, "always", True), ({}, "never", False), ({"NO_COLOR": "1"}, "auto", False),
    ({"FORCE_COLOR": "1"}, "auto", True), ({"NO_COLOR": "", "FORCE_COLOR": ""}, "auto", False),
    ({"TERM": "dumb", "FORCE_COLOR": ""}, "auto", False), ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, "auto", True),
])
def test_color_follows_the_conventions(env, choice, expected, monkeypatch):
    from appaudit.scanner.output import use_color

    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    class NotATerminal:
        def isatty(self):
            return False

    assert use_color(choice, NotATerminal()) is expected


def test_empty_no_color_does_not_turn_colour_off_on_a_terminal(monkeypatch):
    from appaudit.scanner.output import use_color

    monkeypatch.setenv("NO_COLOR", "")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")

    class Terminal:
        def isatty(self):
            return True

    assert use_color("auto", Terminal()) is True


def test_fail_on_is_a_choice_and_jobs_has_a_short_form(capture):
    assert CliRunner().invoke(main, ["scan", str(capture), "--fail-on", "severe"]).exit_code == 2
    assert CliRunner().invoke(main, ["scan", str(capture), "-j", "2", "--fail-on", "never"]).exit_code == 0
