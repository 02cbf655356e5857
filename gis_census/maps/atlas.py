"""make_maps: choose the maps asked for, plan and draw them in parallel processes, merge them with bookmarks."""

from __future__ import annotations

import math
import multiprocessing
import os
import shutil
import sys
import tempfile
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from gis_census.errors import CensusError
from gis_census.maps.basemap import Basemap
from gis_census.maps.context import MapContext
from gis_census.maps.jobs import MapJob, MapMaker, draw_task, init_worker, worker_payload
from gis_census.maps.layout import PAPERS
from gis_census.maps.render import PageNumbers
from gis_census.outputs import CODE_DIGITS, atomic_file, code_for_file_name, path_inside, write_failed

if TYPE_CHECKING:
    from pypdf import PdfWriter
    from pypdf.generic import IndirectObject

__all__ = ["make_maps", "KINDS", "Document", "plan_documents"]

KINDS = ("small-area", "district", "township", "atlas")
#: Below this many maps they are drawn in this process: starting workers and sending them the
#: project costs about what they save (the sample's 104 maps, 182 pages: 4.9 s in this process,
#: 4.7 s on two workers, on a busy machine; see ``bench/maps_bench.py``).
PARALLEL_MIN_MAPS = 150
#: At most this many maps in one worker task: the last tasks finish close together (a part file
#: embeds its own font subset, so parts are not made smaller than they need be).
MAX_CHUNK = 32


@dataclass
class Document:
    """One output PDF: its file name, and its maps in order, each with its bookmark (title, level)."""

    name: str
    maps: list[tuple[MapJob, str, int]] = field(default_factory=list)

    def add(self, job: MapJob, title: str, level: int) -> None:
        self.maps.append((job, title, level))

    @property
    def jobs(self) -> list[MapJob]:
        return [job for job, _, _ in self.maps]


def _as_set(value) -> set[str] | None:
    if value is None:
        return None
    return {value} if isinstance(value, str) else {str(v) for v in value}


def plan_documents(ctx: MapContext, kind: str, district=None, small_area=None, one_file: bool = False) -> list[Document]:
    """The documents :func:`make_maps` writes, and the maps in each (chosen, not yet planned)."""

    if kind not in KINDS:
        raise CensusError("map_unknown_kind", kind=kind)
    districts, areas = _as_set(district), _as_set(small_area)
    a_codes, a_district = ctx.areas["code"].astype(str), ctx.areas["district_code"].astype(str)
    chosen = np.ones(len(a_codes), bool)
    if districts is not None:
        chosen &= np.isin(a_district, list(districts))
    if areas is not None:
        chosen &= np.isin(a_codes, list(areas))
    d_codes = ctx.districts["code"].astype(str)
    d_chosen = np.isin(d_codes, list(districts)) if districts is not None else np.ones(len(d_codes), bool)
    if areas is not None:
        d_chosen &= np.isin(d_codes, a_district[chosen])
    area_order = np.flatnonzero(chosen)
    area_order = area_order[np.argsort(a_codes[area_order], kind="stable")]
    d_order = np.flatnonzero(d_chosen)
    d_order = d_order[np.argsort(d_codes[d_order], kind="stable")]
    if (kind == "small-area" and not len(area_order)) or (kind in ("district", "atlas") and not len(d_order)):
        what = ", ".join(sorted((districts or set()) | (areas or set()))) or kind
        raise CensusError("map_nothing", what=what)

    def area_map(i) -> tuple[MapJob, str]:
        return MapJob("small_area", int(i)), ctx.tr("map_bookmark_small_area", code=a_codes[i])

    def district_map(j) -> tuple[MapJob, str]:
        return MapJob("district", int(j)), ctx.tr("map_bookmark_district", code=d_codes[j], name=ctx.districts["name"][j])

    def index_map() -> tuple[MapJob, str]:
        return MapJob("township"), ctx.tr("map_bookmark_index", name=ctx.place_prefix).strip()

    scope = _scope(ctx, districts, areas)
    docs: list[Document] = []
    if kind in ("small-area", "district"):
        many, one, order, map_of, codes = (
            ("small_areas", "small_area", area_order, area_map, a_codes) if kind == "small-area"
            else ("districts", "district", d_order, district_map, d_codes))
        # File names are made of codes from the project: each is checked before any page is drawn.
        names = [f"{one}_{code_for_file_name(codes[i], one)}.pdf" for i in order] if not one_file else []
        single = Document(f"{many}_{scope}.pdf")
        for n, i in enumerate(order):
            doc = single if one_file else Document(names[n])
            doc.add(*map_of(i), 0)
            if not one_file:
                docs.append(doc)
        if one_file:
            docs.append(single)
    elif kind == "township":
        doc = Document(f"township_{_project_code(ctx) or 'map'}.pdf")
        doc.add(*index_map(), 0)
        docs.append(doc)
    else:  # atlas: index pages first, then each district map followed by its small areas
        doc = Document(f"atlas_{scope}.pdf")
        if districts is None and areas is None:
            doc.add(*index_map(), 0)
        for j in d_order:
            doc.add(*district_map(j), 0)
            for i in area_order[a_district[area_order] == d_codes[j]]:
                doc.add(*area_map(i), 1)
        docs.append(doc)
    return docs


