"""Render the documentation's figures from the bundled dataset.

    python bench/render_figures.py                  # docs/figures/*.png, newest dataset
    python bench/render_figures.py --out DIR        # somewhere else
    python bench/render_figures.py --version 1.0.0  # a pinned dataset version

Needs the ``plot`` extra (matplotlib). The output is deterministic for a given
matplotlib version: the Agg backend, matplotlib's default style and bundled DejaVu
fonts, a fixed size and resolution, and no software/date metadata in the PNG files.
Run it again after a dataset release and commit the PNG files with the docs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot is imported

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

import cambodefect as cd
from cambodefect import plot
from cambodefect.dataset import Dataset

DOCS_FIGURES = Path(__file__).resolve().parents[1] / "docs" / "figures"
DPI = 120


def _timeline(ds: Dataset, ax: Axes | None) -> Axes:
    return plot.timeline(ds, era="2023-wave", ax=ax)


def _reconciliation(ds: Dataset, ax: Axes | None) -> Axes:
    return plot.reconciliation(ds, ax=ax)


def _coverage_year(ds: Dataset, ax: Axes | None) -> Axes:
    return plot.coverage(ds, by="year", ax=ax)


def _coverage_outlet(ds: Dataset, ax: Axes | None) -> Axes:
    return plot.coverage(ds, by="outlet", ax=ax)


def _flows(ds: Dataset, ax: Axes | None) -> Axes:
    return plot.flows(ds, ax=ax)  # the claimant with the most claims, as the title says


def _contested(ds: Dataset, ax: Axes | None) -> Axes:
    return plot.contested(ds, ax=ax)


def _provinces(ds: Dataset, ax: Axes | None) -> Axes:
    return plot.provinces(ds, ax=ax)


# file name -> (figure size in inches, or None for the size the figure picks for its
# content, and what to draw)
FIGURES: dict[str, tuple[tuple[float, float] | None, Callable[[Dataset, Axes | None], Axes]]] = {
    "timeline.png": (None, _timeline),
    "reconciliation.png": (None, _reconciliation),
    "coverage-year.png": ((9.0, 6.4), _coverage_year),
    "coverage-outlet.png": ((9.0, 7.6), _coverage_outlet),
    "flows.png": (None, _flows),
    "contested.png": (None, _contested),
    "provinces.png": (None, _provinces),
}


def render(out: Path, ds: Dataset | None = None) -> list[Path]:
    """Render every figure into ``out``; return the files written."""
    ds = ds if ds is not None else cd.load()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with plt.style.context("default"):
        for name, (size, draw) in FIGURES.items():
            if size is None:  # the function sizes a new figure to what it draws
                fig = draw(ds, None).get_figure(root=True)
            else:
                fig = plt.figure(figsize=size, layout="constrained")
                draw(ds, fig.add_subplot())
            assert fig is not None
            path = out / name
            # No "Software" entry: the bytes depend only on the data and the drawing.
            fig.savefig(path, dpi=DPI, metadata={"Software": None})
            plt.close(fig)
            written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS_FIGURES, help="output folder")
    parser.add_argument("--version", default=None, help="dataset version (default: newest)")
    args = parser.parse_args()
    ds = cd.load(version=args.version)
    for path in render(args.out, ds):
        print(f"{path} (dataset {ds.version})")


if __name__ == "__main__":
    main()
