"""Results kept between runs, by content hash, in the project's `.kg-cache/` folder.

An entry is JSON, named by the SHA-256 of everything it was computed from: the kind of
result, the input's name and bytes, and the code (every source file of the `kg` package),
so a change to any of them misses the entry. The file holds the SHA-256 of its own JSON on
its first line: an entry that does not match (a torn write, a disk error, an edit by hand)
is deleted and computed again, never used. Entries are written whole (a temporary file,
renamed), and only once the build they belong to has succeeded; a cache that cannot be
written is left alone. Delete the folder to empty it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

FOLDER = ".kg-cache"


class Cache:
    """The entries of one folder; `Cache(None)` keeps nothing (`--no-cache`)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.pending: dict[str, bytes] = {}

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
                return json.loads(body)
        path.unlink(missing_ok=True)  # damaged: recomputed by the caller
        return None

    def put(self, key: str, value: Any) -> None:
        """Keep `value` under `key` once `save` is called (when the build has succeeded)."""
        if self.folder is not None:
            body = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            self.pending[key] = body.encode("utf-8", "surrogatepass")

    def save(self) -> None:
        """Write the entries kept since the last save; a failed build writes none."""
        pending, self.pending = self.pending, {}
        if self.folder is None or not pending:
            return
        try:
            if not self.folder.is_dir():
                self.folder.mkdir()
                (self.folder / ".gitignore").write_text("*\n", encoding="utf-8")
            for key, body in pending.items():
                self._write(
                    self.folder / f"{key}.json", hashlib.sha256(body).hexdigest().encode() + b"\n" + body
                )
        except OSError:
            return  # a read-only project builds without a cache

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)


@cache
def code_version() -> str:
    """The SHA-256 of the `kg` package's source files, names and contents."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
