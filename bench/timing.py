"""Shared by the benchmark scripts: wall times of repeated runs."""

from __future__ import annotations

import time


def timed(fn, repeat: int) -> list[float]:
    """Seconds taken by each of `repeat` calls of `fn`."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times
