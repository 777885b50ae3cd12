"""Limits an app keeps whatever its page sends: widget values, work, and what an error shows.

A dashboard visitor cannot run code, but the page can send any widget state the widget protocol
allows: a slider's ``max`` and ``value`` set to 1e200, a Play widget's ``max`` set to a billion, a
string where a number belongs. So every control of an app is *locked* when the app is laid out
(:func:`lock`): of a state sent by the page only the traits a person can change are taken (a
slider's ``value``, a dropdown's ``index``, Play's ``value`` and ``playing``), each checked
against the range the app set; a value outside it is clamped, a value of the wrong type is
refused, and the app says so in one plain sentence. The figure keeps its size (:func:`keep_size`).
Work is bounded too: a Play run stops after ``PLAY_BUDGET_S`` seconds of computing, one
callback's catching-up after ``CALLBACK_BUDGET_S``.
An error shows one plain sentence (:func:`sentence`); its full traceback goes to the kernel's
stderr (the server log) and is kept, one per app, in ``app.last_error``.
"""
import math
import numbers
import sys
import time
import weakref

import ipywidgets as widgets

CALLBACK_BUDGET_S = 2.0    # one callback catching up several Play steps stops after this
MAX_PIXEL_RATIO = 4        # device pixels per CSS pixel a page may ask the figure for
PLAY_BUDGET_S = 60.0       # computing time of a run from iteration 0 (Reset starts a new one)
clock = time.perf_counter  # (a test replaces it to make time pass)


# --- errors -----------------------------------------------------------------------------------
def sentence(error):
    """One plain sentence for the reader: what failed, without a traceback."""
    detail = " ".join(str(error).split())[:120]
    kind = type(error).__name__ + (f": {detail}" if detail else "")
    return (f"This change could not be shown ({kind}). "
            "The app kept its last state; try another value.")


def log(text):
    """Write ``text`` to the kernel process's own stderr: the server log, never the page."""
    stream = sys.__stderr__
    if stream is not None:
        stream.write(text if text.endswith("\n") else text + "\n")
        stream.flush()


