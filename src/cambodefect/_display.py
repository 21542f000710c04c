"""How records read to a person: a short line, one sentence, an HTML table.

The models' ``__str__``, ``_repr_html_`` and [`Claim.explain`][cambodefect.Claim.explain] are
written here, once, so that a REPL line, a notebook cell and the CLI say the same thing. Nothing
here changes a value: imprecise dates stay imprecise ("2023-06", "2017"), vague counts stay vague,
and a Khmer phrase is shown as printed.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cambodefect.dataset import Dataset
    from cambodefect.models import Claim
    from cambodefect.values import Count, Evidence, FuzzyDate

__all__ = [
    "count_text",
    "date_text",
    "explain",
    "html_record",
    "html_table",
    "short",
    "summary",
]

_QUALIFIER_WORDS = {
    "approximate": "about",
    "at_least": "at least",
    "more_than": "more than",
    "fewer_than": "fewer than",
}
_MAX_TEXT = 80  # longest note or title a short line shows before cutting it


def date_text(when: FuzzyDate | None) -> str:
    """A date at its stated precision: ``2023-06-30``, ``2023-06``, ``2017``, or an
    ISO 8601 interval for a range (``2023-05-01/2023-06-30``, open ends as ``..``).

    Examples:
        >>> from cambodefect.values import FuzzyDate
        >>> date_text(FuzzyDate.year(2017)), date_text(FuzzyDate.month(2023, 6))
        ('2017', '2023-06')
        >>> date_text(None)
        'undated'
    """
    if when is None:
        return "undated"
    return _date_text(when.precision.value, when.start, when.end)


def _date_text(kind: str, start: date | None, end: date | None) -> str:
    if kind == "day" and start is not None:
        return start.isoformat()
    if kind == "month" and start is not None:
        return start.isoformat()[:7]
    if kind == "year" and start is not None:
        return f"{start.year:04d}"
    first = start.isoformat() if start else ".."
    last = end.isoformat() if end else ".."
    return f"{first}/{last}"


def count_text(count: Count | None) -> str:
    """A count as claimed: the figure with its qualifier and unit, never more precise.

    Examples:
        >>> from cambodefect.values import Count
        >>> count_text(Count.exact(774, unit="officials", text="774"))
        '774 officials'
        >>> count_text(Count(qualifier="vague", text="hundreds, thousands"))
        "'hundreds, thousands' (vague)"
    """
    if count is None:
        return "no figure"
    unit = count.unit.value
    kind = count.qualifier.value
    if kind == "vague" or (count.value is None and count.low is None and count.high is None):
        return f"{count.text!r} (vague)" if count.text else f"a vague number of {unit}"
    if kind == "range" and count.low is not None and count.high is not None:
        return f"{count.low:,} to {count.high:,} {unit}"
    if kind == "more_than" and count.low is not None:
        return f"more than {count.low - 1:,} {unit}"
    if kind == "fewer_than" and count.high is not None:
        return f"fewer than {count.high + 1:,} {unit}"
    figure = next(v for v in (count.value, count.low, count.high) if v is not None)
    words = _QUALIFIER_WORDS.get(kind, "")
    return f"{words} {figure:,} {unit}".strip()


def _cut(text: str, limit: int = _MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _where(ev: Evidence) -> str:
    return f"{ev.source_id}, {ev.locator}"


def short(record: Any) -> str:
    """One line naming a record: its ID and what it is (``str()`` of every model).

    Examples:
        >>> import cambodefect as cd
        >>> print(cd.load("2.0.0").party("CNRP"))
        cambodia-national-rescue-party: Cambodia National Rescue Party (party)
        >>> str(cd.load("2.0.0").claim("ppp-2017-cpp-tally-774")).split(", claimed")[0]
        'ppp-2017-cpp-tally-774: total of 774 officials'

    """
    name = type(record).__name__
    if name == "Claim":
        who = record.claimant.id or record.claimant.label or record.claimant.kind.value
        what = record.kind.value
        figure = "" if record.count is None else f" of {count_text(record.count)}"
        when = record.period or record.reported
        return (
            f"{record.id}: {what}{figure}, claimed by {who} "
            f"({record.claimant.alignment.value}), {date_text(when)} "
            f"[{_where(record.evidence[0])}]"
        )
    if name == "Party":
        return f"{record.id}: {record.name} ({record.kind.value})"
    if name == "Person":
        return f"{record.id}: {record.name}"
    if name == "Source":
        when = date_text(record.published)
        by = f"{record.publisher}, " if record.publisher else ""
        return f"{record.id}: {_cut(record.title or '(untitled)')} ({by}{when})"
    if name == "Event":
        where = f", {record.place.text}" if getattr(record, "place", None) else ""
        return f"{record.id}: {record.kind.value}, {date_text(record.date)}{where}"
    return repr(record)


def explain(claim: Claim, ds: Dataset | None = None) -> str:
    """The claim in one sentence, with where it was read (see
    [`Claim.explain`][cambodefect.Claim.explain])."""
    who = claim.claimant.id or claim.claimant.label or "an unnamed claimant"
    where = claim.evidence[0]
    url = None
    if ds is not None:
        who = _name(ds, claim.claimant.kind.value, who)
        source = _lookup(ds, "source", where.source_id)
        url = getattr(source, "url", None)
    side = claim.claimant.alignment.value.replace("_", "-")
    kind = claim.kind.value
    if claim.count is None:
        said = f"made a {kind.replace('_', ' ')} claim"
    else:
        phrase = {"defection": "the defection of", "total": "a total of"}.get(kind, f"a {kind} of")
        said = f"claimed {phrase} {count_text(claim.count)}"
    parties = " and ".join(claim.from_party_ids)
    movement = f" from {parties}" if parties else ""
    if claim.to_party_id:
        movement += f" to {claim.to_party_id}"
    when = claim.period or claim.reported
    date = "" if when is None else f" ({date_text(when)})"
    cited = f"{where.source_id}, {where.locator}" + (f" ({url})" if url else "")
    more = len(claim.evidence) - 1
    also = f", and {more} more place{'s' * (more != 1)}" if more else ""
    return f"{who} ({side}) {said}{movement}{date}; read in {cited}{also}."


def _lookup(ds: Dataset, table: str, ident: str) -> Any:
    try:
        return getattr(ds, table)(ident)
    except (KeyError, LookupError):
        return None


def _name(ds: Dataset, kind: str, ident: str) -> str:
    table = {"person": "person", "organization": "party", "source": "source"}.get(kind)
    record = _lookup(ds, table, ident) if table else None
    return str(getattr(record, "name", None) or getattr(record, "title", None) or ident)


def _cell(value: Any) -> str:
    if value is None:
        return "<i>null</i>"
    if isinstance(value, tuple):
        return "<br>".join(_cell(v) for v in value) or "<i>none</i>"
    text = short(value) if type(value).__name__ in {"Claim", "Party"} else str(value)
    return html.escape(text)


def html_record(record: Any) -> str:
    """A record as an HTML table of its fields (``_repr_html_`` of every model)."""
    import attrs

    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(f.name)}</th>"
        f"<td style='text-align:left'>{_cell(getattr(record, f.name))}</td></tr>"
        for f in attrs.fields(type(record))
    )
    title = html.escape(f"{type(record).__name__} {getattr(record, 'id', '')}")
    return f"<table><caption>{title}</caption>{rows}</table>"


def html_table(caption: str, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A small HTML table, every cell escaped."""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><caption>{html.escape(caption)}</caption><tr>{head}</tr>{body}</table>"


