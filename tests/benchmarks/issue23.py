"""The benchmarks of issues 23 and 22, run by ``make bench`` (never by the default test run):
each times appaudit and its baseline as whole processes in the same run and prints the
ratio against the issue's goal, then all of them as one table. Scans and their
baselines are compared by CPU time (the machine may be shared: wall time is printed
too); the --jobs comparison by wall time, which is what parallelism buys.

    python -m tests.benchmarks.issue23 [capture pages proxy memory jobs render]

``APPAUDIT_BENCH_SCALE`` (default 1) scales the workloads (0.25: a 5,000-flow capture,
350 pages, 256 MB for the memory benchmark, 50 rendered pages); ``APPAUDIT_BENCH_REPEATS`` (default 2) is
how often each appaudit run is repeated (baselines: at least three times), the best
time counting; ``APPAUDIT_BENCH_CODE`` names a folder holding another ``appaudit``
package to measure instead of this one (a checkout of an older commit, for
before/after numbers). Generated workloads are cached (see ``workloads.CACHE``)."""
from __future__ import annotations

import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks import workloads
from tests.benchmarks.proxyload import ROOT, UPSTREAM, Mitmdump, load, wait_until_idle

SCALE = float(os.environ.get("APPAUDIT_BENCH_SCALE") or 1)
REPEATS = int(os.environ.get("APPAUDIT_BENCH_REPEATS") or 2)
CODE = Path(os.environ["APPAUDIT_BENCH_CODE"]).resolve() if os.environ.get("APPAUDIT_BENCH_CODE") else None
PYTHON = sys.executable
UI_CHECKS = [f"UI{n:03d}" for n in range(1, 12)]
READ_FLOWS = ("import sys\nfrom mitmproxy import io\nwith open(sys.argv[1], 'rb') as f:\n"
              "    for flow in io.FlowReader(f).stream():\n        pass\n")
PARSE_PAGES = ("import sys\nfrom pathlib import Path\nfrom bs4 import BeautifulSoup\n"
               "for path in sorted(Path(sys.argv[1]).glob('*.html')):\n"
               "    BeautifulSoup(path.read_text(encoding='utf-8'), 'lxml')\n")
# Peak resident memory of a command and its children (Linux reports KiB).
PEAK_RSS = ("import resource, subprocess, sys\nsubprocess.run(sys.argv[1:], check=False)\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")


@dataclass
class Row:
    benchmark: str
    appaudit: str
    baseline: str
    ratio: float
    goal: str
    met: bool

    def line(self) -> str:
        return (f"| {self.benchmark} | {self.appaudit} | {self.baseline} | **{self.ratio:.2f}×** | {self.goal} | "
                f"{'yes' if self.met else 'no'} |")


def environment() -> dict[str, str]:
    env = dict(os.environ)
    if CODE is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(CODE), env.get("PYTHONPATH")]))
    return env


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # user + system time of the process and the workers it waited for

    def __str__(self) -> str:
        return f"{self.cpu:.1f} s CPU ({self.wall:.1f} s wall)"


def run(command: list[str]) -> tuple[subprocess.CompletedProcess, Timing]:
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run(command, env=environment(), capture_output=True, text=True)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 3):  # 3: some record was not judged; the report says which
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return done, Timing(wall=wall, cpu=cpu)


def best_time(command: list[str], repeats: int) -> Timing:
    """The fastest of ``repeats`` runs, by wall and by CPU time separately."""
    timings = [run(command)[1] for _ in range(repeats)]
    return Timing(wall=min(t.wall for t in timings), cpu=min(t.cpu for t in timings))


def scan_command(inputs: list[Path], report: Path, *options: str) -> list[str]:
    return [PYTHON, "-m", "appaudit", "scan", *map(str, inputs), "-f", "json", "-o", str(report),
            "--fail-on", "never", "-q", *options]


def scanned_records(report: Path) -> int:
    return sum(entry["records"] for entry in json.loads(report.read_text())["inputs"])


def traffic_profile(folder: Path) -> Path:
    path = folder / "no-ui.yaml"
    path.write_text(f"name: no-ui\nextends: default\nexclude: [{', '.join(UI_CHECKS)}]\n", encoding="utf-8")
    return path


