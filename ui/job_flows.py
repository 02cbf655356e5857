"""JobFlows: the main window's long engine jobs — dividing, renumbering, checking everything, writing maps
and lists — each on a snapshot in the background, behind a progress dialog with Cancel."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from gis_census.checks import check_project
from gis_census.editing import divide_districts_edit, divide_edit, renumber_edit, update_edit
from gis_census.editing.buildings import name_of
from gis_census.importing import ImportOptions, build_project
from gis_census.lists import write_lists
from gis_census.maps import make_maps
from ui.tasks import run_job

__all__ = ["JobFlows", "build_and_save"]


def build_and_save(options: ImportOptions, path: Path, feedback) -> Path | None:
    """``gis-census new``: the project built from `options` and saved at `path`; None when `feedback` was
    canceled, with no file left (a refusal raises before anything is written; the save is atomic)."""
    project, _notices = build_project(options)
    feedback.set_progress(60)
    if feedback.is_canceled():
        return None
    existed = path.exists()
    project.save(path)
    if feedback.is_canceled() and not existed:  # canceled during the save: no file left behind
        path.unlink(missing_ok=True)
        return None
    feedback.set_progress(100)
    return path


class JobFlows(QObject):
    """Starts the window's background jobs; the running ones are kept in ``window.jobs`` until they end."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window

    @property
    def document(self):
        return self.window.document

    def build_project(self, options: ImportOptions, path: Path) -> None:
        """Build a new project from `options` (``gis-census new``) and save it at `path`, in the background;
        then open it. A refusal or a Cancel before the save leaves no file (the save itself is atomic)."""

        def done(saved) -> None:
            if saved is not None and self.window.files.open_project(saved):
                self.window.statusBar().showMessage(self.tr("Created {path}").format(path=saved), 10000)

        job = run_job(self.window, self.tr("Creating the project…"), lambda feedback: build_and_save(options, path, feedback),
                      done,
                      lambda message: self.window.report_error(self.tr("New Project"), message),
                      on_finished=lambda: self.window.jobs.remove(job) if job in self.window.jobs else None)
        self.window.jobs.append(job)

    def divide_selected_district(self) -> None:
        """Auto-Divide, in the background, as one undoable step: the district of the selected small area, else
        the district picked on the map, else what the user chooses (the whole township, a village, a district)."""
        if self.document is None:
            return
        codes = self.window.division_scope()
        if not codes:
            return
        areas = self.document.project["small_areas"]
        divided = sorted(set(codes) & set(areas["district_code"]))
        if divided:  # the enumerators may hold maps already: keeping what is valid is offered first
            choice = self.window.ask_divide_or_update(len(divided))
            if choice == "update":
                self.update_division(codes)
                return
            if choice != "divide":
                return
        if len(codes) == 1:
            self.divide_district(codes[0])
        else:
            self.divide_districts(codes)

    def divide_district(self, district: str) -> None:
        """Divide one district as one undoable step."""
        snapshot = self.document.snapshot()

        def done(outcome) -> None:
            edit, result = outcome
            if result is None:  # cancelled
                return
            self.window.canvas.set_picked_district("")  # divided: its small areas are picked from now on
            self.document.push(edit)
            self.window.statusBar().showMessage(self.tr(
                "District {code}: {n} small areas, {w20} within ±20 % of the target, longest walk {walk} km").format(
                code=district, n=result.areas, w20=f"{result.within_20:.0%}",
                walk=f"{max(result.walk_m, default=0) / 1000:.1f}"), 15000)
            self._report_over_limit(result.over_limit_buildings)

        self.start(self.tr("Dividing district {code}…").format(code=district),
                   lambda feedback: divide_edit(snapshot, district, feedback=feedback), done)

    def divide_districts(self, codes: list[str]) -> None:
        """Divide several districts (a village's, the township's) as one undoable step; Cancel leaves all as they were."""
        snapshot = self.document.snapshot()

        def done(outcome) -> None:
            edit, results = outcome
            if not results:  # cancelled
                return
            self.window.canvas.set_picked_district("")
            self.document.push(edit)
            areas = sum(r.areas for r in results)
            within = sum(r.within_20 * r.areas for r in results) / areas if areas else 0.0
            self.window.statusBar().showMessage(self.tr(
                "{d} districts: {n} small areas, {w20} within ±20 % of the target").format(
                d=len(results), n=areas, w20=f"{within:.0%}"), 15000)
            self._report_over_limit([b for r in results for b in r.over_limit_buildings])

        self.start(self.tr("Dividing {n} districts…").format(n=len(codes)),
                   lambda feedback: divide_districts_edit(snapshot, codes, feedback=feedback), done)

    def _report_over_limit(self, ids: list[int]) -> None:
        if ids:
            self.window.report_error(self.tr("Auto-Divide"), self.tr(
                "Buildings {ids} have more residents than a small area may hold; each is an area of its own. "
                "Divide them by stairwell or have the county approve them.").format(
                ids=", ".join(self._building_names(ids))))

    def _building_names(self, ids: list[int]) -> list[str]:
        """The one names of buildings `ids` (:func:`gis_census.editing.buildings.name_of`)."""
        buildings = self.document.project["buildings"]
        return [name_of(row) for _, row in buildings[buildings["id"].isin(ids)].iterrows()]

    def update_division(self, districts: list[str] | None = None) -> None:
        """Bring the division back into the population band changing only where it must (``divide --update``):
        the `districts` given, else the selected area's district, else every district that needs it; one
        undoable step."""
        if self.document is None:
            return
        if not districts:
            district = self.window.selected_district()
            districts = None if district is None else [district]
        snapshot = self.document.snapshot()

        def done(outcome) -> None:
            edit, report = outcome
            if report.canceled:
                return
            self.document.push(edit)
            self.window.statusBar().showMessage(self.tr(
                "Division updated: {areas} small areas changed, {buildings} buildings renumbered, the rest as it was").format(
                areas=len(report.areas), buildings=len(report.buildings)), 15000)
            left = sorted(code for codes in report.still_outside.values() for code in codes)
            if left:
                self.window.report_error(self.tr("Update Division"), self.tr(
                    "Small areas still outside the population band (no division of the land free to change does "
                    "better; lock or edit by hand): {codes}").format(codes=", ".join(left)))

        self.start(self.tr("Updating the division…"),
                   lambda feedback: update_edit(snapshot, districts, feedback=feedback), done)

    def renumber(self) -> None:
        """Renumber small areas and buildings (the selected area's district, else all) as one undoable step."""
        if self.document is None:
            return
        district = self.window.selected_district()
        snapshot = self.document.snapshot()
        self.start(self.tr("Renumbering…"), lambda feedback: renumber_edit(snapshot, None if district is None else [district]))

    def check_everything(self) -> None:
        """Check the whole project in the background; the result replaces the problems list unless the
        data changed meanwhile (then the live checks of the edited districts are newer)."""
        if self.document is None:
            return
        snapshot = self.document.snapshot()
        self.start(self.tr("Checking…"), lambda feedback: check_project(snapshot), self.document.set_problems, stale="drop")

    def export_lists(self) -> None:
        """Write the area list and building lists (.xlsx, or .csv pairs) in the background."""
        if self.document is None:
            return
        path = self.document.project.path
        start = str(path.with_suffix(".xlsx")) if path else os.getcwd()
        chosen, _ = QFileDialog.getSaveFileName(self.window, self.tr("Export Area Lists"), start,
                                                self.tr("Excel workbook (*.xlsx);;CSV (*.csv)"))
        if chosen:
            self.export_lists_to(Path(chosen))

    def export_maps(self, kind: str) -> None:
        """Ask for a folder and write maps of `kind` there in the background."""
        if self.document is None:
            return
        path = self.document.project.path
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("Export Maps To"), str(path.parent) if path else os.getcwd())
        if folder:
            self.export_maps_to(Path(folder), kind)

    def export_maps_to(self, folder: Path, kind: str) -> None:
        """Write maps of `kind` (small-area, district, township, atlas) for the selection, else for everything."""
        selection = self.window.canvas.selection
        district = self.window.selected_district() if kind in ("district", "atlas") else None
        small_area = selection[0] if kind == "small-area" and len(selection) == 1 else None
        snapshot = self.document.snapshot()
        self.start(self.tr("Drawing maps…"),
                   lambda feedback: make_maps(snapshot, folder, kind=kind, district=district, small_area=small_area,
                                              one_file=kind == "atlas", feedback=feedback),
                   lambda written: self.window.statusBar().showMessage(
                       self.tr("Wrote {n} PDF files to {folder}").format(n=len(written), folder=folder), 10000),
                   stale="deliver")

    def export_lists_to(self, path: Path) -> None:
        snapshot = self.document.snapshot()
        self.start(self.tr("Writing the lists…"), lambda feedback: write_lists(snapshot, path),
                   lambda written: self.window.statusBar().showMessage(
                       self.tr("Wrote {files}").format(files=", ".join(str(p) for p in written)), 10000),
                   stale="deliver")

    def start(self, title: str, work, on_done=None, stale: str = "report") -> None:
        """Run `work(feedback)` on a snapshot in the background; `on_done` (default: push the Edit it returns)
        gets the result. When the data changed meanwhile the result is stale: `stale` says whether to
        "report" that (and drop it), "drop" it quietly, or "deliver" it anyway (files written from the snapshot)."""
        window, document = self.window, self.document
        version = document.history.version
        on_done = on_done or document.push

        def finished(result) -> None:
            current = document is window.document and document.history.version == version
            if current or stale == "deliver":
                on_done(result)
            elif stale == "report":
                window.report_error(title, self.tr("The data changed while the job ran; run it again."))

        # The job is forgotten when it ends; connected before it starts, as a short job may end at once
        # (it did under load, and the window then waited for it for ever).
        job = run_job(window, title, work, finished, lambda message: window.report_error(title, message),
                      on_finished=lambda: window.jobs.remove(job) if job in window.jobs else None)
        window.jobs.append(job)