def _scope(ctx, districts, areas) -> str:
    """The code naming a file of several maps (digits only, see :func:`code_for_file_name`)."""
    if areas and len(areas) == 1:
        return code_for_file_name(next(iter(areas)), "small_area")
    if districts and len(districts) == 1:
        return code_for_file_name(next(iter(districts)), "district")
    return _project_code(ctx) or "all"


def _project_code(ctx) -> str:
    """The code naming a file of the whole project: its township code, or a county project's 6-digit code."""
    code = ctx.meta.township_code
    if not code:
        return ""
    return code_for_file_name(code, "county" if len(code) == CODE_DIGITS["county"] else "township")


def make_maps(project, out_dir, kind: str = "small-area", district=None, small_area=None, paper: str = "A4",
              one_file: bool = False, feedback=None, workers: int | None = None, lang: str | None = None,
              basemap: str | os.PathLike | None = None) -> list[Path]:
    """Write print-ready PDF maps of `project` into `out_dir`; return the files written.

    kind : "small-area" (普查小区图, one file per small area, or one file with ``one_file``),
        "district" (普查区图), "township" (index map of districts) or "atlas" (index pages first,
        then each district map followed by its small-area maps, bookmarked; the whole township,
        or the districts / small areas named).
    district, small_area : a code or codes to restrict the maps to (default: all).
    paper : "A4", "A3", or "auto" (A3 only where A4 needs a scale smaller than 1:5,000).
    feedback : told the progress; when it reports a cancel the job stops between pages,
        removes the files it had not finished, and returns those it had.
    workers : processes planning and drawing the maps (default: the CPUs, at most 8, from
        PARALLEL_MIN_MAPS maps on; 1 draws in this process). Each worker is sent, once, the part of
        the project its maps show.
    lang : language of the map texts (default: the current language).
    basemap : a raster GDAL reads (a GeoTIFF orthophoto), drawn lightened under every map (small-area,
        district, township and their enlargements), its name and date in the legend of each.

    File names are made of codes, refused (CensusError, exit 2, the code named) unless they are the
    digits of their kind; nothing is written outside `out_dir`. A failed write (a full disk) is a
    CensusError naming the file and the free space; it leaves no partial file and no temporary
    folder (documents finished before it stay, whole).
    """
    if paper not in (*PAPERS, "auto"):
        raise ValueError(f"unknown paper {paper!r}: use A4, A3 or auto")
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_failed(out_dir, exc) from None
    ctx = MapContext(project, lang, None if basemap is None else Basemap(basemap, project.crs))
    docs = plan_documents(ctx, kind, district, small_area, one_file)
    if feedback is not None and feedback.is_canceled():
        return []
    for doc in docs:  # the last guard: nothing is ever written outside out_dir
        path_inside(out_dir, doc.name)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=".maps-", dir=out_dir))
    except OSError as exc:
        raise write_failed(out_dir / docs[0].name, exc) from None
    total = sum(len(d.maps) for d in docs)
    if workers is None:  # automatic: workers only where they pay
        workers = min(os.cpu_count() or 1, 8) if total >= PARALLEL_MIN_MAPS else 1
    if workers > 1:
        _start_workers_server()  # it imports its modules while this process prepares the maps
    try:
        return _render(MapMaker(ctx, paper), docs, out_dir, tmp, feedback, workers)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _tasks(docs: list[Document], tmp: Path, workers: int) -> list[tuple[int, Path, list[MapJob]]]:
    """(document index, part file, maps) to draw, in output order; big documents cut into chunks."""
    total = sum(len(d.maps) for d in docs)
    chunk = min(max(2, math.ceil(total / (workers * 4))), MAX_CHUNK) if workers > 1 else max(total, 1)
    tasks = []
    for k, doc in enumerate(docs):
        if len(docs) > 1 and len(doc.maps) <= chunk:
            tasks.append((k, tmp / f"{k:05d}.pdf", doc.jobs))
            continue
        for start in range(0, len(doc.maps), chunk):
            tasks.append((k, tmp / f"{k:05d}-{start:06d}.pdf", doc.jobs[start:start + chunk]))
    return tasks


