"""Benchmark: resolving a million raw party labels, vectorized versus a per-row loop.

Run from the repository root with the package installed::

    python bench/bench_normalize.py

It prints a Markdown table and writes nothing; docs/benchmarks.md records the figures.

The labels are the seeds' spellings as the bundled dataset keeps them (every party
name, short name and alias, and every printed "Former Party" label of the tally,
compound ones included) with surface noise drawn from a fixed random seed: case,
doubled and non-breaking spaces, stray zero-width characters, curly or straight
apostrophes, leading and trailing space. In the same run, each vectorized function
is timed against a per-row Python loop over the scalar function it vectorizes, on
the same labels (the loop gets a Python list, so its Arrow conversions are not even
counted against it), and the two outputs are checked equal.

Each vectorized function is also timed against the exact-match limit: the answers for
every distinct label computed in advance (outside the timing) and the column mapped
with Arrow's ``index_in`` + ``take`` (and, for parties, Polars' ``replace_strict``).
All contenders are timed in turn, best of 5; the per-row loop runs on a 20,000-label
slice (best of 3), since at 1M labels one call takes minutes.

Targets: at most 1.5x the exact-match Arrow reference at 1M labels, and at least 20x
the per-row loop.

``python bench/bench_normalize.py --linearity`` times each scalar normalizer on one
input of 1 KB, 10 KB (``MAX_NAME_LENGTH``), 100 KB and 1 MB: up to the limit the time
grows linearly with the input; beyond it the input is refused before any work, so the
time is constant. ``find_persons`` reads running text up to 1 MB (``MAX_TEXT_LENGTH``).
"""

from __future__ import annotations

import functools
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

import cambodefect as cd
from cambodefect import normalize as norm
from cambodefect.errors import InputTooLongError
from cambodefect.normalize import (
    Unresolved,
    parse_label,
    parse_label_array,
    resolve_party,
    resolve_party_array,
)

ROWS = 1_000_000
SEED = 20230630


def base_labels(ds: cd.Dataset) -> list[str]:
    """Every spelling the dataset keeps of a party-table entry, and every printed label."""
    spellings: set[str] = set()
    for party in ds.iter_parties():
        spellings.update((party.name, *party.aliases))
        if party.short_name:
            spellings.add(party.short_name)
    spellings.update(claim.label for claim in ds.iter_claims() if claim.label)
    return sorted(spellings)


def add_noise(label: str, rng: random.Random) -> str:
    """One noisy variant of ``label``: case, spacing, quotes, invisible characters."""
    case = rng.random()
    if case < 0.2:
        label = label.lower()
    elif case < 0.3:
        label = label.upper()
    if rng.random() < 0.3:
        label = label.replace(" ", rng.choice(["  ", "\u00a0", " \u200b"]), 1)
    if rng.random() < 0.3:
        label = label.replace("\u2019", "'") if "\u2019" in label else label.replace("'", "\u2019")
    if rng.random() < 0.2:
        label = rng.choice([" ", "\t", "\u00a0"]) + label + rng.choice(["", " ", "\u200b"])
    return label


def make_labels(ds: cd.Dataset, rows: int = ROWS, seed: int = SEED) -> list[str]:
    """``rows`` labels: seed spellings with noise, drawn with a fixed random seed."""
    rng = random.Random(seed)  # noqa: S311  # reproducible test data, not cryptography
    bases = base_labels(ds)
    return [add_noise(rng.choice(bases), rng) for _ in range(rows)]


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best-of-``repeat`` seconds for one call, and the last result."""
    seconds, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        seconds = min(seconds, time.perf_counter() - t0)
    return seconds, result


def _party_id(text: str) -> str | None:
    found = resolve_party(text, strict=False)
    return None if isinstance(found, Unresolved) else found.id


def _label_ids(text: str) -> dict[str, Any]:
    found = parse_label(text, strict=False)
    if isinstance(found, Unresolved):
        return {"from_party_ids": None, "person_ids": None}
    return {"from_party_ids": list(found.from_party_ids), "person_ids": list(found.person_ids)}


def alternated(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Best-of-``repeat`` seconds of each function, the functions run in turn each round
    (so a noisy neighbour slows all of them alike)."""
    found = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            found[name] = min(found[name], time.perf_counter() - t0)
    return found


LOOP_ROWS = 20_000  # the per-row loop runs on a slice: at 1M it takes minutes per call


def main() -> None:
    ds = cd.load()
    labels = make_labels(ds)
    column = pa.array(labels, pa.string())
    distinct = pc.unique(column)
    resolve_party_array(column.slice(0, 1000))  # build the cached resolvers once
    parse_label_array(column.slice(0, 1000))
    print(f"dataset {ds.version}, pyarrow {pa.__version__}, Python {sys.version.split()[0]}")
    print(f"{ROWS:,} labels, {len(distinct):,} distinct (random seed {SEED})")
    print()
    print("| measure | cambodefect | reference | ratio | target |")
    print("|---|---|---|---|---|")
    measure(labels, column, distinct, resolve_party_array, _party_id, polars=True)
    measure(labels, column, distinct, parse_label_array, _label_ids, polars=False)


