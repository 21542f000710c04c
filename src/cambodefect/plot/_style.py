"""What every figure shares: colours, hatches, outlines, axes, captions, display names."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Literal

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from cambodefect import _optional
from cambodefect._frame import frame_of

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from cambodefect.dataset import Dataset

# Face colours for former parties, largest group first (colour-blind-safe tab10 order,
# then its light variants); joint rows, placeholders and non-party labels get a hatch too.
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#dbdb8d",
    "#9edae5",
)
NO_PARTY_COLOUR = "#d9d9d9"
HATCH = {"joint": "///", "placeholder": "..", "non_party": "xx"}
# Claimants are told apart by the outline of their bars (and by position in a group).
OUTLINES: tuple[tuple[str, Literal["-", "--", ":", "-."]], ...] = (
    ("black", "-"),
    ("#b2182b", "--"),
    ("#2166ac", ":"),
    ("#4d4d4d", "-."),
)
ALIGNMENT = {"government_aligned": "government-aligned", "ruling_party": "ruling party"}
MAX_LABELLED = 30  # with more bars than this, bars are too narrow for their labels


def new_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """``ax``, or the axes of a new figure of ``size`` inches (needs the ``plot`` extra)."""
    plt = _optional.pyplot()
    if ax is not None:
        return ax
    fig = plt.figure(figsize=size, layout="constrained")
    new: Axes = fig.add_subplot()
    return new


def nothing_to_draw(ax: Axes, text: str) -> None:
    """Say in the middle of empty axes why nothing is drawn."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color="#444444")


def caption(ax: Axes, notes: list[str], width: int = 125) -> None:
    """``notes`` under the x-axis label, each wrapped to ``width`` characters (IDs and
    hyphenated names are never broken)."""
    text = "\n".join(
        textwrap.fill(n, width, subsequent_indent="  ", break_on_hyphens=False) for n in notes
    )
    # Anchored under the x-axis label, so it never overlaps the tick labels.
    ax.annotate(
        text,
        (0, 0),
        xycoords=("axes fraction", ax.xaxis.label),
        xytext=(0, -6),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=8,
        color="#444444",
        annotation_clip=False,
    )


def _encoded(values: pa.Array) -> pa.DictionaryArray:
    """``values`` as a dictionary array (the claims table stores them so already)."""
    if isinstance(values, pa.DictionaryArray):
        return values
    encoded: pa.DictionaryArray = pc.dictionary_encode(values)
    return encoded


@attrs.frozen
class Names:
    """Display names for the IDs a figure shows (claimants, parties)."""

    parties: dict[str, tuple[str, str]]  # id -> (short or full name, kind)
    persons: dict[str, str]
    sources: dict[str, str]
    claimants: dict[str, tuple[str, str]]  # claimant -> (kind, alignment)

    @classmethod
    def of(cls, ds: Dataset) -> Names:
        p = ds.parties
        parties = {
            i: (s or n, str(k))
            for i, n, s, k in zip(
                p["id"].to_pylist(),
                p["name"].to_pylist(),
                p["short_name"].to_pylist(),
                p["kind"].cast(pa.string()).to_pylist(),
                strict=True,
            )
        }
        persons = dict(
            zip(ds.persons["id"].to_pylist(), ds.persons["name"].to_pylist(), strict=True)
        )
        s = ds.sources
        sources: dict[str, str] = {}
        for i, pub, pub_id, t in zip(
            s["id"].to_pylist(),
            s["publisher"].to_pylist(),
            s["publisher_id"].to_pylist(),
            s["title"].to_pylist(),
            strict=True,
        ):
            pub = parties[pub_id][0] if pub_id in parties else pub  # "CamboJA", not the long name
            sources[i] = f"{pub}, “{t}”" if pub and t else (pub or t or i)
        # each claimant's kind and alignment as first given: the first of each claimant's
        # dictionary codes, grouped by the claims frame's claimant keys (an aggregation
        # has built them already), the codes read as strings for the few claimants only
        kind, alignment, _c_id, _c_label = ds.claims.column("claimant").combine_chunks().flatten()
        kind, alignment = _encoded(kind), _encoded(alignment)
        firsts = (
            pa.table(
                {
                    "claimant": frame_of(ds).column("claimant"),
                    "kind": kind.indices,
                    "alignment": alignment.indices,
                }
            )
            .group_by("claimant", use_threads=False)
            .aggregate([("kind", "first"), ("alignment", "first")])
        )
        firsts = firsts.filter(pc.is_valid(firsts.column("claimant")))
        kinds = kind.dictionary.cast(pa.string()).take(firsts.column("kind_first"))
        alignments = alignment.dictionary.cast(pa.string()).take(firsts.column("alignment_first"))
        claimants: dict[str, tuple[str, str]] = {
            c: (k or "", a or "unknown")
            for c, k, a in zip(
                firsts.column("claimant").to_pylist(),
                kinds.to_pylist(),
                alignments.to_pylist(),
                strict=True,
            )
        }
        return cls(parties, persons, sources, claimants)

    def claimant(self, ident: str, *, alignment: bool = True, width: int = 60) -> str:
        kind, align = self.claimants.get(ident, ("", "unknown"))
        if kind == "person":
            name = self.persons.get(ident, ident)
        elif kind == "organization":
            name = self.parties.get(ident, (ident, ""))[0]
        elif kind == "source":
            name = self.sources.get(ident, ident)
        else:
            name = ident
        name = shorten(name, width)
        if not alignment:
            return name
        return f"{name} ({ALIGNMENT.get(align, align)})"

    def party(self, key: str | None) -> tuple[str, str]:
        """(label, kind) of a ``party_key``: joint keys, placeholders and non-party
        labels say what they are."""
        if key is None:
            return "no former party stated", "none"
        if "+" in key:
            names = " + ".join(self.parties.get(k, (k, ""))[0] for k in key.split("+"))
            return f"{names} (joint row)", "joint"
        name, kind = self.parties.get(key, (key, "party"))
        suffix = {"placeholder": " (placeholder)", "non_party": " (not a party)"}.get(kind, "")
        return name + suffix, kind


def has_khmer(text: str | None) -> bool:
    """Whether ``text`` holds Khmer script, which the default fonts cannot draw."""
    return bool(text) and any(
        "\u1780" <= ch <= "\u17ff" or "\u19e0" <= ch <= "\u19ff" for ch in text or ""
    )


def printed(text: str | None, figure: str) -> str:
    """A phrase as printed, in quotes; where it is in Khmer (no glyphs in the default
    fonts), ``figure`` with a note that it was printed in Khmer, never the Khmer text."""
    if has_khmer(text):
        return f"{figure} (printed in Khmer)"
    return f"“{text}”"


def shorten(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    cut = text[: width - 1].rstrip()
    return cut + ("…”" if "“" in cut else "…")
