"""Importing GeoNames dumps (allCountries.zip, a country zip such as IQ.zip, or a .txt)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from wiredesk.resolve.place.index import overlay_path

# Feature codes worth keeping: populated places with people, divisions, and the facilities,
# areas and waters that news names. Everything else (hotels, wells, farms ...) is left out.
_KEEP_CLASS = {"P", "A"}
_KEEP_CODES = {
    "MILB", "AIRB", "AIRF", "AIRP", "AIRH", "INSM", "CMP", "CMPRF", "PRN", "DAM", "OILF",
    "GASF", "PS", "BDG", "PRT", "RGN", "RGNE", "AREA", "ISL", "ISLS", "PEN", "VAL", "DSRT",
    "MT", "MTS", "STM", "LK", "SEA", "GULF", "STRT", "OCN", "BAY",
}  # fmt: skip
_KEEP_A = {"PCLI", "PCLD", "PCLS", "PCLF", "PCLIX", "PCL", "ADM1", "ADM2", "ADMD", "TERR"}


def _lines(path: Path) -> Iterator[str]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if n.endswith(".txt") and "readme" not in n.lower()]
            for name in names:
                with z.open(name) as raw:
                    yield from io.TextIOWrapper(raw, encoding="utf-8")
    else:
        with path.open(encoding="utf-8") as f:
            yield from f


def keep(cols: list[str]) -> bool:
    """Whether a GeoNames row (19 columns) is worth adding to the index."""
    if len(cols) < 15:
        return False
    fclass, fcode = cols[6], cols[7]
    if fclass == "P":
        return fcode != "PPLH" and fcode != "PPLQ"
    if fclass == "A":
        return fcode in _KEEP_A
    return fcode in _KEEP_CODES


def import_geonames(path: Path) -> int:
    """Add a GeoNames dump to the place index; returns the number of rows imported.

    The kept rows are appended to an overlay file in the cache directory; the index is
    rebuilt (with the overlay) the next time it is loaded, because its version changes.
    """
    from wiredesk.resolve.place.geoparser import _default

    out = overlay_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    if out.exists():
        with out.open(encoding="utf-8") as f:
            seen = {line.split("\t", 1)[0] for line in f}
    count = 0
    with out.open("a", encoding="utf-8") as f:
        for line in _lines(Path(path)):
            cols = line.rstrip("\n").split("\t")
            if not keep(cols) or cols[0] in seen:
                continue
            seen.add(cols[0])
            f.write("\t".join(cols) + "\n")
            count += 1
    if count:
        _default.cache_clear()
    return count
