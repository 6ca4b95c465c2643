"""Worker processes for ``scan --jobs``: the records' stateless work (``scanner.stateless``:
decoding, personal data, page parsing, the stateless checks) spread over a pool, and
handed back in input order for the in-order work, which stays in the scan's own process.

This process reads the inputs and sends their records in chunks of consecutive records
of one input; at most a few chunks per worker are in flight, so memory stays flat however
long the capture. A worker killed while preparing a chunk (the OOM killer) costs that
chunk's records only: the chunks the pool had not finished are prepared again, each in a
worker of its own.
"""
from __future__ import annotations

import copyreg
import signal
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from functools import lru_cache

from mitmproxy import certs

from appaudit.scanner.check import add_checks_dir
from appaudit.scanner.failures import describe
from appaudit.scanner.loading import FlowRecord, PageRecord, Read
from appaudit.scanner.stateless import PreparedRecord, StatelessWork, not_prepared

# A chunk holds at most this many records, and stops growing past this many bytes.
CHUNK_RECORDS = 16
CHUNK_BYTES = 4 * 2**20
# Chunks in flight per worker: one being prepared, one waiting.
CHUNKS_PER_WORKER = 2

KILLED = "its worker process was killed (out of memory?)"

# Records travel between processes pickled; the TLS certificates on a flow's connections
# wrap objects that do not pickle, so they travel as PEM.
copyreg.pickle(certs.Cert, lambda cert: (certs.Cert.from_pem, (cert.to_pem(),)))

# An input's position in the scan, paired with what reading it gave.
Numbered = tuple[int, Read]
# How a worker builds the stateless work of an input: (settings, path, kind) -> StatelessWork.
WorkFactory = Callable[[object, str, str], StatelessWork]


@contextmanager
def prepared_ahead(reads: Iterator[Numbered], files: list[tuple[str, str]], settings, make_work: WorkFactory,
                   jobs: int) -> Iterator[Iterator[tuple[int, Read, PreparedRecord | None]]]:
    """``reads`` (of ``files``, in order), each with its record's stateless work done by
    ``jobs`` worker processes; with one job, none is done (the caller does it in turn)."""
    if jobs <= 1:
        yield ((position, read, None) for position, read in reads)
        return
    workers = _Workers(settings, make_work, jobs)
    try:
        yield workers.prepared(reads, files)
    except BaseException:  # Ctrl-C above all: do not wait for the chunks under way
        workers.stop(now=True)
        raise
    workers.stop()


class _Workers:
    def __init__(self, settings, make_work: WorkFactory, jobs: int):
        self.settings = settings
        self.make_work = make_work
        self.jobs = jobs
        self.pool = self._pool(jobs)

    def _pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                                   initargs=(self.settings, self.make_work))

    def prepared(self, reads: Iterator[Numbered], files: list[tuple[str, str]]
                 ) -> Iterator[tuple[int, Read, PreparedRecord | None]]:
        window: deque[tuple[list[Numbered], ProcessPoolExecutor, Future | None]] = deque()
        for chunk in _chunks(reads):
            records = _records(chunk)
            path, kind = files[chunk[0][0]]
            future = self._submit(path, kind, records) if records else None
            window.append((chunk, self.pool, future))
            if len(window) >= self.jobs * CHUNKS_PER_WORKER:
                yield from self._results(*window.popleft(), files)
        while window:
            yield from self._results(*window.popleft(), files)

    def _submit(self, path: str, kind: str, records: list) -> Future:
        try:
            return self.pool.submit(_prepare_chunk, path, kind, records)
        except BrokenProcessPool:  # a worker was killed since the last chunk went out
            self._renew(self.pool)
            return self.pool.submit(_prepare_chunk, path, kind, records)

    def _renew(self, broken: ProcessPoolExecutor) -> None:
        """A new pool for the chunks still to come, unless one replaced ``broken`` already."""
        if broken is self.pool:
            broken.shutdown(wait=False)
            self.pool = self._pool(self.jobs)

    def _results(self, chunk: list[Numbered], pool: ProcessPoolExecutor, future: Future | None,
                 files: list[tuple[str, str]]) -> Iterator[tuple[int, Read, PreparedRecord | None]]:
        path, kind = files[chunk[0][0]]
        prepared = iter(self._outcome(pool, future, path, kind, _records(chunk)) if future else ())
        for position, read in chunk:
            yield position, read, next(prepared) if read.record is not None else None

    def _outcome(self, pool: ProcessPoolExecutor, future: Future, path: str, kind: str,
                 records: list) -> list[PreparedRecord]:
        try:
            return future.result()
        except BrokenProcessPool:
            # A worker was killed: every chunk its pool had not finished fails with it.
            self._renew(pool)
            return self._alone(path, kind, records)
        except Exception as e:  # results that could not come back cost their records only
            return [not_prepared(record, f"its worker process failed ({describe(e)})") for record in records]

    def _alone(self, path: str, kind: str, records: list) -> list[PreparedRecord]:
        """A chunk prepared in a worker of its own: lost only if it kills that worker too."""
        try:
            with self._pool(1) as lone:
                return lone.submit(_prepare_chunk, path, kind, records).result()
        except BrokenProcessPool:
            return [not_prepared(record, KILLED) for record in records]

    def stop(self, *, now: bool = False) -> None:
        if now:
            # ProcessPoolExecutor has no public way to end its workers before Python 3.14.
            for process in list((self.pool._processes or {}).values()):  # noqa: SLF001
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)


def _chunks(reads: Iterator[Numbered]) -> Iterator[list[Numbered]]:
    """Consecutive reads of one input: up to CHUNK_RECORDS records or CHUNK_BYTES, and
    the end of an input closes its last chunk."""
    chunk: list[Numbered] = []
    size = 0
    for numbered in reads:
        record = numbered[1].record
        chunk.append(numbered)
        size += record.size if record is not None else 0
        if record is None or len(chunk) == CHUNK_RECORDS or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _records(chunk: list[Numbered]) -> list[FlowRecord | PageRecord]:
    return [read.record for _, read in chunk if read.record is not None]


# --- in the worker processes ---------------------------------------------------------

_worker: dict = {}


def _start_worker(settings, make_work: WorkFactory) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the scan's own process to handle
    for folder in settings.checks_dirs:
        add_checks_dir(folder)
    _worker.update(settings=settings, make_work=make_work)


@lru_cache(maxsize=8)
def _work(path: str, kind: str) -> StatelessWork:
    return _worker["make_work"](_worker["settings"], path, kind)


def _prepare_chunk(path: str, kind: str, records: list) -> list[PreparedRecord]:
    work = _work(path, kind)
    return [work.prepare(record) for record in records]
