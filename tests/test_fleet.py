"""`appaudit fleet`: on a real Dask cluster and on the default local one, resumable after
a kill, with an aggregate that says the same whichever cluster ran it."""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("distributed")

from appaudit.scanner import fleet  # noqa: E402
from appaudit.scanner.cli import main  # noqa: E402
from appaudit.scanner.fleet import REPORT_FILE, STATE_FILE, run_fleet  # noqa: E402
from tests.fleetcluster import dask_cluster  # noqa: E402
from tests.fleetgen import make_fleet, write_session  # noqa: E402

APPAUDIT = str(Path(sys.executable).parent / "appaudit")
RUN_TIMEOUT = 180


@pytest.fixture(scope="module")
def sessions(tmp_path_factory) -> Path:
    return make_fleet(tmp_path_factory.mktemp("fleet") / "sessions", 30)


@pytest.fixture(scope="module")
def in_process_cluster():
    """A cluster of one thread in this process: quick to start, for what does not need processes."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address="127.0.0.1:0") as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with dask_cluster(tmp_path_factory.mktemp("dask")) as running:
        yield running


def appaudit_fleet(*args: str) -> subprocess.CompletedProcess:
    """Run `appaudit fleet` in a session of its own, so that a run over time is stopped with
    the workers it started (which would otherwise hold its output pipes open)."""
    run = subprocess.Popen([APPAUDIT, "fleet", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        stdout, stderr = run.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        stdout, stderr = run.communicate(timeout=30)
        pytest.fail(f"appaudit fleet {' '.join(args)} did not finish in {RUN_TIMEOUT}s: {stderr[-2000:]}")
    return subprocess.CompletedProcess(run.args, run.returncode, stdout, stderr)


VOLATILE = ("started", "finished", "command_line")  # the invocation's times, and how it was called


def scan_report(folder: Path, target: Path) -> dict | None:
    """What `appaudit scan FOLDER -a FOLDER/app.yaml -f json` writes (None: nothing written)."""
    app = ["-a", str(folder / "app.yaml")] if (folder / "app.yaml").exists() else []
    result = CliRunner().invoke(main, ["scan", str(folder), *app, "-f", "json", "-o", str(target), "-q"])
    assert result.exit_code in (0, 1, 2, 3), result.output
    return without_volatile(json.loads(target.read_text(encoding="utf-8"))) if target.exists() else None


def without_volatile(report: dict) -> dict:
    assert all(report[key] for key in VOLATILE)
    return {key: value for key, value in report.items() if key not in VOLATILE}


def test_cluster_run_equals_local_run_and_each_scan(sessions, cluster, tmp_path):
    on_cluster = appaudit_fleet(str(sessions), "-o", str(tmp_path / "cluster"), "--scheduler", cluster.address)
    local = appaudit_fleet(str(sessions), "-o", str(tmp_path / "local"))
    assert on_cluster.returncode == local.returncode == 3, on_cluster.stderr + local.stderr + cluster.log()
    assert "32 sessions (32 scanned, 0 unchanged), 1 incomplete, 1 failed" in on_cluster.stderr
    assert on_cluster.stderr.count("\n") == 1  # one summary line, no progress off a terminal

    aggregate = json.loads((tmp_path / "cluster" / "fleet.json").read_text(encoding="utf-8"))
    assert aggregate == json.loads((tmp_path / "local" / "fleet.json").read_text(encoding="utf-8"))
    for name in ("fleet.csv", "fleet.html"):
        assert (tmp_path / "cluster" / name).read_bytes() == (tmp_path / "local" / name).read_bytes()

    for folder in sorted(sessions.iterdir()):
        written = tmp_path / "cluster" / "sessions" / folder.name / REPORT_FILE
        expected = scan_report(folder, tmp_path / "scan" / f"{folder.name}.json")
        assert (without_volatile(json.loads(written.read_text(encoding="utf-8"))) if written.exists() else None) == expected, \
            folder.name

    by_name = {s["name"]: s for s in aggregate["sessions"]}
    assert [s["name"] for s in aggregate["sessions"]] == sorted(p.name for p in sessions.iterdir())
    assert by_name["zz-unreadable"]["status"] == "failed" and by_name["zz-unreadable"]["report"] is None
    assert by_name["zz-unreadable"]["errors"][0]["input"] == "session.mitm"
    assert by_name["zz-partly-damaged"]["status"] == "incomplete"
    assert [e["input"] for e in by_name["zz-partly-damaged"]["errors"]] == ["second.har"]
    # Per session: the inputs with their sha256, and the counts of its report.
    report = json.loads((tmp_path / "local" / "sessions" / "app-004" / REPORT_FILE).read_text(encoding="utf-8"))
    folder = sessions / "app-004"
    assert report["command_line"] == f"appaudit scan {folder} -a {folder / 'app.yaml'} -p default -f json"
    assert by_name["app-004"]["inputs"] == [{**i, "path": os.path.relpath(i["path"], sessions / "app-004")}
                                           for i in report["inputs"]]
    assert by_name["app-004"]["by_check"] == report["summary"]["by_check"] != {}
    assert aggregate["summary"]["findings"] == sum(s["findings"] for s in aggregate["sessions"])

    # Per known SDK: which sessions contacted it, and whether before consent (even apps
    # start their SDKs before the consent request; apps without an app file declare none).
    umeng = next(s for s in aggregate["sdks"] if s["id"] == "umeng-analytics")
    contacted = {entry["session"]: entry["before_consent"] for entry in umeng["sessions"]}
    assert contacted["app-004"] is True and contacted["app-005"] is False and contacted["app-015"] is None
    assert "app-002" not in contacted
    # Per third party: the data types it received, by session (app-001 sends the location).
    jpush = next(p for p in aggregate["third_parties"] if p["key"] == "jpush")
    received = {entry["session"]: entry["data_types"] for entry in jpush["sessions"]}
    assert received["app-001"] == ["android_id", "location"] and received["app-010"] == ["advertising_id", "android_id"]

    rows = list(csv.DictReader(io.StringIO((tmp_path / "local" / "fleet.csv").read_text(encoding="utf-8"))))
    assert len(rows) == sum(len(s["checks"]) for s in aggregate["sessions"])
    row = next(r for r in rows if r["session"] == "app-000" and r["check"] == "DH004")
    assert (row["status"], row["findings"], row["worst_severity"]) == ("fail", "1", "critical")


def test_killed_run_resumes_without_scanning_finished_sessions(tmp_path, cluster):
    sessions = make_fleet(tmp_path / "sessions", 16, repeat=25, broken=False)
    out = tmp_path / "out"
    # A session of its own: the kill takes the client and anything it started.
    run = subprocess.Popen([APPAUDIT, "fleet", str(sessions), "-o", str(out), "--scheduler", cluster.address],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                           start_new_session=True)
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        while len(list(out.glob(f"sessions/*/{STATE_FILE}"))) < 3 and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert run.poll() is None, "the run ended before it could be killed midway"
        os.killpg(run.pid, signal.SIGKILL)
        run.wait(timeout=10)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    finished = {p.parent.name: (p.parent / REPORT_FILE).stat().st_mtime_ns for p in out.glob(f"sessions/*/{STATE_FILE}")}
    assert 3 <= len(finished) < 16 and not (out / "fleet.json").exists()

    rerun = appaudit_fleet(str(sessions), "-o", str(out), "--scheduler", cluster.address, "--fail-on", "never")
    assert rerun.returncode == 0, rerun.stderr
    assert f"16 sessions ({16 - len(finished)} scanned, {len(finished)} unchanged)" in rerun.stderr
    for name, mtime in finished.items():
        assert (out / "sessions" / name / REPORT_FILE).stat().st_mtime_ns == mtime, name

    whole = appaudit_fleet(str(sessions), "-o", str(tmp_path / "whole"), "--scheduler", cluster.address, "--fail-on", "never")
    assert whole.returncode == 0, whole.stderr
    assert json.loads((out / "fleet.json").read_text()) == json.loads((tmp_path / "whole" / "fleet.json").read_text())

    # A changed file is scanned again, the rest is not.
    write_session(sessions / "app-007", 8, repeat=25)
    again = appaudit_fleet(str(sessions), "-o", str(out), "--scheduler", cluster.address, "--fail-on", "never")
    assert "16 sessions (1 scanned, 15 unchanged)" in again.stderr, again.stderr


def _keeps_failing(folder, *args):
    if folder.endswith("app-002"):
        _keeps_failing.calls += 1
        raise MemoryError("the session does not fit")
    return _original_task(folder, *args)


_original_task = fleet.audit_session


def test_a_session_whose_task_keeps_failing_is_an_error_entry(tmp_path, monkeypatch, in_process_cluster):
    sessions = make_fleet(tmp_path / "sessions", 4, broken=False)
    _keeps_failing.calls = 0
    monkeypatch.setattr(fleet, "audit_session", _keeps_failing)
    document, counts = run_fleet(str(sessions), str(tmp_path / "out"), scheduler=in_process_cluster)
    assert _keeps_failing.calls == fleet.RETRIES + 1
    failed = list(document["sessions"])[2]
    assert failed["status"] == "failed" and failed["report"] is None
    assert failed["errors"][0]["message"].startswith("not scanned: the task failed on every try (MemoryError")
    assert [s["status"] for s in document["sessions"]] == ["complete", "complete", "failed", "complete"]
    assert fleet.fleet_exit_code(document, None) == 3


def test_baseline_regressions_and_exit_codes(tmp_path, in_process_cluster):
    from appaudit.scanner.model import Severity

    sessions = make_fleet(tmp_path / "sessions", 3, broken=False)
    first, counts = run_fleet(str(sessions), str(tmp_path / "round1"), scheduler=in_process_cluster)
    assert counts == {"scanned": 3, "reused": 0} and first["regressions"] is None
    assert fleet.fleet_exit_code(first, None) == 0
    assert fleet.fleet_exit_code(first, Severity.LOW) == 1

    # Round 2: app-001 now also logs in over http (app 5's behaviour), app-002 is gone, app-009 is new.
    sessions_2 = tmp_path / "sessions2"
    make_fleet(sessions_2, 2, broken=False)
    write_session(sessions_2 / "app-001", 5)
    write_session(sessions_2 / "app-009", 9)
    second, _ = run_fleet(str(sessions_2), str(tmp_path / "round2"), scheduler=in_process_cluster,
                          baseline=str(tmp_path / "round1"))
    regressions = second["regressions"]
    assert [r["session"] for r in regressions["sessions"]] == ["app-001"]
    assert {f["check"] for f in regressions["sessions"][0]["new_findings"]} >= {"DH001", "DH004"}
    assert regressions["new_sessions"] == ["app-009"] and regressions["missing_sessions"] == ["app-002"]
    html = (tmp_path / "round2" / "fleet.html").read_text(encoding="utf-8")
    assert "Regressions against" in html and "New sessions: app-009" in html

    result = CliRunner().invoke(main, ["fleet", str(sessions), "-o", str(tmp_path / "x"),
                                       "--baseline", str(tmp_path / "nothing")])
    assert result.exit_code == 2 and "fleet.json: cannot read" in result.output


def test_fleet_html_is_self_contained_and_escapes(tmp_path):
    from appaudit.scanner.fleet_report import render_html

    hostile = '<img src=x onerror=alert(1)>"'
    document = {
        "schema": "appaudit-fleet/1", "tool": {"name": "appaudit", "version": "0"}, "profile": "default",
        "summary": {"sessions": 1, "complete": 1, "incomplete": 0, "failed": 0, "findings": 1,
                    "by_severity": {"high": 1}, "by_check": {"DH007": 1}},
        "sessions": [{"name": hostile, "status": "complete", "report": "sessions/x/report.json", "app": None,
                      "inputs": [], "findings": 1, "by_severity": {"high": 1}, "by_check": {"DH007": 1},
                      "checks": {"DH007": {"status": "fail", "findings": 1, "severity": "high"}}, "errors": []}],
        "sdks": [{"id": "x", "name": "<b>SDK</b>", "vendor": "v", "category": "c",
                  "sessions": [{"session": hostile, "before_consent": True}]}],
        "third_parties": [{"key": "evil.example", "name": "</table><script>alert(2)</script>", "sdk": None,
                           "data_types": ["imei"],
                           "sessions": [{"session": hostile, "declared": False, "data_types": ["imei"]}]}],
        "regressions": None,
    }
    html = render_html(document)
    assert hostile not in html and "<script>alert(2)" not in html and "<b>SDK</b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert '<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;' in html
    assert html.count("<script>") == 1 and "http://" not in html and "https://" not in html
    # The policy allows exactly the page's own style and script, by hash.
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        inline = html.split(f"<{tag}>")[1].split(f"</{tag}>")[0]
        digest = base64.b64encode(hashlib.sha256(inline.encode("utf-8")).digest()).decode()
        assert f"{directive} &#39;sha256-{digest}&#39;" in html
    assert "<link" not in html and " src=" not in html.replace("img src=x", "")


def test_without_dask_fleet_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = CliRunner().invoke(main, ["fleet", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output == f"appaudit: {fleet.INSTALL_HINT}\n" and "pip install 'appaudit[fleet]'" in result.output


def test_usage_problems_are_one_line(tmp_path):
    (tmp_path / "empty").mkdir()
    for args, message in [([str(tmp_path / "empty")], "no session folder in it"),
                          ([str(tmp_path / "missing")], "not a folder of session folders"),
                          ([str(tmp_path / "empty"), "--scheduler", "tcp://127.0.0.1:1", "--workers", "2"],
                           "--workers sizes the local cluster"),
                          ([str(tmp_path / "empty"), "-p", "no-such-profile"], "no such profile file")]:
        result = CliRunner().invoke(main, ["fleet", *args, "-o", str(tmp_path / "out")])
        assert result.exit_code == 2 and message in result.output and result.output.count("\n") == 1, result.output


def test_the_example_fleet_is_what_its_generator_writes_and_runs(tmp_path, in_process_cluster):
    example = Path(__file__).resolve().parents[1] / "examples" / "fleet"
    subprocess.run([sys.executable, str(example / "make_fleet.py"), str(tmp_path / "made")], check=True, timeout=60)
    shipped = sorted(p.relative_to(example / "sessions") for p in (example / "sessions").rglob("*") if p.is_file())
    assert shipped == sorted(p.relative_to(tmp_path / "made") for p in (tmp_path / "made").rglob("*") if p.is_file())
    for path in shipped:
        assert (example / "sessions" / path).read_bytes() == (tmp_path / "made" / path).read_bytes(), path

    document, _ = run_fleet(str(example / "sessions"), str(tmp_path / "out"), scheduler=in_process_cluster)
    assert {s["name"]: s["status"] for s in document["sessions"]} == {
        "damaged": "incomplete", "demo-shop": "complete", "demo-shop-lite": "complete", "sdk-only": "complete"}
    pangle = next(s for s in document["sdks"] if s["id"] == "pangle")
    assert {e["session"]: e["before_consent"] for e in pangle["sessions"]} == {
        "damaged": None, "demo-shop": True, "demo-shop-lite": True, "sdk-only": None}


def test_a_bad_app_file_fails_its_session_and_a_damaged_saved_report_is_scanned_again(tmp_path, in_process_cluster):
    sessions = make_fleet(tmp_path / "sessions", 3, broken=False)
    (sessions / "app-001" / "app.yaml").write_text("name: App 1\nfirst_party: [app1.com]\nsharing: yes\n", encoding="utf-8")
    out = tmp_path / "out"
    document, counts = run_fleet(str(sessions), str(out), scheduler=in_process_cluster)
    bad = list(document["sessions"])[1]
    assert bad["status"] == "failed" and bad["errors"][0]["input"] == "app.yaml" and "sharing" in bad["errors"][0]["message"]
    assert not (out / "sessions" / "app-001" / REPORT_FILE).exists()
    assert counts == {"scanned": 3, "reused": 0}

    (out / "sessions" / "app-002" / REPORT_FILE).write_text('{"schema": "appaudit-rep', encoding="utf-8")
    again, counts = run_fleet(str(sessions), str(out), scheduler=in_process_cluster)
    assert counts == {"scanned": 2, "reused": 1}  # app-000 reused; app-001 (no report) and app-002 scanned
    assert json.loads((out / "sessions" / "app-002" / REPORT_FILE).read_text(encoding="utf-8"))["schema"] == "appaudit-report/1"
    assert [s["status"] for s in again["sessions"]] == ["complete", "failed", "complete"]


def _dies_in_some_sessions(folder, *args):
    """app-001's worker dies the first time only; app-002's every time."""
    marker = Path(folder) / ".died-once"  # hidden: not one of the session's files
    if folder.endswith("app-001") and not marker.exists():
        marker.touch()
        os._exit(1)
    if folder.endswith("app-002"):
        os._exit(1)
    return _original_task(folder, *args)


def test_a_worker_that_dies_mid_session_has_it_retried_until_it_keeps_dying(tmp_path, monkeypatch):
    import dask
    from distributed import LocalCluster

    sessions = make_fleet(tmp_path / "sessions", 4, broken=False)
    monkeypatch.setattr(fleet, "audit_session", _dies_in_some_sessions)
    # As `appaudit fleet`'s own local cluster: one task on the worker at a time.
    settings = {"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0,
                "distributed.scheduler.no-workers-timeout": fleet.LOCAL_NO_WORKERS_TIMEOUT}
    with dask.config.set(settings), \
            LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address="127.0.0.1:0", silence_logs=50) as local:
        document, _ = run_fleet(str(sessions), str(tmp_path / "out"), scheduler=local.scheduler_address)
    statuses = {s["name"]: s["status"] for s in document["sessions"]}
    assert statuses == {"app-000": "complete", "app-001": "complete", "app-002": "failed", "app-003": "complete"}
    assert (sessions / "app-001" / ".died-once").exists()
    assert "KilledWorker" in list(document["sessions"])[2]["errors"][0]["message"]