def summary(ds: Dataset) -> str:
    """[`Dataset.summary`][cambodefect.Dataset.summary]: the version, each table's rows, and the
    claims' dates from the earliest to the latest, each at its own precision."""
    released = f" (released {ds.manifest.released})" if ds.manifest.released else ""
    lines = [f"cambodefect dataset {ds.version}{released}"]
    for name in ("parties", "persons", "sources", "events", "claims"):
        lines.append(f"  {name:<8} {ds.table(name).num_rows:>5} rows")
    span = _date_span(ds)
    lines.append(f"  claims dated {span[0]} to {span[1]}" if span else "  claims carry no dates")
    return "\n".join(lines)


def _date_span(ds: Dataset) -> tuple[str, str] | None:
    """The earliest and latest claim dates (period or reported), each as it reads."""
    import pyarrow as pa
    import pyarrow.compute as pc

    dates = pa.concat_arrays([ds.claims.column(c).combine_chunks() for c in ("period", "reported")])
    # flatten() (unlike field()) carries the struct's own nulls into its children.
    parts = dict(zip((f.name for f in dates.type), dates.flatten(), strict=True))
    early = pc.coalesce(parts["start"], parts["end"])  # an open start: its end is earliest
    late = pc.coalesce(parts["end"], parts["start"])
    if early.null_count == len(early):
        return None

    def read(index: int) -> str:
        row = dates[index].as_py()
        return _date_text(str(row["precision"]), row["start"], row["end"])

    return read(pc.index(early, pc.min(early)).as_py()), read(pc.index(late, pc.max(late)).as_py())
