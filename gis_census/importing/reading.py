"""Read one vector input (GeoPackage, Shapefile, GeoJSON, KML, an OpenStreetMap extract) with errors that name the
file and layer."""

from __future__ import annotations

import codecs
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pyogrio
import pyogrio.errors
import pyproj.exceptions
import shapely
from pyproj import CRS

from gis_census.errors import Finding, InputError
from gis_census.importing.osm import is_osm, read_osm
from gis_census.rules import has_land

__all__ = ["Source", "read_vector", "split_layer"]

# Shapefiles without a .cpg and without a code page in the .dbf are most often GBK in China.
_FALLBACK_ENCODING = "GB18030"


@dataclass
class Source:
    """A layer read from a file: where it came from, its features (index = FID) and notices."""

    path: Path
    layer: str
    gdf: gpd.GeoDataFrame
    notices: list[Finding]
    #: Features whose geometry GDAL returned but could not be read (left missing in `gdf`):
    #: FID -> (GEOS's reason, the geometry as shapely can fix it or None).
    unreadable: dict = field(default_factory=dict)

    def where(self, feature=None, field: str = "") -> dict:
        """Keyword arguments of a Finding located in this source."""
        return {
            "file": str(self.path),
            "layer": self.layer,
            "feature": "" if feature is None else str(feature),
            "field": field,
        }


def split_layer(spec: str) -> tuple[str, str | None]:
    """Split "FILE::LAYER" into its parts (LAYER is None when not given)."""
    if "::" in spec:
        path, layer = spec.rsplit("::", 1)
        return path, layer or None
    return spec, None


def read_vector(spec: str, role: str, *, encoding: str | None = None, assume_crs: str | None = None) -> Source:
    """Read the layer named by `spec` ("FILE" or "FILE::LAYER") for the input `role` ("villages", ...).

    A file with several layers must name one, unless one is called `role`. Refuses, with
    an InputError naming the file, a missing or non-GIS file, an empty layer and a layer
    without a CRS (unless `assume_crs` is given).
    """
    path_text, layer = split_layer(spec)
    path = Path(path_text)
    _check_names(encoding, assume_crs, path)
    # GDAL speaks through Python warnings (on stderr, in English, without the feature): collect them
    # and say what they mean, in the user's language, as notices or findings.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        source = _read_vector(path, layer, role, encoding, assume_crs)
    source.notices += _warning_notices(caught, source)
    return source


def _read_vector(path: Path, layer: str | None, role: str, encoding: str | None, assume_crs: str | None) -> Source:
    if not path.exists():
        raise InputError("input_missing", file=str(path), role=role)
    if is_osm(path):  # one extract holds roads and water: the role picks which
        gdf = read_osm(path, role)
        layer = "lines" if role == "roads" else "lines, multipolygons"
        if gdf.empty:
            raise InputError("empty_layer", file=str(path), layer=layer, role=role)
        return Source(path, layer, gdf, [])
    gdal_path = f"/vsizip/{path}" if path.suffix.lower() == ".zip" else str(path)
    try:
        layers = [str(name) for name in pyogrio.list_layers(gdal_path)[:, 0]]
    except Exception:
        raise InputError("not_gis_file", file=str(path), role=role) from None
    layer = _choose_layer(path, layers, layer, role)
    notices: list[Finding] = []
    gdf = _read(gdal_path, path, layer, encoding, notices)
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError("no_geometry", file=str(path), layer=layer, role=role)
    try:
        # Census maps are 2-D; KML and GPS exports carry heights that would leak into every overlay.
        gdf = gdf.set_geometry(shapely.force_2d(gdf.geometry.array), crs=gdf.crs)
    except Exception as exc:  # never seen; said in the reader's words rather than as an internal error
        raise InputError("read_failed", file=str(path), layer=layer, reason=str(exc)) from None
    source = Source(path, layer, gdf, notices, _unreadable(gdal_path, layer, gdf))
    if gdf.empty:
        raise InputError("empty_layer", file=str(path), layer=layer, role=role)
    missing = ~has_land(gdf.geometry.values)
    if missing.all() and not source.unreadable:
        raise InputError("no_geometries", file=str(path), layer=layer, n=len(gdf))
    if gdf.crs is None:
        if not assume_crs:
            raise InputError("missing_crs", file=str(path), layer=layer)
        source.gdf = gdf.set_crs(assume_crs)
        notices.append(Finding("notice_assumed_crs", **source.where(), params={"crs": assume_crs}))
    return source


