"""A scan with worker processes (``--jobs``) writes the same report as a scan in one
process (issue 23): on the demo session, the tests' captures, a generated mixed capture
of a few thousand flows with the consent moment in the middle, and the real captures of
the development corpus; interruption, errors, time budgets and killed workers behave
as in one process."""
import base64
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from mitmproxy.io import FlowWriter

from appaudit.checks.dh001_cleartext_sensitive_data import CleartextSensitiveData
from appaudit.checks.ui001_redirect_popup import RedirectPopup
from appaudit.scanner import parallel, timelimit
from appaudit.scanner.appfile import load_app
from appaudit.scanner.check import all_checks
from appaudit.scanner.engine import ScanSettings, scan
from appaudit.scanner.loading import PageRecord, Read
from appaudit.scanner.output import EXIT_INCOMPLETE, exit_code
from appaudit.scanner.profile_loader import load_profile
from appaudit.scanner.report_document import build_report
from appaudit.scanner.stateless import StatelessWork
from tests.helpers import T0, app_from_yaml, make_flow

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo-session"
PAGES = ROOT / "tests" / "fixtures" / "pages"
REAL = ROOT / ".." / "shared" / "corpora" / "realworld-dev"

APP = """\
name: Shop
first_party: [shop.example.com]
third_parties:
  - name: Umeng
    domains: [umeng.com]
    data: [android_id]
    purpose: analytics
consent:
  url: "https://api.shop.example.com/v1/privacy/consent*"
canaries:
  phone: "13912345678"
"""
ID_CARD = "11010519491231002X"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def report_of(paths, settings, jobs) -> str:
    result = scan([str(p) for p in paths], settings, jobs=jobs)
    return json.dumps(build_report(result, started="-", finished="-", command_line="-"), ensure_ascii=False, indent=1)


def same_report(paths, settings) -> dict:
    """The report of a scan in one process and of one with two workers: the same bytes."""
    alone, shared = report_of(paths, settings, 1), report_of(paths, settings, 2)
    assert alone == shared
    return json.loads(alone)


