"""An exercise a dashboard can answer: an answer field (or a choice), a Check button, the verdict.

Voila hides code cells, so writing the answer in the cell cannot be done there. Each exercise cell
ends with ``ask(check, answer, ...)``: it checks the answer written in the cell, as before, and
shows a widget where the same answer can be typed (or chosen) and checked again with the same
``check`` function. JupyterLab and a dashboard show the same cell.
"""
from fractions import Fraction
from html import escape

import ipywidgets as widgets

from course.checks import _STYLE, collected, unanswered

_FROM_CELL = "your own function, from the code cell"
VERDICT_CLASS = "course-verdict"   # share/jupyter/voila/templates/course makes it a live region


def ask(check, answer=None, *args, label="your answer", choices=None, **kwargs):
    """Check ``answer`` with ``check(answer, *args, **kwargs)`` and return the Exercise widget.

    ``label``: one field label (a number), or a tuple of labels (a tuple of numbers).
    ``choices``: values, or ``(label, value)`` pairs, to pick one from instead of typing."""
    return Exercise(lambda a: check(a, *args, **kwargs), answer, label, choices)


def parse_number(text):
    """The number written in ``text`` ("0.25", "1/4", "-3", "1e-3"), or None when it is empty.

    Raises ValueError for anything else, including inf and nan."""
    text = text.strip()
    if not text:
        return None
    try:
        return float(Fraction(text))
    except (ValueError, ZeroDivisionError, OverflowError):
        raise ValueError(f"{text[:40]!r} is not a number") from None


class Exercise(widgets.VBox):
    """Number fields or a list of choices, a Check button, and the verdict in plain words."""

    def __init__(self, check, answer=None, label="your answer", choices=None):
        self.check = check
        if choices is None:
            labels = (label,) if isinstance(label, str) else tuple(label)
            self.fields = [widgets.Text(description=name, placeholder="a number",
                                        style={"description_width": "initial"},
                                        layout=widgets.Layout(width="auto"))
                           for name in labels]
            self._fill(answer)
        else:
            options = [c if isinstance(c, tuple) else (str(c), c) for c in choices]
            if callable(answer) and not any(answer is value for _, value in options):
                options.insert(0, (_FROM_CELL, answer))
            chosen = next((value for _, value in options if _same(value, answer)), None)
            self.fields = [widgets.RadioButtons(options=options, value=chosen, description=label,
                                                style={"description_width": "initial"},
                                                layout=widgets.Layout(width="auto"))]
        self.button = widgets.Button(description="Check", tooltip="check your answer")
        self.button.on_click(self._on_check)
        # One element holds every verdict: the course's dashboard template makes the element of
        # a course-verdict widget, whose content each update replaces, a polite live region.
        self.verdict = widgets.HTML()
        self.verdict.add_class(VERDICT_CLASS)
        self._say(self._run(answer))
        super().__init__([widgets.HBox([*self.fields, self.button],
                                       layout=widgets.Layout(flex_flow="row wrap",
                                                             align_items="center")),
                          self.verdict])

    def _fill(self, answer):
        """Copy the answer written in the code cell into the fields."""
        values = (answer,) if len(self.fields) == 1 else answer
        try:
            for field, value in zip(self.fields, values, strict=True):
                field.value = "" if unanswered(value) else str(value)
        except (TypeError, ValueError):   # not a number or not the right count: leave it blank
            for field in self.fields:
                field.value = ""

    def answer(self):
        """The answer in the widget: the choice, the number, or the tuple of numbers."""
        if isinstance(self.fields[0], widgets.RadioButtons):
            return self.fields[0].value
        values = tuple(parse_number(str(field.value)) for field in self.fields)
        if all(v is None for v in values):
            return None
        return values[0] if len(values) == 1 else values

    def _run(self, answer):
        with collected() as results:
            self.check(answer)
        return results

    def _on_check(self, _button=None):
        try:
            answer = self.answer()
        except ValueError as exc:
            self._say([(False, f"{exc}: write a number such as 0.25, 1/4 or 1e-3.")])
            return
        self._say(self._run(answer))

    def _say(self, results):
        """Show the results: a mark for the eye, the verdict in words for everyone."""
        self.results = results
        statuses = {status for status, _ in results}
        if False in statuses:           # one wrong part makes the answer "not yet"
            self.status = False
        elif statuses == {True}:
            self.status = True
        else:                           # some part not answered yet
            self.status = None
        lines = []
        for status, message in results:
            colour, mark = _STYLE[status]
            lines.append(f'<div style="color:{colour};font-weight:600">'
                         f'<span aria-hidden="true">{mark}</span> {escape(message)}</div>')
        self.verdict.value = "".join(lines)


def _same(value, answer):
    """Is ``answer`` (written in the code cell) the choice ``value``?"""
    if callable(value) or callable(answer):
        return value is answer
    try:
        return bool(value == answer)
    except (TypeError, ValueError):     # e.g. an array compared with a number
        return False
