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


class TreeMemory:
    """The peak memory (MiB) of a process and all its descendants together, sampled from outside every
    `interval` seconds while it runs: forked workers count too. Each process counts its proportional set
    size (Pss: a page shared by n processes, as a forked worker shares its parent's, counts 1/n in each)."""

    def __init__(self, pid: int, interval: float = 0.1):
        import threading

        self.pid, self.interval, self.peak = pid, interval, 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak

    def _sample(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, sum(_pss_mib(p) for p in _tree(self.pid)))
            self._done.wait(self.interval)


def _tree(root: int) -> list[int]:
    """`root` and its descendants, from every process's parent in /proc."""
    import os

    parent = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as fh:
                    parent[int(name)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = [root], [root]
    while frontier:
        frontier = [p for p, up in parent.items() if up in frontier]
        tree += frontier
    return tree


def _pss_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0.0
