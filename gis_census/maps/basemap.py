"""An imagery basemap under the maps: any raster GDAL reads (a GeoTIFF orthophoto, an imagery tile set),
reprojected to the project's CRS and read for one frame at a time, by window and overview level."""

from __future__ import annotations

import datetime as dt
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from gis_census.errors import CensusError

__all__ = ["Basemap", "LIGHTEN"]

#: The share of white mixed into the imagery, for the numbers over it to stay readable.
LIGHTEN = 0.45


class Basemap:
    """The raster at `path`, opened (in each process) when first read; `source` and `date` for the map's note."""

    def __init__(self, path: str | os.PathLike, crs: str):
        import rasterio

        self.path, self.crs = str(path), crs
        try:
            with warnings.catch_warnings():  # a raster without a geotransform: refused below, not warned about
                warnings.simplefilter("ignore", rasterio.errors.NotGeoreferencedWarning)
                src = rasterio.open(self.path)
            with src:
                if src.crs is None:
                    raise CensusError("map_basemap_no_crs", path=Path(path).name)
                stamp = src.tags().get("TIFFTAG_DATETIME", "")
        except rasterio.errors.RasterioIOError as exc:
            raise CensusError("map_basemap_unreadable", path=Path(path).name, reason=str(exc)) from None
        self.source = Path(path).name
        self.date = stamp[:10].replace(":", "-") if stamp else dt.date.fromtimestamp(Path(path).stat().st_mtime).isoformat()
        self._vrt: Any = None

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "_vrt"} | {"_vrt": None}

    def image(self, rect, width_px: int, height_px: int) -> np.ndarray | None:
        """RGB (height, width, 3) uint8 of the ground rectangle `rect` (xmin, ymin, xmax, ymax, project CRS),
        lightened; None where the raster does not reach. Reads only the window, at the overview level
        nearest the size asked."""
        from rasterio.vrt import WarpedVRT
        from rasterio.windows import from_bounds

        if self._vrt is None:
            import rasterio

            self._vrt = WarpedVRT(rasterio.open(self.path), crs=self.crs)
        vrt = self._vrt
        left, bottom, right, top = vrt.bounds
        if rect[0] >= right or rect[2] <= left or rect[1] >= top or rect[3] <= bottom:
            return None
        # the part of the rectangle the raster covers, read at the pixel size asked, pasted on white
        x0, y0, x1, y1 = max(rect[0], left), max(rect[1], bottom), min(rect[2], right), min(rect[3], top)
        sx, sy = width_px / (rect[2] - rect[0]), height_px / (rect[3] - rect[1])
        c0, c1 = int(round((x0 - rect[0]) * sx)), int(round((x1 - rect[0]) * sx))
        r0, r1 = int(round((rect[3] - y1) * sy)), int(round((rect[3] - y0) * sy))
        if c1 <= c0 or r1 <= r0:
            return None
        bands = [1, 2, 3] if vrt.count >= 3 else [1, 1, 1]
        data = vrt.read(bands, window=from_bounds(x0, y0, x1, y1, transform=vrt.transform),
                        out_shape=(3, r1 - r0, c1 - c0), masked=True)
        part = np.moveaxis(data.astype(np.float32).filled(np.nan), 0, -1)
        if vrt.dtypes[0] != "uint8":  # stretch other types to the bytes printed
            low, high = np.nanpercentile(part, (2, 98))
            part = np.clip((part - low) / max(high - low, 1e-9) * 255, 0, 255)
        rgb = np.full((height_px, width_px, 3), 255.0, np.float32)
        rgb[r0:r1, c0:c1] = np.where(np.isnan(part), 255.0, part)
        return (255 - (255 - rgb) * (1 - LIGHTEN)).astype(np.uint8)
