"""The two sides of `kg diff`: a build folder as it is, or a project folder or git revision
built into a temporary folder (with this checkout's code)."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from kg.compile.builder import build
from kg.compile.output import MANIFEST
from kg.errors import KgError
from kg.project import Project


def build_of(side: str, repository: Path, scratch: Path) -> Path:
    """The build folder for `side`: a folder holding build.json, a project folder (built),
    or a git revision of `repository` (checked out with `git archive`, then built)."""
    path = Path(side)
    if (path / MANIFEST).is_file():
        return path
    if (path / "mappings").is_dir():
        return _built(Project.at(path), scratch)
    checkout = scratch / "checkout"
    checkout.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(repository), "archive", side], capture_output=True, check=False
    )
    if archive.returncode != 0:
        message = archive.stderr.decode("utf-8", "replace").strip().splitlines()
        raise KgError(
            f"'{side}' is neither a build folder, a project folder nor a git revision "
            f"({message[-1] if message else 'git failed'})"
        )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(checkout, filter="data")
    return _built(Project.at(checkout), scratch)


def _built(project: Project, scratch: Path) -> Path:
    out = scratch / "dist"
    build(project, out)
    return out
