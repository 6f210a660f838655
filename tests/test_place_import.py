"""Importing a GeoNames dump into the place index (in a private cache directory)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from wiredesk.resolve.place import Geoparser, import_geonames
from wiredesk.resolve.place.build import read_overlay
from wiredesk.resolve.place.geoparser import load_index
from wiredesk.resolve.place.index import index_version, overlay_path


def _row(gid: int, name: str, alternates: str, lat: float, lon: float, fclass: str, fcode: str,
         country: str, admin1: str, pop: int) -> str:  # fmt: skip
    cols = [str(gid), name, name, alternates, str(lat), str(lon), fclass, fcode, country, "",
            admin1, "", "", "", str(pop), "", "500", "Asia/Baghdad", "2024-01-01"]  # fmt: skip
    return "\t".join(cols) + "\n"


ROWS = (
    _row(
        9900001, "Zawita Qal'a", "Zawita Qala,Zaweta Qala", 36.9, 43.1, "P", "PPL", "IQ", "08", 700
    )
    + _row(9900002, "Harir Military Camp", "", 36.53, 44.34, "S", "MILB", "IQ", "11", 0)
    + _row(9900003, "Some Hotel", "", 36.1, 44.0, "S", "HTL", "IQ", "11", 0)
    + _row(9900004, "Old Ruin", "", 36.1, 44.0, "P", "PPLQ", "IQ", "11", 0)
)


@pytest.fixture()
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WIREDESK_CACHE", str(tmp_path / "cache"))
    return tmp_path


def test_import_txt_keeps_places_and_skips_the_rest(private_cache: Path) -> None:
    dump = private_cache / "IQ.txt"
    dump.write_text(ROWS, encoding="utf-8")
    before = index_version()
    assert import_geonames(dump) == 2
    assert index_version() != before  # the next load rebuilds with the new rows
    rows = read_overlay(overlay_path())
    assert set(rows) == {9900001, 9900002}
    assert rows[9900001]["alternatenames"] == ["Zawita Qala", "Zaweta Qala"]
    assert import_geonames(dump) == 0  # rows already imported are not added twice


def test_import_zip(private_cache: Path) -> None:
    dump = private_cache / "IQ.zip"
    with zipfile.ZipFile(dump, "w") as z:
        z.writestr("IQ.txt", ROWS)
        z.writestr("readme.txt", "not data\n")
    assert import_geonames(dump) == 2


@pytest.mark.slow
def test_imported_places_resolve(private_cache: Path) -> None:
    dump = private_cache / "IQ.txt"
    dump.write_text(ROWS, encoding="utf-8")
    import_geonames(dump)
    parser = Geoparser(load_index())
    places = parser.parse("Shells landed near Zawita Qala and the Harir Military Camp.")
    ids = {p.span.text: p.geonames_id for p in places}
    assert ids == {"Zawita Qala": 9900001, "Harir Military Camp": 9900002}
    town = next(p for p in places if p.geonames_id == 9900001)
    assert town.admin1 == "Duhok" and town.precision == "town"
