"""How long `kg validate` takes on the seed graph (target: under 5 s on a 2-core machine).

Run from the project root after `kg build`:  python benchmarks/validate.py [runs]
Each run is a fresh `kg validate` process, as a user or CI would run it.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def main(runs: int) -> None:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kg", "validate"], check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
    print(
        f"kg validate on the seed graph, {runs} runs: "
        f"median {statistics.median(timings):.2f} s, min {min(timings):.2f} s, max {max(timings):.2f} s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