def bench_capture(work: Path) -> list[Row]:
    """1. An offline scan of a mixed capture against mitmproxy's FlowReader merely
    reading it; and the same scan with every UI check excluded by a profile."""
    count = round(20_000 * SCALE)
    capture = workloads.write_capture(count)
    report = work / "capture.json"
    reading = best_time([PYTHON, "-c", READ_FLOWS, str(capture)], max(3, REPEATS))
    full = best_time(scan_command([capture], report), REPEATS)
    assert scanned_records(report) == count
    traffic = best_time(scan_command([capture], report, "-p", str(traffic_profile(work))), REPEATS)
    size = f"{count:,}-flow mixed capture ({capture.stat().st_size / 2**20:.0f} MB)"
    return [Row(f"1. {size}", f"scan {full}", f"FlowReader {reading}", full.cpu / reading.cpu, "≤ 1.3×",
                full.cpu / reading.cpu <= 1.3),
            Row("1. the same, UI checks excluded", f"scan {traffic}", f"FlowReader {reading}",
                traffic.cpu / reading.cpu, "≤ 1.3×", traffic.cpu / reading.cpu <= 1.3)]


def bench_pages(work: Path) -> list[Row]:
    """2. Scanning a folder of varied pages against BeautifulSoup(html, "lxml") merely
    parsing them."""
    count = round(1_400 * SCALE)
    folder = workloads.write_pages(count)
    size = sum(p.stat().st_size for p in folder.glob("*.html")) / 2**20
    parsing = best_time([PYTHON, "-c", PARSE_PAGES, str(folder)], max(3, REPEATS))
    report = work / "pages.json"
    scanning = best_time(scan_command([folder], report), REPEATS)
    assert scanned_records(report) == count
    return [Row(f"2. {count:,} pages ({size:.1f} MB: listings, articles, landing pages, consent dialogs)",
                f"scan {scanning}", f"BeautifulSoup {parsing}", scanning.cpu / parsing.cpu, "≤ 1.5×",
                scanning.cpu / parsing.cpu <= 1.5)]


def bench_proxy(work: Path, clients: int = 4, requests: int = 500, rounds: int = 3) -> list[Row]:
    """3. Throughput and latency of mitmdump with the addon against plain mitmdump under
    the same loopback load, in alternating rounds; both proxies idle before each round."""
    upstream = subprocess.Popen([PYTHON, "-c", UPSTREAM], stdout=subprocess.PIPE, text=True)
    report = work / "proxy.json"
    addon = (CODE / "appaudit" if CODE else ROOT) / "scanner" / "addon.py"
    proxies: list[Mitmdump] = []
    os.environ.update(environment())  # Mitmdump passes the environment on
    try:
        upstream_port = int(upstream.stdout.readline())
        plain = Mitmdump(work / "conf")
        proxies.append(plain)
        audited = Mitmdump(work / "conf", "-s", str(addon), "--set", f"appaudit_report={report}")
        proxies.append(audited)
        for proxy in proxies:
            load(proxy.port, upstream_port, 100, clients)  # imports, connections, caches
        ratios, latencies = [], {plain: [], audited: []}
        for round_ in range(rounds):
            rates = {}
            for proxy in proxies if round_ % 2 else reversed(proxies):
                wait_until_idle(plain.proc, audited.proc)
                rates[proxy], times = load(proxy.port, upstream_port, clients * requests, clients)
                latencies[proxy] += times
            ratios.append(rates[audited] / rates[plain])
    finally:
        for proxy in proxies:
            proxy.stop()
        upstream.terminate()
        upstream.wait(10)
    assert scanned_records(report) == 100 + rounds * clients * requests
    ratio = statistics.median(ratios)
    p50, p99 = ({proxy: statistics.quantiles(times, n=100)[q] * 1000 for proxy, times in latencies.items()}
                for q in (49, 98))
    load_name = f"3. proxy, {clients} keep-alive clients × {requests} requests on loopback"
    return [Row(f"{load_name}: throughput (median of {rounds} rounds)", "with addon", "plain mitmdump", ratio,
                "≥ 0.9×", ratio >= 0.9),
            Row(f"{load_name}: p50 / p99 latency", f"{p50[audited]:.1f} / {p99[audited]:.1f} ms",
                f"{p50[plain]:.1f} / {p99[plain]:.1f} ms", p99[audited] / p99[plain],
                f"p99 ≤ +5 ms (here {p99[audited] - p99[plain]:+.1f} ms)", p99[audited] - p99[plain] <= 5)]


def peak_rss(capture: Path, report: Path) -> float:
    """MiB; one worker, so the peak is the scan's own."""
    done, _ = run([PYTHON, "-c", PEAK_RSS, *scan_command([capture], report, "--jobs", "1")])
    return int(done.stdout.split()[-1]) / 1024