def _as_rows(name: str, out: pa.Array) -> list[Any]:
    if name == "resolve_party_array":
        rows: list[Any] = out.to_pylist()
        return rows
    got = out.flatten()
    return [
        {"from_party_ids": p, "person_ids": q}
        for p, q in zip(got[0].to_pylist(), got[1].to_pylist(), strict=True)
    ]


def measure(
    labels: list[str],
    column: pa.Array,
    distinct: pa.Array,
    vectorized: Callable[[pa.Array], pa.Array],
    scalar: Callable[[str], Any],
    *,
    polars: bool,
) -> None:
    """Print the rows for one vectorized function: against the exact-match limit (every
    distinct label's answer known in advance, computed outside the timing, the column
    mapped with Arrow's hash lookup and ``take``), optionally Polars' ``replace_strict``
    of the same answers, and the per-row loop of the scalar function it replaces."""
    name = vectorized.__name__
    answers = vectorized(distinct)

    def ours() -> pa.Array:
        return vectorized(column)

    def exact() -> pa.Array:
        return answers.take(pc.index_in(column, distinct))

    assert ours().equals(exact()), f"{name} and the exact-match lookup must agree"
    contenders: dict[str, Callable[[], Any]] = {"ours": ours, "exact": exact}
    if polars:
        try:
            import polars as pl
        except ImportError:  # an optional reference
            pass
        else:
            series = pl.Series(column)
            mapping = dict(zip(distinct.to_pylist(), answers.to_pylist(), strict=True))
            contenders["Polars `replace_strict` of the known answers"] = functools.partial(
                series.replace_strict, mapping
            )
    times = alternated(contenders, repeat=5)
    for ref, seconds in times.items():
        if ref == "ours":
            continue
        what = "Arrow `index_in` + `take` of the known answers" if ref == "exact" else ref
        print(
            f"| `{name}`, {ROWS:,} labels | {times['ours'] * 1e3:,.0f} ms | "
            f"{seconds * 1e3:,.0f} ms: {what} | {times['ours'] / seconds:,.2f}x | "
            + ("<= 1.5x |" if ref == "exact" else "(information) |")
        )
    # against the per-row loop it replaces, both on the same slice, best of 3
    part = column.slice(0, LOOP_ROWS)
    texts = labels[:LOOP_ROWS]
    loop_out = [scalar(t) for t in texts]
    assert _as_rows(name, vectorized(part)) == loop_out, "vectorized and loop must agree"
    times = alternated(
        {
            "vec": functools.partial(vectorized, part),
            "loop": lambda: [scalar(t) for t in texts],
        },
        repeat=3,
    )
    print(
        f"| `{name}`, {LOOP_ROWS:,} labels | {times['vec'] * 1e3:,.1f} ms | "
        f"{times['loop'] * 1e3:,.0f} ms: a Python loop of the scalar function | "
        f"{times['loop'] / times['vec']:,.0f}x faster | >= 20x faster |"
    )


SIZES = (1_000, 10_000, 100_000, 1_000_000)
# Each normalizer, with a worst-case input of about n characters for it: an unknown name
# (fuzzy suggestions are ranked), a wall of titles, a run of digits, a long label.
LINEAR: dict[str, tuple[Callable[[str], object], Callable[[int], str]]] = {
    "resolve_party (unknown, ranked)": (norm.resolve_party, lambda n: ("Candlelite x" * n)[:n]),
    "resolve_person ('mr ' x n/3)": (
        norm.resolve_person,
        lambda n: "mr " * (n // 3 - 3) + "hun sen",
    ),
    "parse_label ('a / ' x n/4)": (norm.parse_label, lambda n: "a / " * (n // 4 - 1) + "a"),
    "parse_count (n digits)": (norm.parse_count, lambda n: "9" * n),
    "parse_date (n characters)": (norm.parse_date, lambda n: ("30/06/2023 " * n)[:n]),
    "find_persons (running text)": (norm.find_persons, lambda n: ("Hun Sen said so. " * n)[:n]),
}


def _call(fn: Callable[[str], object], text: str) -> str:
    try:
        fn(text)
    except InputTooLongError:
        return "refused"
    except cd.CambodefectError:
        return "error"
    return "ok"


def linearity() -> None:
    """Time each normalizer on 1 KB to 1 MB inputs; print a Markdown table."""
    norm.resolve_party("CNRP")  # load the dataset and build the resolvers first
    norm.resolve_person("Hun Sen")
    print(f"dataset {cd.load().version}, Python {sys.version.split()[0]}")
    print(
        f"limits: MAX_NAME_LENGTH {norm.MAX_NAME_LENGTH:,},"
        f" MAX_TEXT_LENGTH {norm.MAX_TEXT_LENGTH:,}"
    )
    print()
    print("| normalizer | " + " | ".join(f"{n // 1000:,} KB" for n in SIZES) + " | 10 KB / 1 KB |")
    print("|---|" + "---|" * (len(SIZES) + 1))
    for name, (fn, make) in LINEAR.items():
        cells, times = [], []
        for n in SIZES:
            text = make(n)
            seconds, outcome = best(functools.partial(_call, fn, text), repeat=5)
            times.append(seconds)
            cells.append(f"{seconds * 1e3:,.2f} ms ({outcome})")
        print(f"| {name} | " + " | ".join(cells) + f" | {times[1] / times[0]:,.1f}x |")


if __name__ == "__main__":
    if "--linearity" in sys.argv[1:]:
        linearity()
    else:
        main()
