"""Scanning is one streaming pass: peak memory does not grow with the number of flows
(issue 4: consent ordering and the inventory need no buffering). Measured as the ratio
of peak traced memory for a capture four times as long, in one run."""
import tracemalloc

import pytest
from mitmproxy.io import FlowWriter

from appaudit.scanner.engine import ScanSettings, scan_file
from appaudit.scanner.profile_loader import Profile
from tests.benchmarks.test_detection_speed import APP, realistic_flows

pytestmark = pytest.mark.benchmark


def write_capture(path, count):
    with open(path, "wb") as f:
        writer = FlowWriter(f)
        for flow in realistic_flows(count):
            writer.add(flow)
    return str(path)


def peak_memory(path) -> int:
    tracemalloc.start()
    result = scan_file(path, "flows", ScanSettings(profile=Profile.default(), app=APP))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.input.records > 0
    return peak


def test_peak_memory_does_not_grow_with_capture_length(tmp_path):
    short = write_capture(tmp_path / "short.mitm", 100)
    long = write_capture(tmp_path / "long.mitm", 400)
    peak_memory(short)  # warm caches (catalogue, suffix list, regexes) outside the comparison
    ratio = peak_memory(long) / peak_memory(short)
    print(f"\npeak memory ratio for 4x the flows: {ratio:.2f}")
    assert ratio < 1.5
