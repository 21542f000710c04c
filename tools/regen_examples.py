"""Rewrite the expected output of the ``pycon`` examples in Markdown files that no longer match.

Usage: ``python -m tools.regen_examples docs/guide.md [README.md ...]``

Runs every example of a file in order, in one namespace (as the tests do), and replaces
the expected output of each example whose output differs with what the code prints now;
examples that still match (``...`` and whitespace as doctest allows) are left as they
are. An exception is written as doctest expects it: the traceback header, ``...`` and
the last line. Review the diff: this tool records what the code does, it does not judge.
"""

from __future__ import annotations

import doctest
import re
import sys
import traceback
from pathlib import Path

_FENCE = re.compile(r"^```(?:python|pycon)\n(.*?)^```", re.DOTALL | re.MULTILINE)
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _run(example: doctest.Example, namespace: dict[str, object]) -> str:
    import contextlib
    import io

    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            code = compile(example.source, "<example>", "single")
            exec(code, namespace)  # noqa: S102  # our own documentation's examples
    except Exception as err:  # recorded as the expected traceback
        last = traceback.format_exception_only(type(err), err)[-1].rstrip("\n")
        name = f"{type(err).__module__}.{type(err).__qualname__}"
        last = last.replace(type(err).__qualname__, name, 1) if "." not in last[:60] else last
        return "Traceback (most recent call last):\n...\n" + last + "\n"
    return out.getvalue()


def regenerate(path: Path) -> int:
    """Rewrite ``path``'s stale example outputs; return how many were rewritten."""
    text = path.read_text(encoding="utf-8")
    checker = doctest.OutputChecker()
    parser = doctest.DocTestParser()
    namespace: dict[str, object] = {"__name__": "__main__"}
    changed = 0
    pieces: list[str] = []
    last = 0
    for fence in _FENCE.finditer(text):
        block = fence.group(1)
        new_block: list[str] = []
        for part in parser.parse(block):
            if isinstance(part, str):
                new_block.append(part)
                continue
            got = _run(part, namespace)
            prompt = "".join(
                ("... " if i else ">>> ") + line + "\n"
                for i, line in enumerate(part.source.rstrip("\n").split("\n"))
            )
            if checker.check_output(part.want, got, _FLAGS):
                new_block.append(prompt + part.want)
            else:
                changed += 1
                new_block.append(prompt + got)
        pieces.append(text[last : fence.start(1)] + "".join(new_block))
        last = fence.end(1)
    pieces.append(text[last:])
    new = "".join(pieces)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    for name in argv:
        print(f"{name}: {regenerate(Path(name))} example(s) rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
