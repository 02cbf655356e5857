"""Engine jobs off the UI thread, with a progress dialog and Cancel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from gis_census.errors import CensusError

__all__ = ["Job", "run_job"]


class _Feedback:
    """The engine's feedback protocol (``set_progress``, ``is_canceled``) bridged to a Qt signal."""

    def __init__(self, job: Job):
        self._job = job

    def set_progress(self, percent: float) -> None:
        self._job.progress.emit(int(percent))

    def is_canceled(self) -> bool:
        return self._job.isInterruptionRequested()


class Job(QThread):
    """Runs ``work(feedback)`` in a thread; `succeeded` carries its result, `failed` a message."""

    progress = Signal(int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[_Feedback], object], parent: QObject | None = None):
        super().__init__(parent)
        self._work = work

    def run(self) -> None:
        try:
            result = self._work(_Feedback(self))
        except CensusError as exc:
            self.failed.emit(exc.message())
            return
        except Exception as exc:  # noqa: BLE001 — shown to the user; the window must survive a failed job
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        if not self.isInterruptionRequested():
            self.succeeded.emit(result)


def run_job(parent: QWidget, title: str, work: Callable[[_Feedback], object],
            on_done: Callable[[object], None], on_error: Callable[[str], None],
            on_finished: Callable[[], None] | None = None) -> Job:
    """Start `work` in a thread behind a progress dialog whose Cancel stops it between steps.

    `on_done` gets the result on the UI thread (not called when cancelled); `on_error` a message;
    `on_finished` is called when the thread has ended, whatever the outcome. Everything is connected
    before the thread starts: a short job can end before the caller's next line runs.
    """
    dialog = QProgressDialog(title, QCoreApplication.translate("Job", "Cancel"), 0, 100, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    job = Job(work, parent)
    job.progress.connect(dialog.setValue)
    dialog.canceled.connect(job.requestInterruption)
    job.succeeded.connect(on_done)
    job.failed.connect(on_error)
    job.finished.connect(dialog.close)
    job.finished.connect(dialog.deleteLater)
    if on_finished is not None:
        job.finished.connect(on_finished)
    job.finished.connect(job.deleteLater)
    job.start()
    return job
