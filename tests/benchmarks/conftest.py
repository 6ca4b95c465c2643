"""Benchmarks measure ratios against a baseline taken in the same run (machines are
noisy); each timing is the best of several repeats."""
import time

import pytest


def best_time(function, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


@pytest.fixture
def timer():
    return best_time
