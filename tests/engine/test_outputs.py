"""The output rules of gis_census.outputs: formula-safe cells, file names from codes, no partial files."""

from __future__ import annotations

import csv
import errno

import pytest

from gis_census.errors import CensusError, Finding
from gis_census.importing.skipped import write_skipped_list
from gis_census.outputs import (
    atomic_file,
    atomic_files,
    code_for_file_name,
    csv_text,
    display_width,
    pad_to_width,
    path_inside,
)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_formula_like_text_gets_a_quote_in_csv(text):
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("value", ["东关村 1 号", "1-2", "", 5, -5, None, 1.5])
def test_other_values_are_unchanged_in_csv(value):
    assert csv_text(value) == value


@pytest.mark.parametrize("text, width", [("", 0), ("abc", 3), ("东关村", 6), ("东关 3 号", 9), ("ＡＢ", 4), (370481, 6)])
def test_display_width_counts_cjk_and_full_width_characters_twice(text, width):
    assert display_width(text) == width


def test_pad_to_width_lines_up_chinese_and_latin_names():
    assert [pad_to_width(t, 8) for t in ("东关村", "Dongguan", "东关村委会")] == ["东关村  ", "Dongguan", "东关村委会"]
    assert {display_width(pad_to_width(t, 12)) for t in ("东关村", "Dongguan", "东关 3 号")} == {12}


def test_skipped_buildings_list_is_formula_safe(tmp_path):
    notice = Finding("notice_skipped_outside", params={"skipped": [(1, "=HYPERLINK(\"http://x\")"), (2, "东关 3 号")]})
    path, n = write_skipped_list([notice], tmp_path / "p.gpkg")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert n == 2 and rows[1] == ["1", "'=HYPERLINK(\"http://x\")"] and rows[2] == ["2", "东关 3 号"]


@pytest.mark.parametrize("code", ["../../x", "a/b", "..\\x", "CON", "37048110220300:", "", "３７０４８１１０２２０３"])
def test_codes_that_are_not_digits_of_the_length_are_refused_by_name(code):
    with pytest.raises(CensusError) as caught:
        code_for_file_name(code, "district")
    assert caught.value.key == "output_bad_code" and code in caught.value.message()


def test_a_good_code_passes():
    assert code_for_file_name("370481102203", "district") == "370481102203"


@pytest.mark.parametrize("name", ["../x.pdf", "a/b.pdf", "..\\x.pdf", "c:x.pdf", "..", "", "CON.pdf", "lpt1"])
def test_names_leaving_the_folder_are_refused(tmp_path, name):
    with pytest.raises(CensusError):
        path_inside(tmp_path, name)
    assert path_inside(tmp_path, "district_370481102203.pdf") == tmp_path / "district_370481102203.pdf"


def test_atomic_file_leaves_the_old_file_and_no_temp_on_a_full_disk(tmp_path):
    target = tmp_path / "a.html"
    target.write_text("old")
    with pytest.raises(CensusError) as caught:
        with atomic_file(target) as tmp:
            tmp.write_text("half")
            raise OSError(errno.ENOSPC, "No space left on device")
    message = caught.value.message("en")
    assert str(target) in message and "free" in message and caught.value.exit_code == 2
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["a.html"]


def test_atomic_files_replace_all_targets_or_none_and_name_the_file_that_failed(tmp_path):
    first, second = tmp_path / "lists.csv", tmp_path / "lists_buildings.csv"
    first.write_text("old 1")
    second.write_text("old 2")
    with pytest.raises(CensusError) as caught:
        with atomic_files() as temp_for:
            temp_for(first).write_text("new 1")
            temp_for(second).write_text("half")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert str(second) in caught.value.message("en") and str(first) not in caught.value.message("en")
    assert (first.read_text(), second.read_text()) == ("old 1", "old 2")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lists.csv", "lists_buildings.csv"]
    with atomic_files() as temp_for:
        temp_for(first).write_text("new 1")
        temp_for(second).write_text("new 2")
    assert (first.read_text(), second.read_text()) == ("new 1", "new 2")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lists.csv", "lists_buildings.csv"]


def test_characters_xml_cannot_hold_are_dropped_from_xlsx_text():
    from gis_census.outputs import xlsx_texts

    texts, formulas = xlsx_texts(["东关\x01村\x1f", "=1+1", "a\r\nb\rc", "-2", "西关"])
    assert texts == ["东关村", "=1+1", "a\nb\nc", "-2", "西关"]  # XML reads a carriage return back as a line feed
    assert formulas == [1, 3]
    assert xlsx_texts(["东关", "@x"]) == (["东关", "@x"], [1])


def test_an_xlsx_text_is_cut_to_what_a_cell_holds():
    from gis_census.outputs import xlsx_texts

    texts, _ = xlsx_texts(["a" * 40_000, "😀" * 20_000, "东关" * 10_000])
    # 32,767 UTF-16 units: an emoji takes two, and one that would be cut in half is left out
    assert texts == ["a" * 32_767, "😀" * 16_383, "东关" * 10_000]
