"""Row arithmetic of the counting rules (aggregate._rows) against plain Python."""

from __future__ import annotations

from unittest import mock

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from cambodefect.aggregate import _rows


@given(n=st.integers(0, 60), data=st.data())
def test_marked_rows_are_exactly_the_listed_ones(n: int, data: st.DataObject) -> None:
    """A mask true at the listed row numbers (repeats and nulls allowed), whether it is
    written in place (pyarrow 23 and later) or probed row by row (before)."""
    listed = data.draw(st.lists(st.one_of(st.none(), st.integers(0, max(n - 1, 0))), max_size=30))
    listed = listed if n else []
    expected = [i in set(listed) for i in range(n)]
    for in_place in sorted({False, _rows._SCATTER_TO_LENGTH}):
        with mock.patch.object(_rows, "_SCATTER_TO_LENGTH", in_place):
            mask = _rows.marked(n, pa.array(listed, pa.uint64()))
        assert mask.type == pa.bool_()
        assert mask.to_pylist() == expected, in_place


@given(
    ids=st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=8),
    refs=st.lists(
        st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "x"])), max_size=6),
        min_size=1,
        max_size=3,
    ),
)
def test_rows_of_are_the_rows_of_the_first_claim_with_each_id(
    ids: list[str], refs: list[list[str | None]]
) -> None:
    """Each reference's row is that of the first claim with its ID (repeated IDs
    included), null where none or no reference, for every list of references at once."""
    found = _rows.rows_of([pa.array(r, pa.string()) for r in refs], pa.array(ids, pa.string()))
    first = {i: n for n, i in reversed(list(enumerate(ids)))}
    expected = [[first.get(x) if x else None for x in r] for r in refs]
    assert [f.to_pylist() for f in found] == expected


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=20))
def test_pairs_once_are_the_sorted_distinct_pairs(pairs: list[tuple[int, int]]) -> None:
    owner, target = _rows.pairs_once(
        pa.array([a for a, _ in pairs], pa.int64()), pa.array([b for _, b in pairs], pa.int64())
    )
    assert list(zip(owner.to_pylist(), target.to_pylist(), strict=True)) == sorted(set(pairs))
