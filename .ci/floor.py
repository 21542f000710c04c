"""The dependency floor, tested: the suite on the oldest Python with every runtime
dependency at its declared minimum.

pyproject.toml's ``[project].dependencies`` are read with tomllib and each ``>=X`` floor
becomes ``==X``, so a dependency added later is covered without editing this file. The
test tools ('.[test]') are installed under those pins as pip constraints: if a test tool
needs a newer runtime dependency than the floor, pip fails and the floor must rise.

Usage: python3 .ci/floor.py [--python python3.11] [--venv .venv-py-floor] [--try NAME==X]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_FLOOR_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*>=\s*([0-9][0-9A-Za-z.]*)\s*$")


def floor_pins(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """``name==X`` for each runtime dependency declared ``name>=X``; any other form fails."""
    with pyproject.open("rb") as file:
        project = tomllib.load(file)["project"]
    pins = []
    for requirement in project["dependencies"]:
        match = _FLOOR_RE.match(requirement)
        if match is None:
            msg = f"dependency {requirement!r} has no plain '>=' floor to pin"
            raise ValueError(msg)
        pins.append(f"{match[1]}=={match[2]}")
    return pins


def oldest_python(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The X.Y of ``requires-python = ">=X.Y"``."""
    with pyproject.open("rb") as file:
        requires = tomllib.load(file)["project"]["requires-python"]
    match = re.fullmatch(r">=\s*(3\.\d+)", requires.strip())
    if match is None:
        msg = f"requires-python {requires!r} is not a plain '>=3.X'"
        raise ValueError(msg)
    return match[1]


def find_interpreter(version: str) -> str:
    """python{version} on PATH (if it runs), else the newest pyenv build of it."""
    found = shutil.which(f"python{version}")
    if found and subprocess.run([found, "-c", "pass"], capture_output=True).returncode == 0:  # noqa: S603
        return found
    for root in (Path.home() / ".pyenv" / "versions",):
        builds = sorted(root.glob(f"{version}.*/bin/python3"))
        if builds:
            return str(builds[-1])
    msg = f"Python {version} (requires-python's floor) is not installed here"
    raise SystemExit(msg)


# Run inside the floor venv: each pin is the version installed (PEP 440 equality).
_CHECK_PINS = """
import sys
from importlib.metadata import version
from packaging.version import Version
for pin in sys.argv[1:]:
    name, want = pin.split("==")
    if Version(version(name)) != Version(want):
        sys.exit(f"the floor job installed {name} {version(name)}, not {want}")
"""


def run(*args: str) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, check=True, cwd=ROOT)  # noqa: S603


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", help="interpreter (default: requires-python's floor)")
    parser.add_argument("--venv", default=str(ROOT / ".venv-py-floor"))
    parser.add_argument(
        "--try",
        dest="overrides",
        action="append",
        default=[],
        metavar="NAME==X",
        help="try another pin for one dependency (to find a floor before raising it)",
    )
    options = parser.parse_args()
    started = time.monotonic()
    interpreter = options.python or find_interpreter(oldest_python())
    pins = floor_pins()
    for override in options.overrides:
        name = override.split("==")[0].strip().lower()
        pins = [p for p in pins if p.split("==")[0].lower() != name] + [override]
    venv = Path(options.venv)
    shutil.rmtree(venv, ignore_errors=True)
    run(interpreter, "-m", "venv", str(venv))
    python = str(venv / "bin" / "python")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as constraints:
        constraints.write("\n".join(pins) + "\n")
    print("== floor pins:", ", ".join(pins), flush=True)
    run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    # Each pinned dependency from a wheel: a floor users cannot install is no floor.
    wheels = ",".join(pin.split("==")[0] for pin in pins)
    install = [python, "-m", "pip", "install", "--quiet", "--only-binary", wheels]
    print("+", " ".join(install), flush=True)
    done = subprocess.run(  # noqa: S603
        [*install, "--constraint", constraints.name, ".[test]"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    print(done.stdout + done.stderr, end="", flush=True)
    if done.returncode:
        sys.exit("the floor pins do not install")
    if "yanked version" in done.stderr:  # pip's resolver never picks one for '>=': no floor
        sys.exit("a floor pin is a yanked release: raise it to the next release")
    run(python, "-m", "pip", "check")
    run(python, "-c", _CHECK_PINS, *pins)
    run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    print(f"== floor job passed in {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
