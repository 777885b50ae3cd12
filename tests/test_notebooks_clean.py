"""Notebooks are stored clean: no outputs, no execution counts, no stored widget state,
and the first code cell switches matplotlib to the interactive ipympl backend.

"Stored" is what git holds (the index: what the next commit takes), so a learner's JupyterLab
session, whose autosave writes outputs into the files, does not fail these tests. Outside a git
clone, and for a notebook git does not track yet, the file itself is checked.
"""
import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def stored(path):
    """The notebook's text in git's index, or the file's text when git does not hold it."""
    try:
        shown = subprocess.run(["git", "show", f":./{path.relative_to(ROOT).as_posix()}"],
                               cwd=ROOT, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return path.read_text(encoding="utf-8")
    return shown.stdout.decode("utf-8")


def _load(path):
    return json.loads(stored(path))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebook found under notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    nb = _load(path)
    dirty = [
        i for i, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    assert not dirty, (f"{path.name}: cells {dirty} have outputs or execution counts as stored "
                       "(strip them with nbstripout --keep-id, then git add)")
    assert "widgets" not in nb.get("metadata", {}), f"{path.name}: stored widget state in the metadata"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_uses_ipympl(path):
    code = [c for c in _load(path)["cells"] if c["cell_type"] == "code"]
    assert code, f"{path.name} has no code cell"
    source = "".join(code[0]["source"])
    assert "%matplotlib widget" in [line.strip() for line in source.splitlines()], f"{path.name}: first code cell lacks '%matplotlib widget'"
