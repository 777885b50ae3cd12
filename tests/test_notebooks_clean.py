"""Notebooks are stored clean: no outputs, no execution counts, no stored widget state,
and the first code cell switches matplotlib to the interactive ipympl backend."""
import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebook found under notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    nb = _load(path)
    dirty = [
        i for i, cell in enumerate(nb["cells"])
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} have outputs or execution counts (clear them before committing)"
    assert "widgets" not in nb.get("metadata", {}), f"{path.name}: stored widget state in the metadata"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_uses_ipympl(path):
    code = [c for c in _load(path)["cells"] if c["cell_type"] == "code"]
    assert code, f"{path.name} has no code cell"
    source = "".join(code[0]["source"])
    assert "%matplotlib widget" in [line.strip() for line in source.splitlines()], f"{path.name}: first code cell lacks '%matplotlib widget'"