def _render(maker: MapMaker, docs: list[Document], out_dir: Path, tmp: Path, feedback, workers: int) -> list[Path]:
    total = sum(len(d.maps) for d in docs)
    cancel_file = str(tmp / "cancel")
    tasks = _tasks(docs, tmp, workers)
    parts: dict[int, _Joined] = {}  # the documents begun
    drawn = 0
    written: list[Path] = []
    pending_docs = {k: sum(1 for t in tasks if t[0] == k) for k in range(len(docs))}

    def progress(maps: int) -> None:
        nonlocal drawn
        drawn += maps
        if feedback is not None:
            feedback.set_progress(95.0 * drawn / max(total, 1))

    def finished(k: int, path: Path, pages: list[int]) -> None:
        """Take a part, in output order: joined to its document at once (while the workers draw
        the next parts), the document written once its last part is in."""
        if k not in parts:
            parts[k] = _Joined(docs[k], maker.ctx)
        parts[k].add(path, pages)
        pending_docs[k] -= 1
        if pending_docs[k] == 0:
            written.append(parts.pop(k).finish(out_dir))

    def canceled() -> bool:
        return feedback is not None and feedback.is_canceled()

    if workers <= 1:
        for k, path, jobs in tasks:
            try:
                pages = maker.draw(jobs, path, stop=canceled, done=lambda _: progress(1))
            except OSError as exc:  # a full disk: the part lies in tmp, which make_maps removes
                raise write_failed(out_dir / docs[k].name, exc) from None
            if len(pages) < len(jobs):  # canceled
                break
            finished(k, path, pages)
    else:
        payload, jobs_there = worker_payload(maker.ctx, maker.paper, [job for t in tasks for job in t[2]],
                                             maker.by_area)
        renumbered = iter(jobs_there)
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=_mp_context(),
                                 initializer=init_worker, initargs=(payload,)) as pool:
            futures = {pool.submit(draw_task, ([next(renumbered) for _ in jobs], str(path), cancel_file)): (order, k, path)
                       for order, (k, path, jobs) in enumerate(tasks)}
            done_results = {}
            next_order = 0
            remaining = set(futures)

            def stop_workers() -> None:
                try:
                    Path(cancel_file).touch()
                except OSError:  # a disk too full even for an empty file: the cancels below still stop them
                    pass
                for future in remaining:
                    future.cancel()
                wait(remaining)

            try:
                while remaining:
                    done, remaining = wait(remaining, timeout=0.2, return_when=FIRST_COMPLETED)
                    for future in done:
                        order, k, path = futures[future]
                        try:
                            done_results[order] = (k, path, future.result())
                        except OSError as exc:  # a worker could not write its part (a full disk)
                            raise write_failed(out_dir / docs[k].name, exc) from None
                        progress(len(done_results[order][2]))
                    while next_order in done_results:  # finish documents in output order
                        k, path, pages = done_results.pop(next_order)
                        finished(k, path, pages)
                        next_order += 1
                    if canceled():
                        stop_workers()
                        break
            except BaseException:  # a failed write (or Ctrl+C): the other workers stop before it is told
                stop_workers()
                raise
    if canceled():
        return written
    names = [d.name for d in docs]
    written.sort(key=lambda p: names.index(p.name))
    return written


