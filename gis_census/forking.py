"""Worker processes forked from this one: when a process may fork, and a pool whose workers share its pages."""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

__all__ = ["may_fork", "forked_pool"]


def may_fork() -> bool:
    """Whether this process may fork workers: the platform forks, and this is the main thread (a child forked from
    another thread, such as the app's job thread, could inherit a lock some thread held)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.current_thread() is threading.main_thread()


@contextmanager
def forked_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `workers` forked processes, each inheriting what this one holds (nothing pickled to them). The
    collector's objects are frozen meanwhile, so the workers' collectors leave the inherited ones alone and
    their pages stay shared."""
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield pool
    finally:
        gc.unfreeze()
