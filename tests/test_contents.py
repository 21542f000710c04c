"""Tests for cambodefect._contents: the checks every loaded table passes."""

from __future__ import annotations

import subprocess
import sys

import pyarrow as pa
import pytest

from cambodefect._contents import _SMALL, _dates_in_range

FAR = 3_000_000  # days after 1970: past 9999-12-31


def _dates(values: list[int | None]) -> pa.Array:
    """A date32 array whose null slots hold ``FAR`` in the data buffer (as a crafted
    file may), and whose valid slots hold the given days."""
    data = pa.array([FAR if v is None else v for v in values], pa.int32())
    validity = pa.array([v is not None for v in values]).buffers()[1]
    return pa.Array.from_buffers(
        pa.date32(), len(values), [validity, data.buffers()[1]], null_count=values.count(None)
    )


@pytest.mark.parametrize("with_numpy", [True, False])
@pytest.mark.parametrize("size", [3, _SMALL + 5])
def test_dates_under_nulls_do_not_count(
    monkeypatch: pytest.MonkeyPatch, size: int, with_numpy: bool
) -> None:
    """Garbage in null slots is ignored; one valid far date is refused (every path)."""
    if not with_numpy:
        monkeypatch.setitem(sys.modules, "numpy", None)
    values: list[int | None] = [None if i % 2 else 19_000 for i in range(size)]
    assert _dates_in_range(_dates(values))
    values[0] = FAR
    assert not _dates_in_range(_dates(values))


@pytest.mark.parametrize("size", [3, _SMALL + 5])
def test_dates_are_checked_without_numpy(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """pyarrow does not require numpy: without it, the check still works."""
    monkeypatch.setitem(sys.modules, "numpy", None)
    values: list[int | None] = [19_000] * size
    assert _dates_in_range(_dates(values))
    values[-1] = -FAR
    assert not _dates_in_range(_dates(values))


def test_the_main_job_runs_without_numpy() -> None:
    """`cambodefect summary` (the README's main job) needs nothing pyarrow does not."""
    code = (
        "import sys; sys.modules['numpy'] = None; sys.argv = ['cambodefect', 'summary']\n"
        "from cambodefect.cli import main; main()"
    )
    result = subprocess.run(  # noqa: S603  # our own interpreter, fixed argv
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "cambodefect dataset" in result.stdout