def _start_workers_server() -> None:
    """Start the server the workers are forked from, if there is one and it is not running: it loads its
    modules (half a second) on its own core, not after the first task is sent."""
    if _mp_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _mp_context():
    """Fresh worker processes: forkserver on Linux (cheap forks of a clean server), spawn elsewhere.
    Plain fork is avoided: the app runs Qt threads that a forked child would inherit half-locked."""
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["gis_census.maps.jobs", "reportlab.pdfgen.canvas", "reportlab.pdfbase.ttfonts",
                                    "matplotlib.colors", "fontTools.ttLib"])
        return ctx
    return multiprocessing.get_context("spawn")


class _Joined:
    """A document's part files joined in order as they come, with a bookmark at each map's first page and,
    when there are several pages, each page numbered "第 n 页 / 共 N 页". Bookmarks and numbers are added as
    each part is joined, while the workers draw the next ones: only the total and the writing wait for the
    last part."""

    def __init__(self, doc: Document, ctx: MapContext):
        self.doc, self.ctx = doc, ctx
        self.parts: list[Path] = []
        self.pages: list[int] = []  # each map's page count
        self.numbers: PageNumbers | None = None  # with the pypdf writer joining the parts, once begun
        self.parents: dict[int, IndirectObject] = {}  # the last bookmark of each level

    def add(self, path: Path, pages: list[int]) -> None:
        self.parts.append(path)
        first_map, first_page = len(self.pages), sum(self.pages)
        self.pages.extend(pages)
        if len(self.doc.maps) > 1 or sum(pages) > 1:  # bookmarks or page numbers to add: pypdf joins the parts
            if self.numbers is None:
                from pypdf import PdfWriter

                self.numbers = PageNumbers(PdfWriter(), lambda n: self.ctx.tr("map_page", page=n),
                                           lambda total: self.ctx.tr("map_page_total", pages=total), self.ctx.regular)
            self.numbers.writer.append(str(path))
            self.numbers.stamp()
            self._bookmark(self.numbers.writer, first_map, first_page)

    def _bookmark(self, writer: PdfWriter, first_map: int, first_page: int) -> None:
        """Bookmark the maps from `first_map` on, the first of them on page `first_page` (from 0)."""
        if len(self.doc.maps) < 2:
            return
        pages = np.cumsum([first_page, *self.pages[first_map:-1]])
        for (_, title, level), page in zip(self.doc.maps[first_map:len(self.pages)], pages):
            self.parents[level] = writer.add_outline_item(title=title, page_number=int(page),
                                                          parent=self.parents.get(level - 1))

    def finish(self, out_dir: Path) -> Path:
        """Write the document into `out_dir` (atomically: a full disk leaves no half-written PDF)."""
        target = path_inside(out_dir, self.doc.name)
        with atomic_file(target) as tmp:
            if self.numbers is None:  # one map, one part
                os.replace(self.parts[0], tmp)
            else:
                self.numbers.finish()
                writer = self.numbers.writer
                writer.add_metadata({"/Creator": "gis-census", "/Title": self.doc.maps[0][1]})
                with open(tmp, "wb") as fh:
                    writer.write(fh)
        return target
