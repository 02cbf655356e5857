"""Buildings are checked a batch at a time: held in memory (threads), read from the file by forked processes
each reading its own parts, or read here in turn where a process cannot fork (a job thread of the app). The
answer must not change, nor its order, nor the names given to the buildings."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from gis_census.checks import buildings as building_checks
from gis_census.checks import check_project, scan
from gis_census.errors import ProjectError
from gis_census.project import CensusProject

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "demo_township.gpkg"


@pytest.fixture(scope="module")
def serial():
    problems = check_project(CensusProject.open(SAMPLE))
    assert any(p.kind == "building_split" for p in problems)
    assert all(p.names for p in problems if p.layer == "buildings")
    return problems


def _forks(monkeypatch) -> list:
    """The calls of the forked path, recorded."""
    calls: list = []
    forked = scan._forked
    monkeypatch.setattr(scan, "_forked", lambda *args: calls.append(args) or forked(*args))
    return calls


def test_batches_held_in_memory_find_the_same_problems_in_the_same_order(monkeypatch, serial):
    monkeypatch.setattr(building_checks, "_BATCH", 100)  # the sample's 5,655 buildings in 57 batches
    forks = _forks(monkeypatch)
    assert check_project(CensusProject.open(SAMPLE)) == serial
    assert not forks


def test_parts_read_by_forked_processes_find_the_same_problems_in_the_same_order(monkeypatch, serial):
    monkeypatch.setattr(building_checks, "_BATCH", 100)
    forks = _forks(monkeypatch)
    assert check_project(CensusProject.open(SAMPLE, lazy=True)) == serial
    assert len(forks) == 1 and len(forks[0][0].parts) == 57


def test_parts_read_in_a_job_thread_find_the_same_problems_in_the_same_order(monkeypatch, serial):
    monkeypatch.setattr(building_checks, "_BATCH", 100)
    forks = _forks(monkeypatch)
    found: list = []
    job = threading.Thread(target=lambda: found.append(check_project(CensusProject.open(SAMPLE, lazy=True))))
    job.start()
    job.join()
    assert found == [serial]
    assert not forks  # a thread other than the main one never forks


def test_a_part_a_worker_cannot_read_is_told_as_the_layer_unreadable(monkeypatch, tmp_path):
    monkeypatch.setattr(building_checks, "_BATCH", 1_000)
    read = scan.read_batches

    def failing(path, name, fields, size, fids=None):
        if fids is not None and fids[0] > 3_000:  # a part in the middle of the file, read by a worker
            raise OSError("disk I/O error")
        return read(path, name, fields, size, fids=fids)

    monkeypatch.setattr(scan, "read_batches", failing)
    with pytest.raises(ProjectError) as caught:
        check_project(CensusProject.open(SAMPLE, lazy=True))
    assert caught.value.key == "project_layer_unreadable"
    assert "buildings" in str(caught.value) and "disk I/O error" in str(caught.value)
