"""Memory housekeeping for the county-scale jobs: what threads freed handed back to the system, and no
collector passes over millions of objects that hold no cycles."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["return_freed_memory", "collector_paused"]

_MALLOC_TRIM = getattr(ctypes.CDLL(ctypes.util.find_library("c")), "malloc_trim", None) \
    if sys.platform.startswith("linux") else None


def return_freed_memory() -> None:
    """Hand back to the system what threads freed: glibc keeps it in each thread's own arena, where the work
    that follows on another thread cannot reuse it."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block without the cyclic garbage collector, which then collects once.

    A check of 100,000 small areas makes some hundred thousand problems and millions of small arrays, tuples
    and texts, none in a cycle; each of the collector's passes walks all of them, and they cost the check 2 s
    of its 14 (and its forked workers, which inherit the pause, as much)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