def bench_memory(work: Path) -> list[Row]:
    """4. Peak RSS scanning a large flow file, at two sizes (flat as the file grows)."""
    large_mb, small_mb = round(1024 * SCALE), round(256 * SCALE)
    large, small = workloads.write_capture_of_size(large_mb), workloads.write_capture_of_size(small_mb)
    small_peak = peak_rss(small, work / "small.json")
    large_peak = peak_rss(large, work / "large.json")
    large_size = large.stat().st_size / 2**20
    return [Row(f"4. peak RSS scanning a {large_size:,.0f} MB flow file", f"{large_peak:.0f} MiB", "250 MiB",
                large_peak / 250, "< 250 MiB", large_peak < 250),
            Row(f"4. peak RSS growth, {small.stat().st_size / 2**20:,.0f} MB → {large_size:,.0f} MB file",
                f"{large_peak:.0f} MiB", f"{small_peak:.0f} MiB", large_peak / small_peak, "≤ 1.1× (flat)",
                large_peak / small_peak <= 1.1)]


def bench_jobs(work: Path) -> list[Row]:
    """5. One large capture, and many captures, on one and on two worker processes."""
    capture = workloads.write_capture(round(20_000 * SCALE))
    sessions = workloads.write_sessions(16, round(1_000 * SCALE))
    rows = []
    for name, inputs in ((f"one capture of {round(20_000 * SCALE):,} flows", [capture]),
                         (f"16 captures of {round(1_000 * SCALE):,} flows", [sessions])):
        one = best_time(scan_command(inputs, work / "jobs1.json", "--jobs", "1"), REPEATS)
        two = best_time(scan_command(inputs, work / "jobs2.json", "--jobs", "2"), REPEATS)
        assert scanned_records(work / "jobs1.json") == scanned_records(work / "jobs2.json")
        rows.append(Row(f"5. --jobs 2 against --jobs 1, {name} (wall time)", f"{two.wall:.1f} s", f"{one.wall:.1f} s",
                        one.wall / two.wall, "≥ 1.8× faster", one.wall / two.wall >= 1.8))
    return rows


_RENDERED = re.compile(r": rendered, tapped and judged in ([0-9.]+) s")


def bench_render(work: Path) -> list[Row]:
    """6. The rendered mode (issue 22): each page loaded, read, tapped and pictured in
    Chromium, on one worker; the time per page from the scan's own log, the browser's
    start counted once (in the first page). Baseline: the same pages in the static mode."""
    count = max(round(200 * SCALE), 10)
    folder = workloads.write_pages(count)
    report = work / "render.json"
    static = best_time(scan_command([folder], report, "--render", "never", "--jobs", "1"), REPEATS)
    done, rendered = run(scan_command([folder], report, "--render", "always", "--jobs", "1", "-v"))
    per_page = sorted(float(seconds) for seconds in _RENDERED.findall(done.stderr))
    assert len(per_page) == count, f"{len(per_page)} of {count} pages rendered"
    median = statistics.median(per_page)
    return [Row(f"6. rendered mode, {count} pages (median / worst per page: {median:.2f} s / {per_page[-1]:.2f} s; "
                f"goal: median ≤ 1.5 s)", f"--render always {rendered.wall:.1f} s wall",
                f"--render never {static.wall:.1f} s wall", rendered.wall / static.wall, "median ≤ 1.5 s",
                median <= 1.5)]


BENCHMARKS: dict[str, Callable[[Path], list[Row]]] = {
    "capture": bench_capture, "pages": bench_pages, "proxy": bench_proxy, "memory": bench_memory, "jobs": bench_jobs,
    "render": bench_render}


def machine() -> str:
    load1, load5, _ = os.getloadavg()
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average {load1:.1f} / {load5:.1f} at the end")


def main(names: list[str]) -> None:
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; choose from {', '.join(BENCHMARKS)}")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="appaudit-bench-") as work:
        for name in names or BENCHMARKS:
            print(f"{name}...", file=sys.stderr, flush=True)
            for row in BENCHMARKS[name](Path(work)):
                print(row.line(), file=sys.stderr, flush=True)
                rows.append(row)
    print(f"\nscale {SCALE:g}, best of {REPEATS} (baselines: of {max(3, REPEATS)}); {machine()}"
          + (f"; code measured: {CODE}" if CODE else ""))
    print("| benchmark | appaudit | baseline | ratio | goal | met |\n|---|---|---|---|---|---|")
    for row in rows:
        print(row.line())


if __name__ == "__main__":
    main(sys.argv[1:])
