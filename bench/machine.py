"""How fast this machine runs plain Python right now, printed at the top of every benchmark.

The reference machine's speed drifts from day to day (a shared 2-core VM: the same commit's parse measured
1.4 times slower on one day than on another). A figure read beside this one tells a slower machine from a
slower commit: compare the ratio, not the raw milliseconds."""

from __future__ import annotations

import platform
import time


def reference_ms() -> float:
    """Best of five runs of a fixed pure-Python workload (a million dict and string operations)."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        table: dict[int, str] = {}
        for i in range(200_000):
            table[i % 997] = f"单位{i}"
            _ = table.get(i % 991, "").replace("单", "县")
        best = min(best, time.perf_counter() - start)
    return best * 1000


def print_reference() -> None:
    cpu = platform.processor() or platform.machine()
    print(f"machine: reference workload {reference_ms():.0f} ms (Python {platform.python_version()}, {cpu})")
