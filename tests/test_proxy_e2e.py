"""End to end with real parts, all on 127.0.0.1: mitmproxy with the addon, local HTTP and
HTTPS servers, real clients (http.client, headless Chromium) and the `appaudit proxy` and
`mitmdump -s` command lines. Host names the test uses (an app API, a known SDK) are
routed to the local servers inside the proxy; any other destination is refused, so no
traffic leaves the machine."""
import asyncio
import base64
import datetime
import hashlib
import http.client
import http.server
import ipaddress
import json
import logging
import os
import random
import signal
import socket
import ssl
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from mitmproxy.options import Options
from mitmproxy.tools.dump import DumpMaster

from appaudit.scanner.addon import AppAudit
from appaudit.scanner.cli import main

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Subprocesses import appaudit from this checkout, as the tests in this process do.
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           PYTHONUNBUFFERED="1", NO_COLOR="1")
PHONE = "13912345678"
MASKED_PHONE = "139****5678"
PASSWORD = "S3cret-pass-2024"
DOWNLOAD = random.Random(7).randbytes(300_000)
PROMO_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>限时优惠</title></head>
<body>
<div id="promo" class="popup" style="position:fixed;top:0;left:0;right:0;bottom:0;background:rgba(0,0,0,.6)">
  <a id="promo-close" class="close" href="https://ads.other-site.example/landing">×</a>
  <img src="/banner.png" alt="banner">
  <form action="/v1/register" method="post">
    <label><input type="checkbox" name="marketing" checked> 我同意接收个性化推荐和营销短信</label>
    <button type="submit">立即领取</button>
  </form>
</div>
</body></html>
"""


def check_exists(check_id: str) -> bool:
    return any((ROOT / "checks").glob(f"{check_id.lower()}_*.py"))


# Local servers

class Upstream(http.server.BaseHTTPRequestHandler):
    """The app's servers: fixed answers per path, and a record of every request."""

    protocol_version = "HTTP/1.1"
    seen: list = []

    def do_GET(self):
        self._answer(b"")

    def do_POST(self):
        self._answer(self.rfile.read(int(self.headers.get("Content-Length", 0))))

    def _answer(self, body: bytes):
        self.seen.append((self.command, self.headers.get("Host"), self.path, body))
        path = urlsplit(self.path).path
        answers = {
            "/v1/profile": ("application/json", b'{"ok": true}'),
            "/v1/login": ("application/json", json.dumps({"token": "session-" + "a" * 24}).encode()),
            "/download.bin": ("application/octet-stream", DOWNLOAD),
            "/promo.html": ("text/html; charset=utf-8", PROMO_PAGE.encode()),
            "/unify_logs": ("application/json", b'{"code": 0}'),
        }
        content_type, payload = answers.get(path, ("text/plain", b"not found"))
        self.send_response(200 if path in answers else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def serve(tls: ssl.SSLContext | None = None):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    server.daemon_threads = True
    if tls:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="module")
def upstreams(tmp_path_factory):
    """A plain HTTP server and an HTTPS server with a certificate made here."""
    folder = tmp_path_factory.mktemp("upstream")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=7))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    plain, plain_thread = serve()
    secure, secure_thread = serve(tls)
    yield {"http": plain.server_address[1], "https": secure.server_address[1]}
    for server, thread in ((plain, plain_thread), (secure, secure_thread)):
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def confdir(tmp_path_factory):
    """mitmproxy's configuration folder: it creates its CA here on first start."""
    return tmp_path_factory.mktemp("mitmproxy-conf")


# mitmproxy in this process

class RouteToLocalServers:
    """Send the test's host names to the local servers; refuse everything else."""

    def __init__(self, routes: dict[tuple[str, int], int]):
        self.routes = routes

    def server_connect(self, data):
        host, port = data.server.address[:2]
        if (host, port) in self.routes:
            data.server.address = ("127.0.0.1", self.routes[(host, port)])
        elif host not in ("127.0.0.1", "localhost"):
            data.server.error = f"refused by the test: {host} is not a local server"


class Recorder:
    """Keeps the flows mitmproxy completed, to look at their marks afterwards."""

    def __init__(self):
        self.flows = []

    def response(self, flow):
        self.flows.append(flow)


