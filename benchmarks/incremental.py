"""The caches of `.kg-cache/`: `kg build` and then `kg validate`, clean, from a warm cache, and
after one entity's label was edited in one mapping file, each a fresh process.

Run from the project root:  python benchmarks/incremental.py [PROJECT]
(PROJECT: a project folder, e.g. one `kg synth` wrote; the default is this one). Works on a
copy, so the project itself is left as it is. Prints wall and CPU seconds of each command,
and each round's total as a share of the clean round's.
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The start of an entity's English label, in flow (`label: {en: "…"}`) or block style.
LABEL = re.compile(r"label:\s*\{\s*en:\s*[\"']?|label:\n\s+en:\s*[\"']?")


def timed(root: Path, command: str, *options: str) -> float:
    """Run `kg COMMAND` on the project; print and return its wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kg", command, "--root", str(root), *options], capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1) or (command == "build" and done.returncode):
        sys.exit(f"kg {command} failed:\n{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    print(f"  kg {command:<8} {wall:6.1f} s wall, {cpu:6.1f} s CPU")
    return wall


def edit_a_label(mappings: list[Path]) -> Path:
    """Put a word in front of the first entity label of a mapping from the middle on."""
    middle = len(mappings) // 2
    for path in mappings[middle:] + mappings[:middle]:
        text = path.read_text(encoding="utf-8")
        found = LABEL.search(text)
        if found:
            path.write_text(text[: found.end()] + "Edited — " + text[found.end() :], encoding="utf-8")
            return path
    sys.exit("no entity label to edit in the mappings")


def main(project: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "project"
        for folder in ("ontology", "mappings", "seeds"):
            shutil.copytree(project / folder, root / folder)
        mappings = sorted((root / "mappings" / "documents").glob("*.yaml"))
        print(f"{len(mappings)} document mappings")
        print("clean (--no-cache)")
        clean = timed(root, "build", "--no-cache") + timed(root, "validate", "--no-cache")
        for name, edit in (
            ("first run, filling the cache", False),
            ("warm cache, nothing edited", False),
            ("warm cache, one label edited", True),
        ):
            if edit:
                print(f"{name}: {edit_a_label(mappings).relative_to(root)}")
            else:
                print(name)
            total = timed(root, "build") + timed(root, "validate")
            print(f"  {total / clean:.0%} of the clean round ({total:.1f} s against {clean:.1f} s)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
