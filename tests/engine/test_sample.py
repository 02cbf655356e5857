"""The sample township: its input files import into a project that other GIS software reads the same."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import fiona
import pytest
from geopandas.testing import assert_geodataframe_equal

from gis_census.cli import main
from gis_census.demo.project import write_township_demo
from gis_census.project import CensusProject
from gis_census.schema import LAYERS

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def test_sample_inputs_import_to_a_project_fiona_and_ogrinfo_count_alike(tmp_path, capsys):
    inputs = SAMPLE / "inputs"
    out = tmp_path / "sample.gpkg"
    rc = main(["new", str(out), "--villages", str(inputs / "villages.shp"), "--buildings", str(inputs / "buildings.gpkg"),
               "--roads", str(inputs / "roads.geojson"), "--water", str(inputs / "water.kml"),
               "--landmarks", str(inputs / "landmarks.geojson"), "--township-name", "白坡镇"])
    assert rc == 0, capsys.readouterr().err
    assert main(["import-areas", str(out), "--small-areas", str(inputs / "small_areas_previous.gpkg")]) == 0
    capsys.readouterr()
    assert main(["info", str(out), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["counts"]["villages"] == 9 and info["counts"]["buildings"] > 5000
    assert 20_000 <= info["population"] <= 40_000
    assert info["buildings_without_small_area"] == 0
    for layer, count in info["counts"].items():
        if count == 0 and not LAYERS[layer].required:
            assert layer not in fiona.listlayers(out)  # optional layers are written only when they hold something
            continue
        with fiona.open(out, layer=layer) as src:
            assert len(src) == count, layer
    with fiona.open(out, layer="villages") as src:
        assert {f["properties"]["name"] for f in src} == {v["name"] for v in info["villages"]}
    ogrinfo = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(out)], capture_output=True, text=True)
    if ogrinfo.returncode == 0:  # GDAL's command-line tools, where installed (CI installs them)
        counts = dict(zip(re.findall(r"Layer name: (\w+)", ogrinfo.stdout), map(int, re.findall(r"Feature Count: (\d+)", ogrinfo.stdout))))
        counts = {k: v for k, v in counts.items() if k in LAYERS}
        assert counts == {k: v for k, v in info["counts"].items() if k in counts}
        assert set(counts) >= {k for k, spec in LAYERS.items() if spec.required}


@pytest.mark.parametrize("layer", list(LAYERS))
def test_committed_sample_matches_its_generator(layer, regenerated):
    committed = CensusProject.open(SAMPLE / "demo_township.gpkg")
    assert_geodataframe_equal(regenerated[layer], committed[layer], check_less_precise=True)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    path, _ = write_township_demo(tmp_path_factory.mktemp("demo"))
    return CensusProject.open(path).layers