def mixed_flows(count: int):
    """An app session: pages (the UI fixtures, served by the site), JSON APIs, an SDK's
    base64 analytics, images, gzip logs over plain HTTP, session cookies, personal data in
    URLs and responses, old TLS, an unknown third party; consent half-way through."""
    pages = sorted(p.read_text(encoding="utf-8") for p in PAGES.glob("*/*.html"))
    for i in range(count):
        at = T0 + i
        if i == count // 2:
            yield make_flow("POST", "https://api.shop.example.com/v1/privacy/consent", json={"agree": True}, timestamp=at)
            continue
        kind = i % 20
        if kind == 0:
            yield make_flow("GET", f"https://www.shop.example.com/list/{i}", response_body=pages[(i // 20) % len(pages)],
                            response_headers={"content-type": "text/html; charset=utf-8"}, timestamp=at)
        elif kind in (1, 11):
            yield make_flow("POST", f"https://api.shop.example.com/v1/cart/{i}", timestamp=at, json={
                "user": {"phone": "13912345678", "email": "li.lei@example.com"},
                "items": [{"sku": f"SKU{j:05d}", "qty": j} for j in range(10)]})
        elif kind in (2, 12):
            blob = base64.b64encode(gzip.compress(json.dumps({
                "android_id": "9774d56d682e549c", "oaid": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                "lat": 39.908722, "lng": 116.397499}).encode())).decode()
            yield make_flow("POST", "https://ulogs.umeng.com/unify_logs", body=urlencode({"data": blob}), timestamp=at,
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
        elif kind in (3, 13, 17):
            yield make_flow("GET", f"https://img.shop.example.com/p/{i}.png", response_body=PNG,
                            response_headers={"content-type": "image/png"}, timestamp=at)
        elif kind == 4:
            log = gzip.compress(f"phone=13912345678&token=eyJhbGciOiJIUzI1NiJ9.{i}.sig&event=view".encode())
            yield make_flow("POST", "http://log.shop.example.com/collect", body=log, timestamp=at,
                            headers={"Content-Encoding": "gzip", "Content-Type": "application/x-www-form-urlencoded"})
        elif kind == 5:
            yield make_flow("GET", "https://www.shop.example.com/account", timestamp=at, response_headers={
                "set-cookie": f"SESSIONID=Zx81Kq0pLmN3vB7cR2tY5uW9{i:06d}; Path=/", "content-type": "text/plain"},
                response_body="ok")
        elif kind == 6:
            yield make_flow("GET", f"https://api.shop.example.com/v1/search?phone=13912345678&page={i}", timestamp=at)
        elif kind == 7:
            yield make_flow("GET", f"https://api.shop.example.com/v1/orders/{i}", timestamp=at,
                            response_json={"receiver": {"idCard": ID_CARD, "name": "李雷"}})
        elif kind == 8:
            yield make_flow("GET", "https://legacy.shop.example.com/api/v1/ping", tls_version="TLSv1", timestamp=at)
        elif kind == 9:
            yield make_flow("POST", "https://collect.tracker-unknown.net/t", json={"mobile": "13912345678"},
                            timestamp=at)
        else:
            yield make_flow("GET", f"https://api.shop.example.com/v1/products?page={i}", timestamp=at,
                            response_json={"products": [{"id": j, "title": f"商品 {j}", "price": 100 + j}
                                                        for j in range(30)]})


def write_capture(path: Path, count: int) -> Path:
    with open(path, "wb") as f:
        writer = FlowWriter(f)
        for flow in mixed_flows(count):
            writer.add(flow)
    return path


@pytest.fixture(scope="module")
def mixed_capture(tmp_path_factory) -> Path:
    return write_capture(tmp_path_factory.mktemp("mixed") / "session.mitm", 2000)


def test_the_demo_session_gives_the_same_report():
    settings = ScanSettings(profile=load_profile("default"), app=load_app(str(DEMO / "app.yaml")))
    report = same_report([DEMO], settings)
    assert len(report["inputs"]) >= 4 and report["findings"]


def test_the_tests_captures_give_the_same_report():
    captures = [ROOT / "tests" / "fixtures" / "reports" / "session.har", *sorted(ROOT.glob("examples/fleet/sessions/*/*.mitm"))]
    report = same_report(captures, ScanSettings(profile=load_profile("default")))
    assert len(report["inputs"]) == len(captures)
    assert any("damaged" in e["input"] for e in report["errors"])  # a damaged capture keeps what it could read


def test_a_mixed_capture_with_consent_half_way_gives_the_same_report(mixed_capture, monkeypatch):
    # With workers, this process does no record's stateless work: the comparison would
    # pass trivially if it silently did everything itself.
    here, prepared_here = os.getpid(), []
    real = StatelessWork.prepare

    def counted(self, record):
        if os.getpid() == here:
            prepared_here.append(record)
        return real(self, record)

    monkeypatch.setattr(StatelessWork, "prepare", counted)
    settings = ScanSettings(profile=load_profile("default"), app=app_from_yaml(APP))
    alone = report_of([mixed_capture], settings, 1)
    assert len(prepared_here) == 2000
    prepared_here.clear()
    assert report_of([mixed_capture], settings, 2) == alone
    assert prepared_here == []
    report = json.loads(alone)
    checks = set(report["summary"]["by_check"])
    # The comparison covers stateless and in-order checks, traffic and page checks.
    assert {"DH001", "DH002", "DH003", "DH004", "DH005", "DH006", "DH007", "DH008", "DH009", "DH010"} <= checks
    assert len({c for c in checks if c.startswith("UI")}) >= 5
    [basis] = report["first_party"]
    assert basis["consent"]["flow"] == 1000
    before = [f for f in report["findings"] if f["check"] == "DH009"]
    assert before and all(flow < 1000 for f in before for flow in f["occurrences"]["flows"])


def test_the_real_captures_give_the_same_report():
    captures = REAL / "captures"
    if not captures.is_dir():
        pytest.skip("the real-world development corpus is not present")
    report = same_report([captures], ScanSettings(profile=load_profile("default")))
    assert len(report["inputs"]) > 10


def test_only_checks_that_judge_records_alone_are_stateless():
    """Party and consent tracking is not there yet when a stateless check runs."""
    stateless = {check_id for check_id, check in all_checks().items() if check.stateless}
    assert stateless == {"DH001", "DH003", "DH006", *(f"UI{n:03}" for n in range(1, 12))}
    for check_id in stateless:
        source = Path(sys.modules[all_checks()[check_id].__module__].__file__).read_text(encoding="utf-8")
        for uses_tracking in (".party", "before_consent", "context.sharing", "own_host", "others_session_state"):
            assert uses_tracking not in source, f"{check_id} is declared stateless but reads {uses_tracking}"


def raises_on_marked_flows(self, flow):
    if "boom" in flow.url:
        raise RuntimeError("cannot judge this one")
    return REAL_DH001(self, flow)


REAL_DH001 = CleartextSensitiveData.check_flow


def test_a_check_failing_in_a_worker_is_an_error_of_its_record(tmp_path, monkeypatch):
    monkeypatch.setattr(CleartextSensitiveData, "check_flow", raises_on_marked_flows)  # inherited by forked workers
    flows = [make_flow("POST", f"http://api.example.com/{'boom' if i == 37 else 'ok'}/{i}", json={"phone": "13912345678"})
             for i in range(60)]
    capture = tmp_path / "s.mitm"
    with open(capture, "wb") as f:
        writer = FlowWriter(f)
        for flow in flows:
            writer.add(flow)
    report = same_report([capture], ScanSettings(profile=load_profile("default")))
    [error] = [e["message"] for e in report["errors"]]
    assert error.startswith("check DH001 failed at flow 37: RuntimeError: cannot judge this one (test_parallel_scan.py:")
    assert exit_code(report, None) == EXIT_INCOMPLETE
    [dh001] = [f for f in report["findings"] if f["check"] == "DH001"]
    assert dh001["occurrences"]["count"] == 59


def spins_on_marked_pages(self, page):
    if "SPIN" in page.source:
        while True:
            pass
    return REAL_UI001(self, page)


REAL_UI001 = RedirectPopup.check_html


def test_a_record_over_its_budget_in_a_worker_is_not_judged(tmp_path, monkeypatch):
    monkeypatch.setattr(timelimit, "RECORD_SECONDS", 2.0)
    monkeypatch.setattr(RedirectPopup, "check_html", spins_on_marked_pages)
    (tmp_path / "slow.html").write_text("<html><body><p>SPIN</p></body></html>", encoding="utf-8")
    good = PAGES / "ui001" / "pos-modal-whole-popup-handler.html"
    (tmp_path / "good.html").write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
    started = time.monotonic()
    result = scan([str(tmp_path)], ScanSettings(profile=load_profile("default")), jobs=2)
    assert time.monotonic() - started < 20
    assert result.errors == [(str(tmp_path / "slow.html"), "page: not judged: over the time budget of 2 s")]
    assert [f.check for f in result.findings] == ["UI001"]


def dies_on_flow_40(path, kind, records):
    if any(getattr(record, "index", None) == 40 for record in records):
        os.kill(os.getpid(), signal.SIGKILL)
    return REAL_PREPARE_CHUNK(path, kind, records)


REAL_PREPARE_CHUNK = parallel._prepare_chunk


def test_a_killed_worker_costs_the_flows_it_held_only(mixed_capture, monkeypatch):
    monkeypatch.setattr(parallel, "_prepare_chunk", dies_on_flow_40)
    result = scan([str(mixed_capture)], ScanSettings(profile=load_profile("default")), jobs=2)
    lost = [message for _, message in result.errors]
    chunk = range(32, 48)  # flow 40's chunk of CHUNK_RECORDS flows
    assert lost == [f"flow {i}: not judged: its worker process was killed (out of memory?)" for i in chunk]
    assert [i.records for i in result.inputs] == [2000]
    judged = {flow for f in result.findings for flow in f.occurrences.flows}
    assert not judged & set(chunk) and {24, 64, 1984} <= judged  # gzip logs over plain HTTP: DH001


def test_records_in_flight_are_bounded(monkeypatch):
    """The reader runs ahead of the in-order work by a few chunks per worker, never by the
    whole file: memory stays flat however long the capture."""
    pulled = []

    def reads():
        for i in range(10_000):
            pulled.append(i)
            yield 0, Read(record=PageRecord(source="<p>x</p>", input="p.html", kind="html", url=None), problems=[],
                          notes=[])
        yield 0, Read(record=None, problems=[], notes=[])

    settings = ScanSettings(profile=load_profile("default"))
    bound = 2 * parallel.CHUNKS_PER_WORKER * parallel.CHUNK_RECORDS
    from appaudit.scanner.engine import _stateless_work

    with parallel.prepared_ahead(reads(), [("p.html", "html")], settings, _stateless_work, 2) as stream:
        for taken, (_, read, prepared) in enumerate(stream, start=1):
            assert prepared is not None or read.record is None
            assert len(pulled) - taken <= bound
            if taken == 500:
                break
    assert len(pulled) < 500 + bound + 1


def test_ctrl_c_ends_the_workers_and_writes_what_was_scanned(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    demo = (DEMO / "session.har").read_bytes()
    for i in range(300):
        (folder / f"s{i:03}.har").write_bytes(demo)
    out = tmp_path / "r.json"
    # A terminal's Ctrl-C reaches the whole process group, workers included.
    proc = subprocess.Popen([sys.executable, "-m", "appaudit", "scan", str(folder), "-j", "2", "-v", "-f", "json",
                             "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    scanned = 0
    while scanned < 3:
        line = proc.stderr.readline()
        assert line, "the scan ended before it was interrupted"
        scanned += "scanning" in line
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    report = json.loads(out.read_text())
    assert report["inputs"] and any(e["message"] == "not scanned: the scan was interrupted" for e in report["errors"])
    time.sleep(0.5)
    left = [pid for pid in os.listdir("/proc") if pid.isdigit() and str(folder).encode() in _cmdline(pid)]
    assert left == [], "worker processes outlived the scan"


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


TEAM_CHECK = '''
"""A team's own stateless check: requests to a staging host."""
import os

from appaudit.scanner.check import TrafficCheck
from appaudit.scanner.model import Evidence, Severity


class StagingHost(TrafficCheck):
    """Requests that still go to a staging host."""

    id = "DH901"
    name = "staging-host-contacted"
    severity = Severity.LOW
    regulations = ("team policy 4.2",)
    description = "A request went to a staging host."
    stateless = True

    def check_flow(self, flow):
        with open(os.environ["RAN_IN"], "a") as f:
            f.write(f"{os.getpid()}\\n")
        if flow.host.startswith("staging."):
            yield self.finding(title=f"Staging host {flow.host} contacted", message="Release builds must not.",
                               location=flow.location(), evidence=Evidence(details={"subject": flow.host}))
'''


def test_a_teams_stateless_check_runs_in_the_workers(tmp_path):
    folder = tmp_path / "our-checks"
    folder.mkdir()
    (folder / "staging_host.py").write_text(TEAM_CHECK, encoding="utf-8")
    capture = tmp_path / "s.mitm"
    with open(capture, "wb") as f:
        writer = FlowWriter(f)
        for i in range(40):
            writer.add(make_flow("GET", f"https://{'staging' if i % 8 == 0 else 'www'}.example.com/{i}", timestamp=T0 + i))
    findings = {}
    for jobs in ("1", "2"):
        ran_in = tmp_path / f"ran-in-{jobs}"
        proc = subprocess.Popen([sys.executable, "-m", "appaudit", "scan", str(capture), "--checks-dir", str(folder),
                                 "-j", jobs, "-f", "json", "-o", "-", "--fail-on", "never"],
                                env={**os.environ, "RAN_IN": str(ran_in)}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        findings[jobs] = json.loads(stdout)["findings"]
        ran = set(ran_in.read_text().split())
        # One process alone, or only the workers: never the scan's own process.
        assert ran == {str(proc.pid)} if jobs == "1" else ran and str(proc.pid) not in ran
    assert findings["1"] == findings["2"]
    [staging] = [f for f in findings["1"] if f["check"] == "DH901"]
    assert staging["occurrences"]["count"] == 5

