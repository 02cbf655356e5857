"""`--roads` and `--water` read an OpenStreetMap extract: highway and waterway classes with their names."""

from __future__ import annotations

from pathlib import Path

import pytest

from frames import village_frame
from gis_census.cli import main
from gis_census.errors import InputError
from gis_census.importing.reading import read_vector
from gis_census.project import CensusProject

#: Ways of the extract: (tags, [(x, y) as shares of the villages' extent]).
WAYS = [
    ({"highway": "residential", "name": "建设街"}, [(0.1, 0.5), (0.9, 0.5)]),
    ({"highway": "primary", "name": "People's Road", "name:zh": "人民路"}, [(0.5, 0.1), (0.5, 0.9)]),
    ({"highway": "proposed", "name": "规划路"}, [(0.2, 0.2), (0.8, 0.2)]),  # not on the ground yet
    ({"waterway": "river", "name": "荆河"}, [(0.1, 0.8), (0.9, 0.8)]),
    ({"building": "yes"}, [(0.3, 0.3), (0.31, 0.3), (0.31, 0.31), (0.3, 0.3)]),
]


def osm_extract(path: Path) -> Path:
    """An OSM XML file of WAYS over the test villages, in WGS 84."""
    x0, y0, x1, y1 = village_frame().to_crs(4326).total_bounds
    nodes, ways = [], []
    for w, (tags, points) in enumerate(WAYS, start=1):
        refs = []
        for fx, fy in points:
            key = (fx, fy)
            if key not in [n[0] for n in nodes]:
                nodes.append((key, len(nodes) + 1))
            refs.append(dict(nodes)[key])
        tag_xml = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        nd_xml = "".join(f'<nd ref="{r}"/>' for r in refs)
        ways.append(f'<way id="{w}" version="1">{nd_xml}{tag_xml}</way>')
    node_xml = "".join(f'<node id="{i}" version="1" lat="{y0 + fy * (y1 - y0):.7f}" lon="{x0 + fx * (x1 - x0):.7f}"/>'
                       for (fx, fy), i in nodes)
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">{node_xml}{"".join(ways)}</osm>\n',
                    encoding="utf-8")
    return path


def test_osm_extract_gives_roads_and_water_with_names_and_kinds(inputs, tmp_path, capsys):
    extract = osm_extract(inputs["folder"] / "extract.osm")
    out = tmp_path / "p.gpkg"
    rc = main(["new", str(out), "--villages", str(inputs["villages"]), "--roads", str(extract), "--water", str(extract)])
    assert rc == 0, capsys.readouterr().err
    project = CensusProject.open(out)
    roads = project["roads"].sort_values("name")
    assert list(roads["name"]) == ["人民路", "建设街"] and list(roads["kind"]) == ["primary", "residential"]
    assert list(project["water"]["name"]) == ["荆河"] and list(project["water"]["kind"]) == ["river"]
    width = village_frame().total_bounds[2] - village_frame().total_bounds[0]
    assert roads.length.to_numpy() == pytest.approx([0.8 * width] * 2, rel=0.01)  # in the project's metric CRS


def test_osm_extract_cannot_be_the_villages(tmp_path):
    extract = osm_extract(tmp_path / "extract.osm")
    with pytest.raises(InputError) as caught:
        read_vector(str(extract), "villages")
    assert str(caught.value).startswith(f"OpenStreetMap 文件 {extract} ") and str(caught.value).endswith("不能用作 村/居委会")