class Budget:
    """Computing time spent so far against a limit in seconds: ``with budget: ...`` counts."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.spent = 0.0
        self._since = None

    def __enter__(self):
        self._since = clock()
        return self

    def __exit__(self, *_exc):
        self.spent += clock() - self._since
        self._since = None

    def exceeded(self):
        """True once the time counted (the running ``with`` block included) passes the limit."""
        running = clock() - self._since if self._since is not None else 0.0
        return self.spent + running > self.seconds

    def restart(self):
        self.spent = 0.0


# --- the figure's size ------------------------------------------------------------------------
def keep_size(fig):
    """The figure keeps its size in inches, and at most ``MAX_PIXEL_RATIO`` device pixels per
    pixel: an app's canvas is not resizable, and a page asking for 10^6 pixels a side (or a
    pixel ratio of 50) would make every draw allocate gigabytes. The page is told the size."""
    size = tuple(fig.get_size_inches())
    dpi = fig.dpi / fig.canvas.device_pixel_ratio      # the figure's dpi at one pixel per pixel

    def restore(event):
        if tuple(fig.get_size_inches()) != size:
            fig.set_size_inches(*size, forward=False)
            if event.canvas.manager is not None:
                event.canvas.manager.resize(*fig.bbox.size, forward=False)

    def ratio(_canvas, content, _buffers):     # after ipympl has handled the message
        if content.get("type") in ("set_device_pixel_ratio", "set_dpi_ratio") \
                and not fig.dpi <= dpi * MAX_PIXEL_RATIO:
            fig.set_dpi(dpi * MAX_PIXEL_RATIO)

    fig.canvas.on_msg(ratio)
    return fig.canvas.mpl_connect("resize_event", restore)


# --- widget values received from the page -----------------------------------------------------
def _is_number(value):
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:       # an int beyond any float
        return False


def _value_range(control):
    """The (low, high) that ``control.value`` may take, as the app set it."""
    if isinstance(control, widgets.FloatLogSlider):
        return control.base ** control.min, control.base ** control.max
    return control.min, control.max


def _name(control):
    return f"“{control.description or type(control).__name__}”"


def _shown(value):
    return repr(str(value)[:40])


def _check_number(control, value):
    """(value to apply or None, sentence or None) for a slider's or Play's ``value``."""
    name = _name(control)
    if not _is_number(value):
        return None, f"{name} takes a number; {_shown(value)} was refused."
    low, high = _value_range(control)
    if isinstance(control.value, int):
        value = round(value)
    if low <= value <= high:
        return value, None
    kept = min(max(value, low), high)
    return kept, f"{name} goes from {low:.4g} to {high:.4g}; {value:.4g} was set to {kept:.4g}."


def _check_index(control, index):
    n = len(control.options)
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < n:
        return index, None
    return None, f"{_name(control)} has {n} choices; choice {_shown(index)} was refused."


def _check_flag(control, flag):
    if isinstance(flag, bool):
        return flag, None
    return None, f"{_name(control)} is on or off; {_shown(flag)} was refused."


def _checks(control):
    """The traits a person can change on ``control`` in the page, each with its check."""
    if "disabled" not in control.keys:      # shows, takes no input: HTML, a progress bar
        return {}
    if isinstance(control, widgets.Play):
        return {"value": _check_number, "playing": _check_flag, "repeat": _check_flag}
    if "index" in control.keys and hasattr(control, "options"):   # Dropdown, SelectionSlider...
        return {"index": _check_index}
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return {"value": _check_flag}
    if {"value", "min", "max"} <= set(control.keys):
        return {"value": _check_number}
    return {}


def checked_state(control, state):
    """(the part of ``state`` to apply, sentences for what was changed or refused).

    Traits the page may not change (ranges, options, descriptions, layout) and every change of a
    disabled control are refused; the others pass their check."""
    checks = _checks(control)
    clean, said = {}, []
    for name, value in state.items():
        check = checks.get(name)
        if check is None or getattr(control, "disabled", False):
            said.append(f"{_name(control)} cannot change its {name.lstrip('_')} from the page.")
            continue
        value, why = check(control, value)
        if value is not None:
            clean[name] = value
        if why:
            said.append(why)
    return clean, said


def lock(root, say, report):
    """Lock every control under ``root`` (a widget or box), and those put in its boxes later:
    states sent by the page go through :func:`checked_state`; ``say(text)`` shows a sentence,
    ``report(error)`` handles an error. The page is then sent the control's real state."""
    for control in _controls(root):
        if control not in _locked:
            control.set_state = _checked_setter(control, control.set_state, say, report)
            _locked.add(control)
    for box in _boxes(root):
        if box not in _locked:
            box.observe(lambda change: lock(change["owner"], say, report), names="children")
            _locked.add(box)


_locked = weakref.WeakSet()     # the widgets and boxes already locked


def _boxes(root):
    stack, found = [root], []
    while stack:
        w = stack.pop()
        if isinstance(w, widgets.Box):
            found.append(w)
            stack.extend(w.children)
    return found


def _controls(root):
    """The widgets under ``root`` a page can send a state to: all but boxes, outputs and the
    figure's canvas (which keeps its own protocol: see :func:`keep_size`)."""
    seen = []
    for box in _boxes(root) or [root]:
        for w in box.children if isinstance(box, widgets.Box) else [box]:
            if isinstance(w, widgets.Widget) and not isinstance(w, (widgets.Box, widgets.Output)) \
                    and "_data_url" not in w.keys and w not in seen:
                seen.append(w)
    return seen


def _checked_setter(control, set_state, say, report):
    def checked(state):
        try:
            clean, said = checked_state(control, dict(state))
            if clean:
                set_state(clean)
            if said:
                say(" ".join(said))
            if said or clean != state:
                control.send_state(list(state.keys() & set(control.keys)))  # put the page right
        except Exception as error:      # a state the checks let through and the app then failed on
            report(error)

    return checked
