"""Fuzz the loader for longer than the tests do, and count what happened.

Run from the repository root with the test extras installed::

    python bench/fuzz_loader.py --inputs 20000 --seed 0

Inputs are drawn (by hypothesis, from the strategies in ``tests/test_reliability.py``)
in five kinds, whose shares the figures show: byte mutations and truncations of a
bundled table file; the same with the manifest resigned to the mutated file's
SHA-256; well-formed Arrow files of the right schema with hostile values, resigned;
byte mutations of the manifest; and malformed manifest documents (wrong types,
missing keys, hostile file names, huge numbers). Each input is loaded from a fresh
folder and checked by ``check_load``: a documented error naming a file, or a complete
load (the original tables, or for resigned inputs data that ``validate`` and typed
iteration handle).

Prints the inputs tried, how many were distinct, and the outcomes by kind and error
class; exits 1 if any input broke the property, raised an undocumented exception or
hung. A crash of the interpreter itself ends the run with the signal's exit status;
rerun with ``python -X faulthandler`` to see where. docs/reliability.md records the
figures.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.test_reliability import (
    Case,
    Hang,
    check_load,
    crafted_table_cases,
    manifest_byte_cases,
    manifest_doc_cases,
    table_cases,
)

CASES = st.one_of(
    table_cases(resigned=False),
    table_cases(resigned=True),
    crafted_table_cases(),
    manifest_byte_cases(),
    manifest_doc_cases(),
)


def fuzz(inputs: int, seed_value: int) -> tuple[Counter[tuple[str, str]], int, list[str]]:
    """Check ``inputs`` drawn cases; return outcomes by (kind, outcome), distinct inputs
    and a report of every failure."""
    outcomes: Counter[tuple[str, str]] = Counter()
    seen: set[bytes] = set()
    failures: list[str] = []
    started = time.perf_counter()

    @seed(seed_value)
    @settings(
        max_examples=inputs,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(CASES)
    def one(case: Case) -> None:
        digest = hashlib.sha256()
        for name in sorted(case.files):
            digest.update(name.encode() + b"\0" + case.files[name] + b"\0")
        seen.add(digest.digest())
        trace = ""
        try:
            outcome = check_load(case)
        except Hang:
            outcome, trace = "HANG", traceback.format_exc()
        except AssertionError:
            outcome, trace = "PROPERTY BROKEN", traceback.format_exc()
        except Exception as err:  # an undocumented exception: what this run hunts for
            outcome, trace = f"UNDOCUMENTED {type(err).__name__}", traceback.format_exc()
        if trace:
            failures.append(f"{case.origin} ({case.target}): {outcome}\n{trace}")
        outcomes[case.origin, outcome] += 1
        done = sum(outcomes.values())
        if done % 1000 == 0:
            rate = done / (time.perf_counter() - started)
            print(f"  {done:>7,} inputs, {rate:,.0f}/s", file=sys.stderr, flush=True)

    one()
    return outcomes, len(seen), failures


def main() -> int:
    """Run the fuzz campaign and print its figures as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=20_000, help="inputs to try")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed (reproducible)")
    args = parser.parse_args()

    import pyarrow as pa

    import cambodefect as cd

    started = time.perf_counter()
    outcomes, distinct, failures = fuzz(args.inputs, args.seed)
    elapsed = time.perf_counter() - started
    total = sum(outcomes.values())
    print(
        f"cambodefect {cd.__version__}, dataset {cd.versions()[-1]}, pyarrow {pa.__version__}, "
        f"Python {sys.version.split()[0]}; seed {args.seed}"
    )
    print(f"\n{total:,} inputs tried ({distinct:,} distinct) in {elapsed:.0f} s\n")
    print("| input kind | outcome | inputs |")
    print("|---|---|---:|")
    for (kind, outcome), count in sorted(outcomes.items()):
        print(f"| {kind} | {outcome} | {count:,} |")
    by_outcome: Counter[str] = Counter()
    for (_, outcome), count in outcomes.items():
        by_outcome[outcome] += count
    print("\n| outcome | inputs |")
    print("|---|---:|")
    for outcome, count in sorted(by_outcome.items()):
        print(f"| {outcome} | {count:,} |")
    print(f"\nundocumented failures: {len(failures)}")
    for report in failures[:20]:
        print("\n" + report)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
