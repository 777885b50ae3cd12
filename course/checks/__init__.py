"""Self-checks for the exercises: each says right, not yet, or what to look at, and never raises.

A check returns True or False and shows a short message. An answer left as ``None`` (or ``...``)
is "not answered yet", so a notebook runs from top to bottom before the student writes anything.
Lesson-specific checks live in the modules of this package named after the lessons;
``course.checks.exercise.ask`` puts any of them behind an answer field and a Check button,
for dashboards, where code cells are hidden.
"""
from contextlib import contextmanager

import numpy as np

from course import validate

# text colours with a contrast of at least 4.5:1 on white (WCAG 2.1 AA)
_STYLE = {True: ("#1a7f37", "✔"), False: ("#c62828", "✘"), None: ("#595959", "…")}
_collectors = []    # while an Exercise widget runs a check, show() hands the results to it


def show(status, message):
    """Display one check result: status True (right), False (not yet), None (not answered)."""
    from IPython.display import HTML, display

    if isinstance(status, (bool, np.bool_)):
        status = bool(status)
    elif status is not None:
        raise ValueError(f"status must be True, False or None, got {validate._show(status)}")
    if _collectors:
        _collectors[-1].append((status, message))
        return bool(status)
    colour, mark = _STYLE[status]
    display(HTML(f'<div style="color:{colour};font-weight:600">{mark} {message}</div>'))
    return bool(status)


@contextmanager
def collected():
    """Inside ``with collected() as results:`` checks add ``(status, message)`` to ``results``
    instead of displaying them (the Exercise widget shows them in its own verdict line)."""
    results = []
    _collectors.append(results)
    try:
        yield results
    finally:
        _collectors.pop()


def unanswered(answer):
    """True when the student has not written an answer yet (None or Ellipsis)."""
    return answer is None or answer is Ellipsis


def check_close(name, answer, expected, rtol=1e-6, atol=1e-9, hint=""):
    """Compare a numeric answer (number or array) with the expected value."""
    if unanswered(answer):
        return show(None, f"{name}: not answered yet.")
    try:
        answer = np.asarray(answer, dtype=float)
        expected = np.asarray(expected, dtype=float)
        ok = answer.shape == expected.shape and np.allclose(answer, expected, rtol=rtol, atol=atol)
    except (TypeError, ValueError):
        ok = False
    if ok:
        return show(True, f"{name}: right.")
    return show(False, f"{name}: not yet. {hint}".strip())


def check_function(name, fn, reference, cases, rtol=1e-6, atol=1e-9, hint=""):
    """Call ``fn(*args)`` and ``reference(*args)`` for each tuple of args in ``cases`` and compare."""
    if not callable(reference):
        raise ValueError(f"reference must be a function, got {validate._show(reference)}")
    if not (isinstance(cases, (list, tuple)) and cases and all(isinstance(c, tuple) for c in cases)):
        raise ValueError(f"cases must be a non-empty list of argument tuples, got {validate._show(cases)}")
    if unanswered(fn):
        return show(None, f"{name}: not written yet.")
    for args in cases:
        try:
            got = fn(*args)
        except Exception as exc:  # the student's code failed: say how, gently
            return show(False, f"{name}: calling it raised {type(exc).__name__}: {exc}")
        if unanswered(got):  # a stub that still returns None
            return show(None, f"{name}: not written yet (it returns {got!r}).")
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return show(False, f"{name}: it returns {type(got).__name__}, expected numbers. {hint}".strip())
        try:
            want = np.asarray(reference(*args), dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"reference must return numbers for every case: {exc}") from None
        if got.shape != want.shape:
            return show(False, f"{name}: the result has shape {got.shape}, expected {want.shape}. {hint}".strip())
        if not np.allclose(got, want, rtol=rtol, atol=atol):
            return show(False, f"{name}: not yet, a test case gives {got.ravel()[:3]} instead of "
                                f"{want.ravel()[:3]}. {hint}".strip())
    return show(True, f"{name}: right on all {len(cases)} test cases.")
