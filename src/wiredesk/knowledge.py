"""Knowledge files: packaged TOML data, extended by the user's own files.

A file `events/triggers.toml` is read from the package and then from every
directory in `WIREDESK_DATA` (os.pathsep-separated) that holds the same path;
lists of tables are concatenated and tables are merged, the user's entries last.
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any


class KnowledgeError(Exception):
    """A knowledge file that cannot be read; the message names the file."""


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        old = merged.get(key)
        if isinstance(old, list) and isinstance(value, list):
            merged[key] = old + value
        elif isinstance(old, dict) and isinstance(value, dict):
            merged[key] = _merge(old, value)
        else:
            merged[key] = value
    return merged


def user_data_dirs() -> list[Path]:
    return [Path(p) for p in os.environ.get("WIREDESK_DATA", "").split(os.pathsep) if p]


def load_toml(relative: str) -> dict[str, Any]:
    """The packaged file at `relative` (under wiredesk/data), extended by the user's files."""
    package_file = resources.files("wiredesk.data").joinpath(relative)
    data = tomllib.loads(package_file.read_text("utf-8"))
    for directory in user_data_dirs():
        extra = directory / relative
        if extra.is_file():
            try:
                data = _merge(data, tomllib.loads(extra.read_text("utf-8")))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
                raise KnowledgeError(f"{extra}: {err}") from None
    return data