def _unreadable(gdal_path: str, layer: str, gdf: gpd.GeoDataFrame) -> dict:
    """Features whose geometry exists in the file but is not readable (e.g. a ring that is not closed).

    The layer is read with on_invalid="ignore", which leaves them missing; their raw WKB says
    why and, where shapely can close a ring, what --repair would use.
    """
    missing = gdf.index[gdf.geometry.isna()]
    if not len(missing):
        return {}
    try:
        _, fids, wkb, _ = pyogrio.raw.read(gdal_path, layer=layer, columns=[], fids=missing.to_numpy(), return_fids=True)
    except Exception:
        return {}
    found = {}
    for fid, blob in zip(fids, wkb):
        if blob is None:
            continue
        try:
            shapely.from_wkb(blob)
            continue
        except Exception as exc:  # GEOSException: the reason in GEOS's words
            reason = str(exc).split(": ", 1)[-1]
        try:
            fixed = shapely.force_2d(shapely.from_wkb(blob, on_invalid="fix"))
        except Exception:
            fixed = None
        found[int(fid)] = (reason, fixed if has_land(fixed) else None)
    return found


# GDAL warnings that findings or notices already cover (the features are named in the findings).
_COVERED_WARNINGS = ("Non closed ring detected",)
_MEASURES_WARNING = "Measured (M) geometry types are not supported"


def _warning_notices(caught: list, source: Source) -> list[Finding]:
    """One notice per distinct warning raised while reading `source` (M values dropped, other GDAL words)."""
    notices: list[Finding] = []
    seen: set[str] = set()
    for w in caught:
        text = str(w.message)
        if any(covered in text for covered in _COVERED_WARNINGS):
            continue
        measures = _MEASURES_WARNING in text
        if (text := "M" if measures else text) in seen:
            continue
        seen.add(text)
        if measures:
            notices.append(Finding("notice_measures_dropped", **source.where()))
        else:
            notices.append(Finding("notice_read_warning", **source.where(), params={"text": text}))
    return notices


def _check_names(encoding: str | None, assume_crs: str | None, path: Path) -> None:
    """Refuse an unknown encoding or CRS before reading, so the message says which."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError("unknown_encoding", file=str(path), encoding=encoding) from None
    if assume_crs:
        try:
            CRS.from_user_input(assume_crs)
        except Exception:
            raise InputError("crs_unknown", crs=assume_crs) from None


def _choose_layer(path: Path, layers: list[str], wanted: str | None, role: str) -> str:
    if wanted is not None:
        if wanted not in layers:
            raise InputError("layer_not_found", file=str(path), layer=wanted, layers=", ".join(layers))
        return wanted
    if len(layers) == 1:
        return layers[0]
    if role in layers:
        return role
    if not layers:
        raise InputError("empty_layer", file=str(path), layer="-", role=role)
    raise InputError("several_layers", file=str(path), layers=", ".join(layers), role=role)


def _read(gdal_path: str, path: Path, layer: str, encoding: str | None, notices: list[Finding]):
    read = lambda enc: pyogrio.read_dataframe(  # noqa: E731
        gdal_path, layer=layer, encoding=enc, fid_as_index=True, on_invalid="ignore"
    )
    try:
        if encoding or not _shapefile_without_codepage(gdal_path, path, layer):
            return read(encoding)
        try:
            return read("UTF-8")
        except UnicodeDecodeError:
            gdf = read(_FALLBACK_ENCODING)
            notices.append(Finding("notice_guessed_gbk", file=str(path), layer=layer))
            return gdf
    except UnicodeDecodeError:
        raise InputError("bad_encoding", file=str(path), layer=layer, encoding=encoding or "UTF-8") from None
    except Exception as exc:
        if _crs_failure(exc):
            raise InputError("crs_unreadable", file=str(path), layer=layer, reason=str(exc)) from None
        raise InputError("read_failed", file=str(path), layer=layer, reason=str(exc)) from None


def _crs_failure(exc: BaseException) -> bool:
    """True when reading failed on the layer's CRS definition (e.g. a damaged .prj)."""
    if isinstance(exc, (pyogrio.errors.CRSError, pyproj.exceptions.CRSError)):
        return True
    tb = exc.__traceback__
    while tb is not None:  # pyogrio fails inside get_crs with other errors too (non-UTF-8 bytes in a .prj)
        if tb.tb_frame.f_code.co_name.endswith("get_crs"):
            return True
        tb = tb.tb_next
    return False


def _shapefile_without_codepage(gdal_path: str, path: Path, layer: str) -> bool:
    """True for a Shapefile whose text encoding GDAL could only guess (no .cpg, no code page)."""
    info = pyogrio.read_info(gdal_path, layer=layer)
    return info.get("driver") == "ESRI Shapefile" and info.get("encoding") == "ISO-8859-1"
