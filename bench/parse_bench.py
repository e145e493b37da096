"""Parser speed, warm and in-process: ms per notice and MB/s for the sample notices as text and as docx.

Goals (issue 2): under 30 ms per text notice and under 300 ms per docx on the 2-core reference machine.
Run: ``make bench`` (or ``.venv/bin/python bench/parse_bench.py [--rounds N]``).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import docx

from duban.plan import parse

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def as_docx(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line.replace("**", ""))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def timed(job: Callable[[], object], rounds: int) -> list[float]:
    job()  # warm: imports, regex compilation, caches
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        job()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    notices = sorted(p for p in CORPUS.glob("*.txt") if p.with_suffix(".plan.json").exists())
    print(f"{'notice':<28}{'format':<8}{'KB':>8}{'tasks':>7}{'median ms':>11}{'p95 ms':>9}{'MB/s':>8}")
    for kind in ("txt", "docx"):
        medians = []
        for path in notices:
            text = path.read_text(encoding="utf-8")
            data = text.encode("utf-8") if kind == "txt" else as_docx(text)
            name = f"notice.{kind}"
            tasks = len(parse(data, filename=name).tasks)
            samples = timed(lambda data=data, name=name: parse(data, filename=name), args.rounds)
            median = statistics.median(samples)
            p95 = sorted(samples)[int(len(samples) * 0.95) - 1]
            medians.append(median)
            rate = len(data) / 1e6 / (median / 1000)
            print(
                f"{path.name[:26]:<28}{kind:<8}{len(data) / 1024:>8.0f}{tasks:>7}{median:>11.1f}{p95:>9.1f}{rate:>8.2f}"
            )
        goal = 30 if kind == "txt" else 300
        worst = max(medians)
        print(
            f"{kind}: worst median {worst:.1f} ms per notice (goal < {goal} ms): {'ok' if worst < goal else 'SLOW'}"
        )


if __name__ == "__main__":
    main()
