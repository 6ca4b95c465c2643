"""A loopback load through ``mitmdump`` for the proxy benchmarks: an upstream server
subprocess (so the proxy is the bottleneck), mitmdump subprocesses with and without the
addon, and keep-alive clients sending a mix that gives the checks real work (personal
data over HTTP, JSON with personal data, HTML pages)."""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

UPSTREAM = r"""
import http.server, json, sys
PAGE = ('<!doctype html><html lang="zh"><body><div class="popup"><a href="https://ads.example.net/x">×</a>'
        '<p>' + '商品详情 ' * 200 + '</p></div></body></html>').encode()
PROFILE = json.dumps({"user": {"name": "李雷", "mobile": "13912345678", "email": "li.lei@example.com"},
                      "orders": [{"id": i, "total": 99.5} for i in range(30)]}).encode()
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall
    def do_GET(self):
        self.answer(PAGE if self.path.endswith(".html") else PROFILE,
                    "text/html; charset=utf-8" if self.path.endswith(".html") else "application/json")
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.answer(b'{"ok": true}', "application/json")
    def answer(self, body, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(*procs: subprocess.Popen) -> None:
    """Until none of the processes used CPU for 0.2 s."""
    deadline = time.monotonic() + 30
    before = [cpu_seconds(p.pid) for p in procs]
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = [cpu_seconds(p.pid) for p in procs]
        if now == before:
            return
        before = now
    raise AssertionError("the proxies did not go idle")


class Mitmdump:
    def __init__(self, confdir: Path, *args: str):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [str(BIN / "mitmdump"), "-q", "--listen-host", "127.0.0.1", "-p", str(self.port),
             "--set", f"confdir={confdir}", *args],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env=dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))))
        deadline = time.monotonic() + 30
        while True:
            assert self.proc.poll() is None, self.proc.stderr.read()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                assert time.monotonic() < deadline, "mitmdump did not start"
                time.sleep(0.05)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(120)


def load(proxy_port: int, upstream_port: int, count: int, clients: int) -> tuple[float, list[float]]:
    """Send ``count`` requests through the proxy from ``clients`` keep-alive connections;
    return requests per second and each request's latency in seconds."""
    base = f"http://127.0.0.1:{upstream_port}"
    requests = [
        ("POST", f"{base}/v1/profile", json.dumps({"user": {"phone": "13912345678", "n": i}}).encode())
        if i % 3 == 0 else ("GET", f"{base}/promo/{i}.html" if i % 3 == 1 else f"{base}/v1/me?i={i}", None)
        for i in range(count)
    ]
    failures = []
    latencies: list[float] = []

    def client(share):
        conn = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=30)
        try:
            for method, url, body in share:
                sent = time.perf_counter()
                conn.request(method, url, body=body, headers={"Content-Type": "application/json"} if body else {})
                response = conn.getresponse()
                response.read()
                latencies.append(time.perf_counter() - sent)
                if response.status != 200:
                    failures.append(response.status)
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(requests[i::clients],)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    assert not failures
    return count / elapsed, latencies
