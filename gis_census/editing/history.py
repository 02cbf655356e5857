"""History: the undo stack of a project's edits, with observers, in the spirit of glue's CommandStack.

The interface (or a script) pushes :class:`Edit`s; the history applies them with :func:`apply_edit`,
undoes and redoes them, remembers which state was saved, and tells its observers what it applied.
"""

from __future__ import annotations

from collections.abc import Callable

from gis_census.editing.edit import Edit, apply_edit
from gis_census.project import CensusProject

__all__ = ["History"]


class History:
    """The edits applied to `project`, the last `index` of them in force (the rest can be redone).

    Observers subscribed with :meth:`subscribe` get the edit actually applied (an undo's is the
    inverse) after every push, undo and redo; those of :meth:`subscribe_clean` get the new clean
    state (True: the project is as saved) whenever it changes.
    """

    def __init__(self, project: CensusProject):
        self.project = project
        self._edits: list[Edit] = []
        self._index = 0
        self._clean: int | None = 0  # the index whose state is saved; None when no state in the history is
        self._version = 0
        self._observers: list[Callable[[Edit], None]] = []
        self._clean_observers: list[Callable[[bool], None]] = []

    def __len__(self) -> int:
        return len(self._edits)

    @property
    def index(self) -> int:
        """How many of the edits are in force (undo lowers it, redo raises it)."""
        return self._index

    @property
    def clean_index(self) -> int | None:
        """The `index` at which the project was last saved; None when no state in the history is the saved one."""
        return self._clean

    @property
    def version(self) -> int:
        """Grows with every edit applied (push, undo or redo): a result computed at another version is stale."""
        return self._version

    # -- observers ---------------------------------------------------------------------------------

    def subscribe(self, observer: Callable[[Edit], None]) -> None:
        """Call `observer(edit)` with the edit applied after every push, undo and redo."""
        self._observers.append(observer)

    def subscribe_clean(self, observer: Callable[[bool], None]) -> None:
        """Call `observer(clean)` whenever the project comes to, or leaves, its saved state."""
        self._clean_observers.append(observer)

    def unsubscribe(self, observer: Callable) -> None:
        """Forget `observer` (of either kind)."""
        for observers in (self._observers, self._clean_observers):
            if observer in observers:
                observers.remove(observer)

    # -- changes -------------------------------------------------------------------------------------

    def push(self, edit: Edit) -> bool:
        """Apply `edit` and make it the next undo step, dropping what could be redone; an empty edit
        changes nothing. True when applied."""
        if edit.is_empty():
            return False
        was_clean = self.is_clean()
        apply_edit(self.project, edit)
        del self._edits[self._index:]
        if self._clean is not None and self._clean > self._index:  # the saved state was undone: out of reach now
            self._clean = None
        self._edits.append(edit)
        self._index += 1
        self._applied(edit, was_clean)
        return True

    def undo(self) -> Edit | None:
        """Undo the last edit in force; the inverse applied, or None when there is nothing to undo."""
        if not self.can_undo():
            return None
        was_clean = self.is_clean()
        edit = self._edits[self._index - 1].inverse()
        apply_edit(self.project, edit)
        self._index -= 1
        self._applied(edit, was_clean)
        return edit

    def redo(self) -> Edit | None:
        """Apply again the first edit undone; that edit, or None when there is nothing to redo."""
        if not self.can_redo():
            return None
        was_clean = self.is_clean()
        edit = self._edits[self._index]
        apply_edit(self.project, edit)
        self._index += 1
        self._applied(edit, was_clean)
        return edit

    def clear(self) -> None:
        """Forget every edit; the project as it is now counts as saved."""
        was_clean = self.is_clean()
        self._edits.clear()
        self._index, self._clean = 0, 0
        self._clean_changed(was_clean)

    def _applied(self, edit: Edit, was_clean: bool) -> None:
        self._version += 1
        for observer in list(self._observers):
            observer(edit)
        self._clean_changed(was_clean)

    # -- state ---------------------------------------------------------------------------------------

    def can_undo(self) -> bool:
        return self._index > 0

    def can_redo(self) -> bool:
        return self._index < len(self._edits)

    def undo_text(self) -> str:
        """The edit an undo would take back, in words (in the current language); "" when none."""
        return self._edits[self._index - 1].text() if self.can_undo() else ""

    def redo_text(self) -> str:
        """The edit a redo would apply again, in words; "" when none."""
        return self._edits[self._index].text() if self.can_redo() else ""

    def is_clean(self) -> bool:
        """Whether the project is as it was last saved."""
        return self._clean == self._index

    def set_clean(self) -> None:
        """The project as it is now has been saved."""
        was_clean = self.is_clean()
        self._clean = self._index
        self._clean_changed(was_clean)

    def reset_clean(self) -> None:
        """No state of the history is saved (recovered work): the project stays unsaved until saved."""
        was_clean = self.is_clean()
        self._clean = None
        self._clean_changed(was_clean)

    def _clean_changed(self, was_clean: bool) -> None:
        clean = self.is_clean()
        if clean != was_clean:
            for observer in list(self._clean_observers):
                observer(clean)
