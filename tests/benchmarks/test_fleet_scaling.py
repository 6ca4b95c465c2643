"""`appaudit fleet` on a real Dask cluster (a `dask scheduler` and `dask worker`
processes): sessions per second at one and two workers on the same fleet (goal: 1.8x on
a two-core machine), and the client's peak memory as the fleet grows from 30 to 300
sessions (goal: flat but for the aggregate, which holds a few KiB per session).

The ratios printed are the measurement; the asserts are loose bounds that a busy machine
cannot break (other processes share the cores)."""
from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from appaudit.scanner.fleet import audit_session, run_fleet  # noqa: E402
from appaudit.scanner.profile_loader import load_profile  # noqa: E402
from tests.fleetcluster import dask_cluster  # noqa: E402
from tests.fleetgen import make_fleet  # noqa: E402

pytestmark = pytest.mark.benchmark


def warm(address: str, folder: Path) -> None:
    """Every worker imports the engine and scans one session before the clock starts."""
    from distributed import Client

    with Client(address) as client:
        client.run(audit_session, str(folder), load_profile("default"), "warm-up", None)


def sessions_per_second(address: str, sessions: Path, out: Path) -> float:
    start = time.perf_counter()
    document, counts = run_fleet(str(sessions), str(out), scheduler=address)
    elapsed = time.perf_counter() - start
    assert counts["scanned"] == document["summary"]["complete"] == len(document["sessions"])
    return len(document["sessions"]) / elapsed


def client_peak(address: str, sessions: Path, out: Path) -> int:
    tracemalloc.start()
    try:
        run_fleet(str(sessions), str(out), scheduler=address)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_fleet_speedup_and_client_memory(tmp_path):
    heavy = make_fleet(tmp_path / "heavy", 16, repeat=40, broken=False)
    with dask_cluster(tmp_path / "dask", workers=1) as cluster:
        warm(cluster.address, heavy / "app-000")
        one = sessions_per_second(cluster.address, heavy, tmp_path / "out-1")
        cluster.add_worker()
        cluster.wait_for_workers(2)
        warm(cluster.address, heavy / "app-000")
        two = sessions_per_second(cluster.address, heavy, tmp_path / "out-2")

        small = make_fleet(tmp_path / "small-30", 30, broken=False)
        large = make_fleet(tmp_path / "large-300", 300, broken=False)
        client_peak(cluster.address, small, tmp_path / "warm")  # the client's own imports and caches
        peak_30 = client_peak(cluster.address, small, tmp_path / "mem-30")
        peak_300 = client_peak(cluster.address, large, tmp_path / "mem-300")
    added = (peak_300 - peak_30) / 270
    report_size = sum(p.stat().st_size for p in (tmp_path / "mem-300").glob("sessions/*/report.json")) / 300
    print(f"\nfleet: {one:.2f} sessions/s at 1 worker, {two:.2f} at 2 workers: speedup {two / one:.2f}x (goal 1.8x)"
          f"\nfleet client peak memory: {peak_30 / 2**20:.1f} MiB for 30 sessions, {peak_300 / 2**20:.1f} MiB for 300: "
          f"{added / 2**10:.1f} KiB per added session (its report.json: {report_size / 2**10:.1f} KiB)")
    assert two / one > 1.1
    # What grows is the aggregate's matrices and Dask's bookkeeping of each task; holding
    # the sessions' reports would cost several times their JSON size per session.
    assert added < 2 * report_size
