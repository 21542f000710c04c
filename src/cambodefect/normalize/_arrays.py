"""Vectorized resolution: an Arrow column of raw strings in, an Arrow column of results out.

Each function dictionary-encodes its input (or uses the dictionary an encoded
column already has), resolves every *distinct* value once in Python, and spreads
the results over the rows with ``take``: a million labels cost about as much as
their distinct values. No per-row Python loop runs. Nulls stay null; an Array gives
an Array and a ChunkedArray a ChunkedArray (one shared dictionary across chunks).

These functions are lenient: a value that does not resolve gives a null ID (the
``explain`` and ``parse`` variants also say why). So does a value longer than
``MAX_NAME_LENGTH`` (failure ``too_long``), without any work beyond measuring it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cambodefect._names.index import Unresolved, too_long
from cambodefect._names.labels import label_lookup
from cambodefect._names.parties import PartyMatch
from cambodefect._names.persons import PersonMatch
from cambodefect._text import MAX_NAME_LENGTH, clean_text
from cambodefect.normalize._common import party_resolver, person_resolver

if TYPE_CHECKING:
    import pyarrow as pa

    from cambodefect.dataset import Dataset

__all__ = [
    "explain_party_array",
    "parse_label_array",
    "resolve_party_array",
    "resolve_person_array",
]


def _strings(t: pa.DataType) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t))


def _plain(t: pa.DataType) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(t) or pa.types.is_large_string(t))


def prekey(values: pa.Array) -> pa.Array:
    """A cheap Arrow key that folds only noise every resolver folds too.

    ASCII case, runs of ASCII and no-break spaces (made one space, ends trimmed),
    curly single quotes (made ``'``) and zero-width spaces not followed by a combining
    mark. Each step commutes with `cambodefect._text.fold` (NFKC, then the fold
    table, then case-folding), so two values with one prekey resolve alike; a property
    test checks that the resolvers give the same answer for a value and its prekey.
    Values that differ in any other way stay apart and are resolved separately.

    Examples:
        >>> import pyarrow as pa
        >>> prekey(pa.array(["  Candlelight\u00a0PARTY ", "Hun Sen\u2019s"])).to_pylist()
        ['candlelight party', "hun sen's"]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not _plain(values.type):
        values = values.cast(pa.large_string())  # string_view has no ascii_lower kernel
    # Values that differ only in ASCII case (the commonest noise) get the remaining
    # steps once: they run on the distinct lowered values, spread back by take.
    lowered = pc.dictionary_encode(pc.ascii_lower(values))
    out = lowered.dictionary
    # Literal replacements cost a fraction of regular expressions (docs/benchmarks.md).
    out = pc.replace_substring(pc.replace_substring(out, "\u2018", "'"), "\u2019", "'")
    # A run of zero-width spaces goes, unless a combining mark follows it: the
    # expression then keeps the run's last one. Only values with a zero-width space
    # right before a mark need it; in all others each run simply goes.
    before_mark = pc.match_substring_regex(out, r"\x{200B}\pM")
    dropped = pc.replace_substring(out, "\u200b", "")
    if pc.any(before_mark).as_py():
        kept = pc.replace_substring_regex(out, r"\x{200B}+(\PM|$)", r"\1")
        dropped = pc.if_else(before_mark, kept, dropped)
    # A run of ASCII spaces, tabs, line and form feeds and no-break spaces: one space.
    # Splitting on ASCII whitespace joins each run into one separator.
    out = pc.replace_substring(dropped, "\u00a0", " ")
    out = pc.binary_join(pc.ascii_split_whitespace(out), pa.scalar(" ", out.type))
    return pc.utf8_trim(out, " ").take(lowered.indices)


def map_distinct(
    arr: pa.Array | pa.ChunkedArray,
    fn: Callable[[str], Any],
    out_type: pa.DataType,
    *,
    by_prekey: bool = False,
    per_value: Callable[[Any], bool] | None = None,
    again: Callable[[str], Any] | None = None,
) -> pa.Array | pa.ChunkedArray:
    """``fn`` of every distinct non-null string of ``arr``, spread over its rows by ``take``.

    With ``by_prekey``, ``fn`` runs once per distinct `prekey` of the values
    (fewer, where the column is noisy): only for functions whose answer does not echo
    their input (IDs, not messages), or with ``per_value``, a test of an answer that
    may echo it (a failure's reason quotes the text): such answers are computed
    again from each value that gave that prekey, by ``again`` (default ``fn``), as
    are values over the length limit.

    Raises:
        TypeError: ``arr`` is not an Arrow string (or dictionary-of-string) column.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(arr, pa.Array | pa.ChunkedArray):
        raise TypeError(f"expected a pyarrow Array or ChunkedArray, got {type(arr).__name__}")
    if pa.types.is_null(arr.type):
        return pa.nulls(len(arr), out_type)
    value_type = arr.type.value_type if pa.types.is_dictionary(arr.type) else arr.type
    if not _strings(value_type):
        raise TypeError(f"expected a string column, got {arr.type}")
    encoded = arr if pa.types.is_dictionary(arr.type) else pc.dictionary_encode(arr)

    def spread(dictionary: pa.Array) -> pa.Array:
        if not by_prekey:
            return pa.array(
                [None if v is None else fn(v) for v in dictionary.to_pylist()], out_type
            )
        keys = pc.dictionary_encode(prekey(dictionary))
        answers = [None if k is None else fn(k) for k in keys.dictionary.to_pylist()]
        index = keys.indices
        # A prekey can be shorter than its value, so a value over the length limit is
        # answered on its own (fn refuses it, having measured it), as is a value whose
        # key's answer may echo its text.
        plain = dictionary if _plain(dictionary.type) else dictionary.cast(pa.large_string())
        redo = pc.greater(pc.utf8_length(plain), MAX_NAME_LENGTH)
        echo = [i for i, a in enumerate(answers) if a is not None and per_value and per_value(a)]
        if echo:
            redo = pc.or_(redo, pc.is_in(index, pa.array(echo, index.type)))
        if pc.any(redo).as_py():
            values = dictionary.filter(redo).to_pylist()
            at = pa.array(range(len(answers), len(answers) + len(values)), index.type)
            answers += list(map(again or fn, values))
            index = pc.replace_with_mask(index, redo, at)
        return pa.array(answers, out_type).take(index)

    if isinstance(encoded, pa.ChunkedArray):
        if encoded.num_chunks == 0:
            return pa.chunked_array([], type=out_type)
        encoded = encoded.unify_dictionaries()
        mapped = spread(encoded.chunk(0).dictionary)
        return pa.chunked_array([mapped.take(c.indices) for c in encoded.chunks], type=out_type)
    return spread(encoded.dictionary).take(encoded.indices)


def _id(found: PartyMatch | PersonMatch | Unresolved) -> str | None:
    return None if isinstance(found, Unresolved) else found.id


def resolve_party_array(
    arr: pa.Array | pa.ChunkedArray, ds: Dataset | None = None
) -> pa.Array | pa.ChunkedArray:
    """The party-table ID of every value (null where it does not resolve), vectorized.

    Each distinct value is resolved once, as [`resolve_party`][cambodefect.normalize.resolve_party]
    would (lenient: compound labels, unknown and ambiguous names give null; see
    [`explain_party_array`][cambodefect.normalize.explain_party_array] for why,
    [`parse_label_array`][cambodefect.normalize.parse_label_array] for compounds).

    Raises:
        TypeError: ``arr`` is not an Arrow string (or dictionary-of-string) column.

    Examples:
        >>> import pyarrow as pa
        >>> resolve_party_array(pa.array(["CNRP", "candlelight", None, "Nowhere"])).to_pylist()
        ['cambodia-national-rescue-party', 'candlelight-party', None, None]
    """
    import pyarrow as pa

    resolver = party_resolver(ds)
    return map_distinct(
        arr, lambda v: _id(resolver.lookup(v, suggest=False)), pa.string(), by_prekey=True
    )


def explain_party_array(
    arr: pa.Array | pa.ChunkedArray, ds: Dataset | None = None
) -> pa.Array | pa.ChunkedArray:
    """Per value: the ID and kind it resolves to, or the failure, reason and suggestions.

    A struct column with fields ``id``, ``kind``, ``failure`` (a
    [`Failure`][cambodefect.normalize.Failure] value), ``reason`` and ``suggestions``;
    null rows stay null.

    Examples:
        >>> import pyarrow as pa
        >>> rows = explain_party_array(pa.array(["Unnamed Parties", "CNRP / Candlelight"]))
        >>> rows.field("kind").to_pylist(), rows.field("failure").to_pylist()
        (['placeholder', None], [None, 'compound'])
    """
    import pyarrow as pa

    resolver = party_resolver(ds)
    out_type = pa.struct(
        [
            ("id", pa.string()),
            ("kind", pa.string()),
            ("failure", pa.string()),
            ("reason", pa.string()),
            ("suggestions", pa.list_(pa.string())),
        ]
    )

    def explain(value: str) -> dict[str, Any]:
        found = resolver.lookup(value)
        if isinstance(found, Unresolved):
            return {
                "failure": found.failure.value,
                "reason": found.reason,
                "suggestions": list(found.suggestions),
            }
        return {"id": found.id, "kind": found.kind.value, "suggestions": []}

    return map_distinct(arr, explain, out_type)


def parse_label_array(
    arr: pa.Array | pa.ChunkedArray, ds: Dataset | None = None
) -> pa.Array | pa.ChunkedArray:
    """[`parse_label`][cambodefect.normalize.parse_label] of every value, vectorized: entries and
    people per label.

    A struct column with fields ``from_party_ids`` and ``person_ids`` (lists of IDs,
    null where the label does not parse), ``failure`` and ``reason``.

    Examples:
        >>> import pyarrow as pa
        >>> rows = parse_label_array(pa.array([
        ...     "Candlelight Party / Unnamed Parties",
        ...     "Candlelight Party (including lawyer Ket Khy)",
        ... ]))
        >>> rows.field("from_party_ids").to_pylist()
        [['candlelight-party', 'unnamed-parties'], ['candlelight-party']]
        >>> rows.field("person_ids").to_pylist()
        [[], ['ket-khy']]
    """
    import pyarrow as pa

    parties, persons = party_resolver(ds), person_resolver(ds)
    out_type = pa.struct(
        [
            ("from_party_ids", pa.list_(pa.string())),
            ("person_ids", pa.list_(pa.string())),
            ("failure", pa.string()),
            ("reason", pa.string()),
        ]
    )

    def parse(value: str) -> dict[str, Any]:
        found = label_lookup(value, parties, persons, suggest=False)
        if isinstance(found, Unresolved):
            return {"failure": found.failure.value, "reason": found.reason}
        return {"from_party_ids": found.from_party_ids, "person_ids": found.person_ids}

    failed: dict[str | None, dict[str, Any]] = {}

    def parse_failing(value: str) -> dict[str, Any]:
        # For spellings whose prekey does not parse: each fails too (the prekey
        # property), and a failure's reason quotes the label as clean_text leaves it,
        # so spellings that clean alike share one parse. Over-long values are refused
        # on their own, before any cleaning.
        if too_long(value) is not None:
            return parse(value)
        key = clean_text(value)
        if key not in failed:
            failed[key] = parse(value)
        return failed[key]

    # A failure's reason quotes the label: those are parsed again from each spelling.
    return map_distinct(
        arr,
        parse,
        out_type,
        by_prekey=True,
        per_value=lambda row: "failure" in row,
        again=parse_failing,
    )


def resolve_person_array(
    arr: pa.Array | pa.ChunkedArray, ds: Dataset | None = None, *, partial: bool = False
) -> pa.Array | pa.ChunkedArray:
    """The person ID of every value (null where it does not resolve), vectorized.

    Each distinct value is resolved once, as
    [`resolve_person`][cambodefect.normalize.resolve_person] would (lenient).

    Examples:
        >>> import pyarrow as pa
        >>> resolve_person_array(pa.array(["Soung Sophorn", "Hun Kosal", "Bunthorn"])).to_pylist()
        ['suong-sophorn', 'hun-kosal', None]
    """
    import pyarrow as pa

    resolver = person_resolver(ds)
    return map_distinct(
        arr,
        lambda v: _id(resolver.lookup(v, partial=partial, suggest=False)),
        pa.string(),
        by_prekey=True,
    )
