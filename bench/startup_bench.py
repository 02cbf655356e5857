"""Start-up time of the command line: `gis-census --help` and a refusal made before any work, against bare Python.

Run: .venv/bin/python bench/startup_bench.py [--repeat 10] [--root DIR]
Each figure is the wall time of a fresh `python -m gis_census.cli ...` run from --root (default: this checkout,
so another checkout of the code can be timed in the same run); "python -c pass" is the floor no command beats.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import timed  # bench/timing.py

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose gis_census is timed")
    args = parser.parse_args()
    existing = Path(tempfile.mkdtemp(prefix="startup_bench_")) / "p.gpkg"
    existing.write_bytes(b"")
    runs = {
        "python -c pass": ["-c", "pass"],
        "gis-census --help": ["-m", "gis_census.cli", "--help"],
        "gis-census set P (refused)": ["-m", "gis_census.cli", "set", str(existing)],
    }
    print(f"code from {args.root}")
    for label, argv in runs.items():
        def run(argv=argv) -> None:
            subprocess.run([sys.executable, *argv], cwd=args.root, capture_output=True, check=False)

        times = timed(run, args.repeat)
        print(f"{label:<27} best {min(times):6.3f} s   median {statistics.median(times):6.3f} s   ({len(times)} runs)")


if __name__ == "__main__":
    main()
