"""Start-up time of the `kg` command line (target: under 0.5 s for any command).

Run from the project root:  python benchmarks/startup.py [runs]
Each run is a fresh process, as a user's shell starts it; prints the median wall time per
command. To see where the time goes: python -X importtime -c 'import kg.cli'
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

COMMANDS = (["--version"], ["--help"], ["queries"], ["query", "--prefixes"], ["validate", "--help"])


def main(runs: int) -> None:
    for args in COMMANDS:
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "kg", *args], check=True, capture_output=True)
            timings.append(time.perf_counter() - start)
        median, fastest = statistics.median(timings), min(timings)
        print(f"kg {' '.join(args):<20} median {median:.2f} s  (min {fastest:.2f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
