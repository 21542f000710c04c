"""Row arithmetic the counting rules share: masks from row numbers, ID references
looked up as rows, pairs of rows sorted once."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["filled", "marked", "pairs_once", "row_numbers", "rows_of"]


def filled(n: int, value: bool) -> pa.Array:
    """``n`` rows of ``value``."""
    return pc.fill_null(pa.nulls(n, pa.bool_()), value)


def row_numbers(n: int) -> pa.Array:
    """The row numbers ``0 .. n - 1``."""
    return pc.indices_nonzero(filled(n, True))


def pairs_once(owner: pa.Array, target: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The pairs (``owner``, ``target``), sorted, each once."""
    pairs = pa.table({"owner": owner, "target": target})
    pairs = pairs.take(pc.sort_indices(pairs, [("owner", "ascending"), ("target", "ascending")]))
    owner = pairs.column("owner").combine_chunks()
    target = pairs.column("target").combine_chunks()
    if len(owner) < 2:
        return owner, target
    repeat = pc.and_(
        pc.equal(owner.slice(1), owner.slice(0, len(owner) - 1)),
        pc.equal(target.slice(1), target.slice(0, len(target) - 1)),
    )
    first = pa.concat_arrays([pa.array([True]), pc.invert(repeat)])
    return owner.filter(first), target.filter(first)


def rows_of(refs: list[pa.Array], ids: pa.Array) -> list[pa.Array]:
    """Per reference in each of ``refs``, the row of the first claim with that ID
    (int64; null if none).

    The same as ``index_in(ref, ids)`` for each, but hashing only the referenced IDs:
    the claims are probed against the (few) references, and only the claims hit are
    hashed for the lookup, not a million IDs. Only the references given are looked up
    (most claims reference nothing), all in one, and put back in place.
    """
    given = [pc.is_valid(ref) for ref in refs]
    named = [ref.filter(mask) for ref, mask in zip(refs, given, strict=True)]
    wanted = pa.concat_arrays(named)
    hit = pc.is_in(ids, value_set=wanted)
    rows = pc.indices_nonzero(hit).cast(pa.int64())
    found = rows.take(pc.index_in(wanted, ids.filter(hit)))
    out, start = [], 0
    for ref, mask, names in zip(refs, given, named, strict=True):
        piece = found.slice(start, len(names))
        start += len(names)
        if len(names) < len(ref):
            piece = pc.replace_with_mask(pa.nulls(len(ref), pa.int64()), mask, piece)
        out.append(piece)
    return out


# ``scatter`` takes the output's length (``max_index``) from pyarrow 23 on; before, its
# output is as long as its indices, and marking rows falls back to a hash probe.
_SCATTER_TO_LENGTH = hasattr(pc, "ScatterOptions")


def marked(n: int, rows: pa.Array) -> pa.Array:
    """A mask of ``n`` rows, true at the row numbers ``rows`` (repeats allowed).

    Written straight into place (``scatter``): probing every row against ``rows``
    (``is_in``) costs a hash lookup per row, ten times as much at 10M rows.

    Examples:
        >>> marked(4, pa.array([2, 0, 2])).to_pylist()
        [True, False, True, False]
    """
    rows = pc.drop_null(rows).cast(pa.int64())  # scatter wants signed indices
    if len(rows) == 0:
        return filled(n, False)
    if _SCATTER_TO_LENGTH:
        return pc.fill_null(pc.scatter(filled(len(rows), True), rows, max_index=n - 1), False)
    return pc.is_in(row_numbers(n).cast(pa.int64()), rows)
