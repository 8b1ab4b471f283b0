"""Results kept between runs, by content hash, in the project's `.kg-cache/` folder.

An entry is JSON, named by the SHA-256 of everything it was computed from: the kind of
result, the input's name and bytes, and the code (every source file of the `kg` package),
so a change to any of them misses the entry. The file holds the SHA-256 of its own JSON on
its first line: an entry that does not match (a torn write, a disk error, an edit by hand)
is deleted and computed again, never used. An entry is written to a temporary file as soon
as it is computed (a build's entries are not held in memory), and renamed into place only
once the build it belongs to has succeeded (`transaction`); a failed build deletes its
temporary files, and one a killed build left is deleted by a later build an hour on. An
entry is touched each time it is used, and one unused for a week (an old version of a
mapping, or of the code) is deleted by the next run that succeeds, at most once a day: the
folder stays near the size one version of the project needs. A cache that cannot be written
is left alone. Delete the folder to empty it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

FOLDER = ".kg-cache"
PENDING = ".pending"  # an entry of a build still running
PRUNED = ".pruned"  # touched when unused entries were last deleted
DAY = 24 * 3600
UNUSED = 7 * DAY  # an entry not used for this long is deleted


class Cache:
    """The entries of one folder; `Cache(None)` keeps nothing (`--no-cache`)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.pending: dict[str, Path] = {}  # key -> its temporary file
        self.created = False  # whether this cache made the folder (removed again if nothing is kept)

    def key(self, kind: str, name: str, content: str) -> str:
        digest = hashlib.sha256()
        for part in (code_version(), kind, name, content):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)
        return f"{kind}-{digest.hexdigest()}"

    def get(self, key: str) -> Any | None:
        """The value stored under `key`, or None when there is none or it is damaged."""
        if self.folder is None:
            return None
        path = self.folder / f"{key}.json"
        try:
            checksum, _, body = path.read_bytes().partition(b"\n")
        except OSError:
            return None
        if hashlib.sha256(body).hexdigest().encode() == checksum:
            with contextlib.suppress(ValueError):
                value = json.loads(body)
                with contextlib.suppress(OSError):
                    os.utime(path)  # used: kept by `_prune`
                return value
        path.unlink(missing_ok=True)  # damaged: recomputed by the caller
        return None

    def has(self, key: str) -> bool:
        """Whether an entry is kept under `key` (`get` checks that it is whole)."""
        return self.folder is not None and (self.folder / f"{key}.json").is_file()

    def put(self, key: str, value: Any) -> None:
        """Keep `value` under `key` once the transaction succeeds."""
        if self.folder is None:
            return
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        self._keep(key, hashlib.sha256(body).hexdigest().encode() + b"\n" + body)

    def adopt(self, key: str, other: Cache) -> None:
        """Keep the entry `other` holds under `key` as it is (read, not encoded again), once
        the transaction succeeds."""
        if self.folder is None or other.folder is None:
            return
        with contextlib.suppress(OSError):
            self._keep(key, (other.folder / f"{key}.json").read_bytes())

    def _keep(self, key: str, entry: bytes) -> None:
        assert self.folder is not None
        try:
            self._make_folder(self.folder)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{key}.", suffix=PENDING)
            with os.fdopen(handle, "wb") as out:
                out.write(entry)
        except OSError:
            return  # a read-only project builds without a cache
        self.pending[key] = Path(temporary)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Cache]:
        """Entries put inside are kept if it ends normally, deleted if it raises."""
        try:
            yield self
        except BaseException:
            self._discard()
            raise
        self._save()

    def _save(self) -> None:
        pending, self.pending = self.pending, {}
        if self.folder is None:
            return
        for key, temporary in pending.items():
            try:
                os.replace(temporary, self.folder / f"{key}.json")
            except OSError:
                temporary.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            stale = time.time() - 3600
            for left in self.folder.glob(f".*{PENDING}"):
                if left.lstat().st_mtime < stale:
                    left.unlink(missing_ok=True)
        self._prune()

    def _prune(self) -> None:
        """Delete the entries unused for UNUSED seconds, unless that was done within a day."""
        assert self.folder is not None
        marker, now = self.folder / PRUNED, time.time()
        with contextlib.suppress(OSError):
            if marker.exists() and marker.stat().st_mtime > now - DAY:
                return
            for entry in os.scandir(self.folder):
                if entry.name.endswith(".json") and entry.stat().st_mtime < now - UNUSED:
                    os.unlink(entry.path)
            marker.touch()

    def _discard(self) -> None:
        pending, self.pending = self.pending, {}
        for temporary in pending.values():
            temporary.unlink(missing_ok=True)
        if self.created and self.folder is not None:
            with contextlib.suppress(OSError):
                (self.folder / ".gitignore").unlink()
                self.folder.rmdir()  # only if empty

    def _make_folder(self, folder: Path) -> None:
        if not folder.is_dir():
            folder.mkdir()
            self.created = True
            (folder / ".gitignore").write_text("*\n", encoding="utf-8")


@cache
def code_version() -> str:
    """The SHA-256 of the `kg` package's source files, names and contents."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
