"""Prose that cannot drift: every number in a lesson's markdown is checked by code or allow-listed.

A number written in a markdown cell passes when one of these holds:

* it is written, as a Python number, in a code cell next to the markdown cell (the run of code
  cells right before it or right after it): an ``assert`` that checks it, or the input that sets
  it (``lr=0.15``, ``batch_size=32``). A result must be asserted there, with the prose's precision;
  a percentage "38 %" matches 38 or 0.38, "10^{-3}" and "2 \\times 10^{-5}" match 1e-3 and 2e-5;
* it sits inside a snippet of ``ALLOWED`` for its notebook, each with the reason why it is
  definitional (lesson numbers, a formula's constants, a setting described in words);
* it is an exponent or a subscript in LaTeX (``w^2``, ``W_l``), a 0, 1 or 2 inside a formula
  (``\\frac{1}{m}``, ``1 - \\beta``, ``2/c``: constants of the formula, not results), a year after
  an author's name or in parentheses, or a label: a list, heading or table-row number, "lesson 3",
  "Lesson 3 of 6", "Exercise 2", "chapter 8".

Numbers that a lesson computes and states in a sentence are best rendered from the computation
(a code cell whose output is ``Markdown(...)``): then they are not in any markdown cell at all.
Runs without a kernel: it reads the .ipynb files.
"""
import ast
import json
import math
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

_SCI = r"(?:(\d+(?:\.\d+)?)\s*\\times\s*)?10\^\{?(\u2212|-)?(\d+)\}?"
_PLAIN = r"\d{1,3}(?:(?:,|\\,)\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"     # 50,890 and LaTeX's 50\,890
NUMBER = re.compile(rf"(?P<sci>{_SCI})|(?P<plain>{_PLAIN})(?P<pct>\s*%)?")
_YEAR_BEFORE = re.compile(r"(?:[A-Z][a-zA-Z\-]+|et al\.|[A-Z][a-z]+ and [A-Z][a-z]+),?\s*\(?$|\($")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$", re.S)
_LABEL_WORD = re.compile(r"(?i)\b(?:lessons?|exercise|chapter)\s+$|\blessons? \d+ (?:of|to|and)\s+$")
_LIST_MARK = re.compile(r"\s*(?:#+\s*|\*\*|[*-]\s+)?")      # what may precede "1." at a line start


def _strip(text):
    """Markdown without link targets and HTML tags, which hold no claims; same length."""
    blank = lambda m: " " * len(m.group(0))  # noqa: E731
    text = re.sub(r"\]\([^)]*\)", blank, text)
    return re.sub(r"<[^>]*>", blank, text)


def numbers_in(text):
    """(start, end, value, is_percent) of each number the prose states, exemptions removed."""
    text = _strip(text)
    math = [m.span() for m in _MATH.finditer(text)]
    found = []
    for m in NUMBER.finditer(text):
        before = text[:m.start()]
        if m.group("sci"):
            mantissa = float(m.group(2) or 1)
            value = mantissa * 10.0 ** (-int(m.group(4)) if m.group(3) else int(m.group(4)))
            found.append((m.start(), m.end(), value, False))
            continue
        if re.search(r"[\^_]\{?-?$|[A-Za-z\\]$", before):      # exponent, subscript, or part of a name
            continue
        line = before[before.rfind("\n") + 1:]
        if _LABEL_WORD.search(before[-30:]) or (
                _LIST_MARK.fullmatch(line) and re.match(r"\.(?:\*\*)?\s", text[m.end():m.end() + 4])) or (
                line.strip() == "|" and text[m.end():m.end() + 2] == " |"):
            continue                                               # a label, not a claim
        digits = m.group("plain")
        if digits in ("0", "1", "2") and any(a < m.start() < b for a, b in math):
            continue                                               # a formula's constant
        value = float(digits.replace("\\,", "").replace(",", ""))
        if (len(digits) == 4 and 1950 <= value <= 2029 and _YEAR_BEFORE.search(before[-40:])):
            continue                                               # a citation's year
        found.append((m.start(), m.end(), value, bool(m.group("pct"))))
    return found


def _code_numbers(source):
    """Every number written in a code cell (magics dropped), as absolute values."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set()
    return {abs(float(node.value)) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and type(node.value) in (int, float)}


def _same(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def neighbours(cells, i):
    """The code cells right before and right after markdown cell i."""
    out = []
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(cells) and cells[j]["cell_type"] == "code":
            out.append("".join(cells[j]["source"]))
            j += step
    return out


def unchecked(notebook, allowed):
    """(cell index, number text, context) of every number no code checks and no snippet allows."""
    cells = json.loads(notebook.read_text())["cells"]
    misses = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        spans = [(m.start(), m.end()) for snippet, _ in allowed
                 for m in re.finditer(re.escape(snippet), text)]
        code = set().union(*(_code_numbers(src) for src in neighbours(cells, i)))
        for start, end, value, pct in numbers_in(text):
            if any(a <= start and end <= b for a, b in spans):
                continue
            if any(_same(value, c) or (pct and _same(value / 100, c)) for c in code):
                continue
            misses.append((i, text[start:end], " ".join(text[max(0, start - 40):end + 25].split())))
    return misses


def stale(notebook, allowed):
    """Snippets of the allow-list that no markdown cell of the notebook contains any more."""
    cells = json.loads(notebook.read_text())["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return [snippet for snippet, _ in allowed if snippet not in text]


from prose_allowed import ALLOWED  # noqa: E402  (the allow-list, with a reason per snippet)


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_every_number_in_the_prose_is_checked_or_allowed(name):
    misses = unchecked(NOTEBOOKS / name, ALLOWED.get(name, []))
    assert not misses, f"{name}: numbers that no neighbouring code cell checks:\n" + "\n".join(
        f"  cell {i}: {number!r} in ...{context}..." for i, number, context in misses)


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_allow_list_is_current_and_gives_reasons(name):
    allowed = ALLOWED.get(name, [])
    assert not stale(NOTEBOOKS / name, allowed), f"{name}: snippets no longer in the notebook"
    assert all(reason.strip() for _, reason in allowed)


def test_the_scanner_sees_changed_and_new_numbers(tmp_path):
    cells = [{"cell_type": "markdown", "source": ["Only 38% settled, and $10^{-3}$ too (Smith, 2017)."]},
             {"cell_type": "code", "source": ["assert abs(share - 0.38) < 0.005 and tol == 1e-3"]}]
    path = tmp_path / "probe.ipynb"
    path.write_text(json.dumps({"cells": cells}))
    assert unchecked(path, []) == []
    cells[0]["source"] = ["Only 39% settled, and $10^{-3}$ too, in 4.4 steps (Smith, 2017)."]
    path.write_text(json.dumps({"cells": cells}))
    assert [n for _, n, _ in unchecked(path, [])] == ["39%", "4.4"]
    assert unchecked(path, [("in 4.4 steps", "a setting")])[0][1] == "39%"
