"""The build's cache (`.kg-cache/`): a clean build, a build from a warm cache, and a build
after one mapping file changed, each a fresh `kg build` process.

Run from the project root:  python benchmarks/incremental.py [PROJECT]
(PROJECT: a project folder, e.g. one `kg synth` wrote; the default is this one). Works on a
copy, so the project itself is left as it is. Prints wall and CPU seconds of each build.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed_build(root: Path, *options: str) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kg", "build", "--root", str(root), *options], check=True, capture_output=True
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, f"{wall:6.1f} s wall, {cpu:6.1f} s CPU"


def main(project: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "project"
        for folder in ("ontology", "mappings", "seeds"):
            shutil.copytree(project / folder, root / folder)
        mappings = sorted((root / "mappings" / "documents").glob("*.yaml"))
        print(f"{len(mappings)} document mappings")
        clean, figures = timed_build(root, "--no-cache")
        print(f"clean build (--no-cache)   {figures}")
        for name, edit in (
            ("first build (fills cache) ", False),
            ("warm cache, nothing edited", False),
            ("warm cache, one edited    ", True),
        ):
            if edit:
                edited = mappings[len(mappings) // 2]
                edited.write_text(edited.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
            wall, figures = timed_build(root)
            print(f"{name} {figures}  ({wall / clean:.0%} of the clean build)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
