"""Reading input files safely: only regular files (never a pipe, a device or a folder, and
never through a symbolic link out of place), their size checked before a byte is read,
strict UTF-8, and no control characters; errors name the file and line."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from kg.errors import KgError, Location

MAX_BYTES = 20_000_000  # the largest input file read
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0080-\u009f]")


def read_bytes(path: Path, display: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; opened without blocking, so a
    named pipe is refused instead of waited on."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise KgError(f"cannot read file: {exc.strerror}", Location(display)) from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a pipe, a device or a socket"
        raise KgError(f"not a regular file ({kind})", Location(display))
    with os.fdopen(descriptor, "rb") as handle:
        if info.st_size > max_bytes:
            raise KgError(f"file is larger than {max_bytes} bytes", Location(display))
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise KgError(f"file is larger than {max_bytes} bytes", Location(display))
    return data


def decode(raw: bytes, display: Path) -> str:
    """Decode UTF-8; a wrong byte, or a control character other than tab and line ends, is
    an error naming its line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise KgError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte offset {exc.start})",
            Location(display, line),
        ) from None
    if match := CONTROL.search(text):
        line = text.count("\n", 0, match.start()) + 1
        raise KgError(
            f"control character U+{ord(match.group()):04X} is not allowed in an input file",
            Location(display, line),
        )
    return text


def read_text(path: Path, display: Path, max_bytes: int = MAX_BYTES) -> str:
    return decode(read_bytes(path, display, max_bytes), display)
