"""Progress and cancellation for long engine jobs (as QGIS Processing's feedback): the CLI prints, the app signals."""

from __future__ import annotations

import sys

__all__ = ["Feedback", "TextFeedback"]


class Feedback:
    """Told the progress of a job; asked whether to stop. This base class ignores progress and never cancels."""

    def set_progress(self, percent: float) -> None:
        """The job is `percent` % done."""

    def is_canceled(self) -> bool:
        """Whether the user asked the job to stop."""
        return False


class TextFeedback(Feedback):
    """Progress as a bar on standard error, redrawn in place (only on a terminal)."""

    def __init__(self, label: str, stream=None):
        self.label = label
        self.stream = stream or sys.stderr

    def set_progress(self, percent: float) -> None:
        if not self.stream.isatty():
            return
        filled = int(percent / 5)
        end = "\n" if percent >= 100 else ""
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (20 - filled)}] {percent:5.1f}%{end}")
        self.stream.flush()
