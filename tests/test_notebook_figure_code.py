"""The code cells a learner reads are the lesson: long drawing code sits in collapsed cells.

A code cell with many lines of matplotlib drawing must be a figure-code cell: tagged
``figure-code``, collapsed in JupyterLab (``source_hidden``) and opening with a comment that
says what it is. A figure-code cell holds drawing only, so nothing of the lesson is hidden.
"""
import json
import pathlib
import re

import pytest

NOTEBOOKS = sorted(pathlib.Path(__file__).parent.parent.joinpath("notebooks").glob("*.ipynb"))
DRAWING = re.compile(r"^\s*(fig\b|ax\w*\b|\w+\s*=\s*\w*\.?new_figure|(plots\.)?show_still\(|"
                     r"for \w+.*\bax\w*\b)")
MAX_DRAWING_LINES = 6        # a short figure may stay in the lesson's own cell
HEAD = "# Figure code"


def drawing_lines(source):
    return [line for line in source.splitlines() if DRAWING.match(line)]


def cells(path):
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_long_drawing_code_is_collapsed(path):
    for cell in cells(path):
        source = "".join(cell["source"])
        tagged = "figure-code" in cell["metadata"].get("tags", [])
        if tagged:
            assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, source[:80]
            assert source.startswith(HEAD), source[:80]
            assert "assert " not in source, f"a check hidden in figure code: {source[:80]}"
        else:
            long = drawing_lines(source)
            assert len(long) <= MAX_DRAWING_LINES, (
                f"{path.name}: {len(long)} lines of drawing in a lesson cell; move them to a "
                f"figure-code cell: {source[:80]!r}")


def test_the_check_finds_a_long_drawing_cell():
    source = "x = 1\n" + "\n".join(f"ax.plot([{i}], [{i}])" for i in range(7))
    assert len(drawing_lines(source)) == 7 > MAX_DRAWING_LINES
