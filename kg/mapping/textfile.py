"""Reading input files as strict UTF-8, with errors that name the file and line."""

from __future__ import annotations

from pathlib import Path

from kg.errors import KgError, Location


def read_bytes(path: Path, display: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise KgError(f"cannot read file: {exc.strerror}", Location(display)) from None


def decode(raw: bytes, display: Path) -> str:
    """Decode UTF-8; a wrong byte is an error naming its line."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise KgError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte offset {exc.start})",
            Location(display, line),
        ) from None


def read_text(path: Path, display: Path) -> str:
    return decode(read_bytes(path, display), display)
