"""Where queries find the build: in each worker's memory or in a store on disk."""

from enum import StrEnum


class Placement(StrEnum):
    """Where queries find the build.

    - `memory`: each query's worker loads it (the fastest to query; at 10,000 documents,
      2.9 GiB and about a minute to load);
    - `disk`: the store kept beside the build (kg.ask.load.keep_store: made once, then opened
      in a second; at 10,000 documents, 0.1-0.7 GiB, and the slow queries 1-5 times slower);
    - `auto`: in memory up to kg.ask.load.ON_DISK bytes of built files, else on disk; a
      kept store is opened past kg.ask.load.REUSE bytes.
    """

    AUTO = "auto"
    MEMORY = "memory"
    DISK = "disk"
