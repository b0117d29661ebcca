"""A cache of read and checked catalogs between runs, so a build does not parse every PO file again.

Reading a language's catalogs with Babel and checking every translation is most of what a
translation adds to a build (about 0.5 s for the 201 catalogs of a 200-lesson course).
What :func:`builder.i18n.checks.load_translations` gets from one PO file depends only on
the file's path, its bytes, its language and the code that reads it; so the result of each
file is kept under a key made of those (a SHA-256 of the bytes, never the modification
time alone) in one file per course folder and language, in the user's cache folder:
``$BUILDER_CACHE_DIR``, else ``$XDG_CACHE_HOME/builder``, else ``~/.cache/builder``.
``BUILDER_CACHE_DIR=off`` turns it off. A cache that cannot be read or written is ignored.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from builder.errors import Problem
from builder.i18n.apply import Entry

_FORMAT = b"catalogs-1"


@dataclass(frozen=True)
class FileResult:
    """What one PO file gives: whether it could be read, its entries and its problems."""

    readable: bool
    entries: tuple[tuple[tuple[str, str], Entry], ...]
    problems: tuple[Problem, ...]


def cache_folder() -> Path | None:
    """The cache folder (see the module), or None when caching is off."""
    chosen = os.environ.get("BUILDER_CACHE_DIR")
    if chosen:
        return None if chosen.lower() in ("off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home folder to be found: no cache
            return None
    return Path(base) / "builder"


@cache
def _code_key() -> bytes:
    """A digest of the code that reads and checks catalogs: a change to it empties the cache."""
    digest = hashlib.sha256(_FORMAT)
    here = Path(__file__).resolve().parent
    for name in ("checks.py", "catalogs.py", "apply.py", "languages.py", "catalog_cache.py"):
        digest.update((here / name).read_bytes())
    return digest.digest()


def read_folder(paths: list[Path], language: str, read_one: Callable[[Path, bytes | None], FileResult]
                ) -> list[tuple[Path, FileResult]]:
    """Each PO file of one language folder, read with *read_one* unless the cache holds it.

    *read_one* gets the file's bytes, or None when they cannot be read (it reports that).
    """
    folder = cache_folder()
    store = None
    if folder is not None and paths:
        where = str(paths[0].parent.resolve()).encode()
        store = folder / "catalogs" / (hashlib.sha256(where + b"\0" + language.encode()).hexdigest()[:32] + ".pickle")
    old = _load(store)
    new: dict[str, tuple[bytes, FileResult]] = {}
    results = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            results.append((path, read_one(path, None)))
            continue
        key = hashlib.sha256(_code_key() + str(path.resolve()).encode() + b"\0" + data).digest()
        kept = old.get(str(path))
        result = kept[1] if kept is not None and kept[0] == key else read_one(path, data)
        new[str(path)] = (key, result)
        results.append((path, result))
    if store is not None and {k: v[0] for k, v in new.items()} != {k: v[0] for k, v in old.items()}:
        _save(store, new)
    return results


def _load(store: Path | None) -> dict[str, tuple[bytes, FileResult]]:
    if store is None or not store.is_file():
        return {}
    try:
        with store.open("rb") as handle:
            found = pickle.load(handle)  # our own cache file, in the user's own cache folder
        return found if isinstance(found, dict) else {}
    except Exception:  # a cache from another version, a truncated file: read the catalogs again
        return {}


def _save(store: Path, results: dict[str, tuple[bytes, FileResult]]) -> None:
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=store.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(results, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(name, store)
    except OSError:
        pass  # a read-only home: no cache, same result
