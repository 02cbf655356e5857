"""The edit history without Qt: undo and redo restore the project exactly, observers hear every step in
order, and the clean state follows saving."""

from __future__ import annotations

import pytest
from test_editing import AREAS, assert_same_layers, layers_of, line, make_project

from gis_census.editing import Edit, History, delete_small_area, merge_small_areas, set_locked, split_small_area


@pytest.fixture
def history() -> History:
    return History(make_project())


def test_push_undo_redo_round_trip_restores_the_layers_exactly(history):
    project = history.project
    states = [layers_of(project)]
    for make, args in ((merge_small_areas, (AREAS[:2],)), (delete_small_area, (AREAS[2],)),
                       (split_small_area, (AREAS[4], line((500, -10), (500, 110))))):
        assert history.push(make(project, *args))
        states.append(layers_of(project))
    assert (history.index, len(history)) == (3, 3)

    for state in reversed(states[:-1]):
        history.undo()
        assert_same_layers(state, layers_of(project))
    assert not history.can_undo() and history.undo() is None
    for state in states[1:]:
        history.redo()
        assert_same_layers(state, layers_of(project))
    assert not history.can_redo() and history.redo() is None


def test_a_push_after_undo_drops_what_could_be_redone(history):
    project = history.project
    history.push(merge_small_areas(project, AREAS[:2]))
    history.undo()
    history.push(set_locked(project, [AREAS[5]], True))
    assert (history.index, len(history), history.can_redo()) == (1, 1, False)
    assert history.undo_text() == f"锁定普查小区 {AREAS[5]}"


def test_an_empty_edit_is_no_step(history):
    assert not history.push(Edit("edit_merge_areas", (), frozenset()))
    assert len(history) == 0 and history.version == 0


def test_observers_hear_each_applied_edit_in_order(history):
    project = history.project
    heard = []
    history.subscribe(lambda edit: heard.append(("first", edit)))
    history.subscribe(lambda edit: heard.append(("second", edit)))
    merge = merge_small_areas(project, AREAS[:2])
    history.push(merge)
    undone = history.undo()
    redone = history.redo()
    assert [who for who, _ in heard] == ["first", "second"] * 3
    assert [e for who, e in heard if who == "first"] == [merge, undone, redone]
    assert redone is merge and undone.diffs[0].added is merge.diffs[0].removed  # the undo applies the inverse
    assert history.version == 3


def test_texts_name_the_next_undo_and_redo(history):
    assert (history.undo_text(), history.redo_text()) == ("", "")
    history.push(delete_small_area(history.project, [AREAS[0]]))
    assert history.undo_text().endswith(AREAS[0]) and history.redo_text() == ""
    history.undo()
    assert history.undo_text() == "" and history.redo_text() == history.redo().text()


def test_clean_state_follows_saving(history):
    project = history.project
    clean = []
    history.subscribe_clean(clean.append)
    assert history.is_clean()
    history.push(set_locked(project, [AREAS[0]], True))
    history.push(set_locked(project, [AREAS[1]], True))
    assert not history.is_clean() and clean == [False]
    history.set_clean()  # saved with both edits
    assert history.is_clean() and clean == [False, True] and history.clean_index == 2
    history.undo()
    assert clean == [False, True, False]
    history.redo()
    assert history.is_clean() and clean == [False, True, False, True]

    history.undo()
    history.push(set_locked(project, [AREAS[2]], True))  # the saved state can no longer be reached
    assert history.clean_index is None
    while history.can_undo():
        history.undo()
        assert not history.is_clean()

    history.set_clean()
    history.reset_clean()  # recovered work: unsaved until saved
    assert not history.is_clean() and clean[-1] is False
    history.clear()
    assert history.is_clean() and clean[-1] is True and len(history) == 0


def test_unsubscribed_observers_hear_nothing(history):
    heard = []
    history.subscribe(heard.append)
    history.subscribe_clean(heard.append)
    history.unsubscribe(heard.append)
    history.push(set_locked(history.project, [AREAS[0]], True))
    assert heard == []