class Proxy:
    """mitmproxy's DumpMaster with the addon, on its own event loop in a thread."""

    def __init__(self, options: dict, *addons):
        self.options = options
        self.others = addons  # not "addons": mitmproxy would take them for this addon's children
        self.ready = threading.Event()
        self.port: int | None = None
        self.thread = threading.Thread(target=asyncio.run, args=(self._run(),), daemon=True)

    async def _run(self):
        try:
            self.master = DumpMaster(Options(), with_termlog=False, with_dumper=False)
            self.master.addons.add(*self.others, self)
            self.master.options.update(listen_host="127.0.0.1", listen_port=0, **self.options)
            await self.master.run()
        finally:
            self.ready.set()  # a failure to start shows as no port

    def running(self):
        self.port = self.master.addons.get("proxyserver").listen_addrs()[0][1]
        self.ready.set()

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(30) and self.port, "mitmproxy did not start"
        return self

    def __exit__(self, *exc):
        self.master.shutdown()
        self.thread.join(60)
        assert not self.thread.is_alive()


def send(proxy_port: int, method: str, url: str, *, ca: Path, body: bytes | None = None,
         headers: dict | None = None) -> tuple[int, bytes]:
    """One request through the proxy, as a client configured with it would send it."""
    parts = urlsplit(url)
    if parts.scheme == "http":
        conn = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=20)
        target = url
    else:
        conn = http.client.HTTPSConnection("127.0.0.1", proxy_port, timeout=20,
                                            context=ssl.create_default_context(cafile=str(ca)))
        conn.set_tunnel(parts.hostname, parts.port or 443)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request(method, target, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def ca_file(confdir: Path) -> Path:
    return confdir / "mitmproxy-ca-cert.pem"


def scan_json(path: Path, tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "scanned.json"
    CliRunner().invoke(main, ["scan", str(path), "-f", "json", "-o", str(out), "--fail-on", "never", *args],
                       catch_exceptions=False)
    return json.loads(out.read_text())


def test_live_session_finds_leaks_keeps_bodies_and_equals_a_scan_of_the_capture(upstreams, confdir, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="appaudit")
    saved, live_report = tmp_path / "session.mitm", tmp_path / "live.json"
    routes = {("api.demoshop.example", 80): upstreams["http"], ("api.demoshop.example", 443): upstreams["https"],
              ("ulogs.umeng.com", 443): upstreams["https"]}
    recorder = Recorder()
    options = {"confdir": str(confdir), "ssl_insecure": True, "save_stream_file": str(saved),
               "appaudit_report": str(live_report)}
    Upstream.seen.clear()
    with Proxy(options, AppAudit(), RouteToLocalServers(routes), recorder) as proxy:
        ca = ca_file(confdir)
        profile_answer = send(proxy.port, "POST", "http://api.demoshop.example/v1/profile", ca=ca,
                              body=json.dumps({"user": {"phone": PHONE}}).encode(), headers={"Content-Type": "application/json"})
        login_answer = send(proxy.port, "POST", "https://api.demoshop.example/v1/login", ca=ca,
                            body=json.dumps({"username": "li.lei", "password": PASSWORD}).encode(),
                            headers={"Content-Type": "application/json"})
        sdk_answer = send(proxy.port, "POST", "https://ulogs.umeng.com/unify_logs", ca=ca,
                          body=json.dumps({"header": {"appkey": "5f8e1a2b3c4d5e6f7a8b9c0d"}}).encode(),
                          headers={"Content-Type": "application/json"})
        download = send(proxy.port, "GET", "http://api.demoshop.example/download.bin", ca=ca)
        secure_download = send(proxy.port, "GET", "https://api.demoshop.example/download.bin", ca=ca)

    # The traffic went through untouched.
    assert profile_answer == (200, b'{"ok": true}')
    assert login_answer[0] == 200 and json.loads(login_answer[1])["token"].startswith("session-")
    assert sdk_answer == (200, b'{"code": 0}')
    assert download == (200, DOWNLOAD) and secure_download == (200, DOWNLOAD)
    assert ("POST", "api.demoshop.example", "/v1/profile", json.dumps({"user": {"phone": PHONE}}).encode()) in Upstream.seen

    report = json.loads(live_report.read_text())
    assert report["started"] <= report["finished"]  # the addon's report records the session too
    findings = report["findings"]
    [leak] = [f for f in findings if f["check"] == "DH001"]
    assert leak["location"]["url"] == "http://api.demoshop.example/v1/profile"
    assert (leak["location"]["part"], leak["location"]["field"], leak["evidence"]["value"]) == (
        "request.body", "user.phone", MASKED_PHONE)
    # The login went over HTTPS: nothing about it is cleartext.
    assert not [f for f in findings if f["check"] in ("DH001", "DH004") and f["location"]["url"].startswith("https://")]
    if check_exists("DH010"):
        assert [f["location"]["url"] for f in findings if f["check"] == "DH010"] == ["https://ulogs.umeng.com/unify_logs"]

    # Logged live, once per finding, masked; the flow is marked for mitmweb.
    lines = [r.getMessage() for r in caplog.records if r.name == "appaudit"]
    assert len([line for line in lines if " DH001 " in line]) == 1
    assert any(MASKED_PHONE in line for line in lines if " DH001 " in line)
    assert PHONE not in "\n".join(lines)
    [profile_flow] = [f for f in recorder.flows if f.request.path == "/v1/profile"]
    assert profile_flow.marked and "DH001" in profile_flow.comment

    # One engine, two front doors: the live report is the scan of the saved capture.
    scanned = scan_json(saved, tmp_path)
    assert report["findings"] == scanned["findings"]
    assert report["checks"] == scanned["checks"]
    assert report["inputs"][0]["records"] == scanned["inputs"][0]["records"] == 5


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
@pytest.mark.skipif(not check_exists("UI002"), reason="UI002 is not written yet")
def test_headless_chromium_through_the_proxy(upstreams, confdir, tmp_path):
    live_report = tmp_path / "live.json"
    routes = {("shop.demoshop.example", 443): upstreams["https"]}
    options = {"confdir": str(confdir), "ssl_insecure": True, "appaudit_report": str(live_report)}
    with Proxy(options, AppAudit(), RouteToLocalServers(routes)) as proxy:
        ca = x509.load_pem_x509_certificate(ca_file(confdir).read_bytes())
        spki = base64.b64encode(hashlib.sha256(ca.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).digest()).decode()
        browser = subprocess.run(
            ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
             "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'chromium'}",
             f"--proxy-server=http://127.0.0.1:{proxy.port}", "--proxy-bypass-list=<-loopback>",
             f"--ignore-certificate-errors-spki-list={spki}",
             "--dump-dom", "https://shop.demoshop.example/promo.html"],
            capture_output=True, text=True, timeout=120)
    assert 'id="promo-close"' in browser.stdout, browser.stderr[-2000:]

    findings = json.loads(live_report.read_text())["findings"]
    page_url = "https://shop.demoshop.example/promo.html"
    assert [f["location"]["selector"] for f in findings if f["check"] == "UI002" and f["location"]["url"] == page_url] == [
        "#promo-close"]
    if check_exists("UI006"):
        assert any(f["check"] == "UI006" and f["location"]["url"] == page_url for f in findings)


# The command lines

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Command:
    """A proxy command line in a subprocess, entered once it says it listens; killed on
    exit if the test did not stop it."""

    def __init__(self, args: list[str], ready_text: str, ready_stream: str):
        self.args, self.ready_text, self.ready_stream = args, ready_text, ready_stream
        self.output = {"stdout": [], "stderr": []}
        self.ready = threading.Event()

    def __enter__(self):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
        self.readers = [threading.Thread(target=self._read, args=(name,), daemon=True) for name in self.output]
        for reader in self.readers:
            reader.start()
        if not self.ready.wait(30):
            raise AssertionError(f"did not start: {self.text('stderr')[-3000:]}")
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def _read(self, name):
        for line in getattr(self.proc, name):
            self.output[name].append(line)
            if name == self.ready_stream and self.ready_text in line:
                self.ready.set()

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(60)
        for reader in self.readers:
            reader.join(10)
        return code

    def text(self, name: str) -> str:
        return "".join(self.output[name])


def proxy_command(port: int, confdir: Path, *args: str) -> Command:
    command = [str(BIN / "appaudit"), "proxy", "--listen-host", "127.0.0.1", "--listen-port", str(port),
               "--set", f"confdir={confdir}", *args]
    return Command(command, "appaudit proxy:", "stderr")


def post_phone(port: int, upstream_port: int, confdir: Path):
    return send(port, "POST", f"http://127.0.0.1:{upstream_port}/v1/profile", ca=ca_file(confdir),
                body=json.dumps({"phone": PHONE}).encode(), headers={"Content-Type": "application/json"})


def test_appaudit_proxy_writes_capture_and_report_on_sigterm(upstreams, confdir, tmp_path):
    saved, report_path, port = tmp_path / "s.mitm", tmp_path / "r.json", free_port()
    with proxy_command(port, confdir, "-w", str(saved), "-o", str(report_path)) as command:
        assert post_phone(port, upstreams["http"], confdir) == (200, b'{"ok": true}')
        code = command.stop()

    assert code == 1, command.text("stderr")  # a high finding, --fail-on low
    assert "mitm.it" in command.text("stderr")
    report = json.loads(report_path.read_text())
    assert [f["check"] for f in report["findings"] if f["check"] == "DH001"] == ["DH001"]
    assert report["inputs"] == [{"path": str(saved), "kind": "flows",
                                 "sha256": hashlib.sha256(saved.read_bytes()).hexdigest(), "records": 1}]
    live_lines = [line for line in command.text("stdout").splitlines() if " DH001 " in line]
    assert len(live_lines) == 1 and MASKED_PHONE in live_lines[0] and PHONE not in command.text("stdout")
    assert report["findings"] == scan_json(saved, tmp_path)["findings"]
    # The report records the session as `scan` records its invocation.
    assert report["started"] <= report["finished"] and report["started"].endswith("Z")
    assert report["command_line"].startswith("appaudit proxy --listen-host 127.0.0.1")


def test_appaudit_proxy_exit_codes(upstreams, confdir, tmp_path):
    port = free_port()
    with proxy_command(port, confdir, "--fail-on", "critical", "-o", str(tmp_path / "r.md"), "-f", "json") as command:
        post_phone(port, upstreams["http"], confdir)
        assert command.stop() == 0  # the phone number is high, below critical
    assert json.loads((tmp_path / "r.md").read_text())["summary"]["by_check"]["DH001"] == 1

    bad = subprocess.run([str(BIN / "appaudit"), "proxy", "--listen-port", str(free_port()), "-p", "no-such-profile"],
                         capture_output=True, text=True, timeout=60, env=ENV)
    assert bad.returncode == 2 and "no-such-profile" in bad.stderr and "Traceback" not in bad.stderr

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = subprocess.run([str(BIN / "appaudit"), "proxy", "--listen-host", "127.0.0.1", "--listen-port",
                               str(taken.getsockname()[1]), "--set", f"confdir={confdir}"],
                              capture_output=True, text=True, timeout=60, env=ENV)
    assert busy.returncode == 2 and "could not start" in busy.stderr


def test_mitmdump_loads_the_addon_as_a_script(upstreams, confdir, tmp_path):
    saved, report_path, port = tmp_path / "s.mitm", tmp_path / "r.json", free_port()
    mitmdump = Command([str(BIN / "mitmdump"), "-s", str(ROOT / "scanner" / "addon.py"), "--listen-host", "127.0.0.1",
                        "-p", str(port), "--set", f"confdir={confdir}", "-w", str(saved),
                        "--set", f"appaudit_report={report_path}"], "listening at", "stdout")
    with mitmdump as command:
        post_phone(port, upstreams["http"], confdir)
        assert command.stop() == 0
    report = json.loads(report_path.read_text())
    assert "DH001" in report["summary"]["by_check"]
    assert any(" DH001 " in line and MASKED_PHONE in line for line in command.text("stdout").splitlines())
    assert report["findings"] == scan_json(saved, tmp_path)["findings"]
