"""A real Dask cluster for the fleet tests: `dask scheduler` and `dask worker` processes
on 127.0.0.1, started with bounded waits and always stopped."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

DASK = str(Path(sys.executable).parent / "dask")
REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60


class DaskCluster:
    def __init__(self, folder: Path):
        self.folder = folder
        self.scheduler_file = folder / "scheduler.json"
        self.processes: list[subprocess.Popen] = []
        self.address = ""

    def _start(self, *args: str) -> subprocess.Popen:
        # As docs/fleet.md recommends: one task on a worker at a time.
        environment = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0"}
        log = open(self.folder / f"dask-{len(self.processes)}.log", "wb")
        # A session of its own, so that stopping it also stops a worker's nanny's child.
        process = subprocess.Popen([DASK, *args], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   cwd=self.folder, start_new_session=True, env=environment)
        log.close()
        self.processes.append(process)
        return process

    def start_scheduler(self) -> None:
        self._start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                    "--scheduler-file", str(self.scheduler_file))
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                self.address = json.loads(self.scheduler_file.read_text())["address"]
                return
            except (OSError, ValueError, KeyError):
                time.sleep(0.1)
        raise RuntimeError(f"dask scheduler did not start in {START_TIMEOUT}s: {self.log()}")

    def add_worker(self) -> None:
        self._start("worker", "--scheduler-file", str(self.scheduler_file), "--host", "127.0.0.1",
                    "--nthreads", "1", "--no-dashboard", "--local-directory", str(self.folder))

    def wait_for_workers(self, count: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(count, timeout=START_TIMEOUT)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-2000:] for p in sorted(self.folder.glob("dask-*.log")))


@contextmanager
def dask_cluster(folder: Path, workers: int = 2):
    folder.mkdir(parents=True, exist_ok=True)
    cluster = DaskCluster(folder)
    try:
        cluster.start_scheduler()
        for _ in range(workers):
            cluster.add_worker()
        cluster.wait_for_workers(workers)
        yield cluster
    finally:
        cluster.stop()
