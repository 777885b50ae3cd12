"""Every app at the limits of its controls, and against what a hostile page can send.

The sweep moves each control of each app to both ends of its range (one at a time), then all
controls to seeded random values at once, with Steps, a run to the end, its buttons and clicks at
the corners of its axes; after each change the figure must draw with no warning, no error, no
text far off the canvas and no log axis at zero. The hostile part sends widget states over the
comm as a page would (``Widget._handle_msg``): ranges moved, huge, NaN and wrong-typed values.
"""
import importlib
import json
import logging
import math
import pkgutil
import warnings

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.text import Text

import course.apps
from course.apps import limits
from course._display.events import mouse
from course.apps.base import App

HELPERS = {"base", "limits"}
MODULES = sorted(info.name for info in pkgutil.iter_modules(course.apps.__path__)
                 if info.name not in HELPERS)
RANDOM_SETTINGS = 4
SLOW_BUTTONS = {"NetworkTrainer": {"Train"}}   # seconds per press: pressed in its own test


def app_class(name):
    module = importlib.import_module(f"course.apps.{name}")
    found = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, App)
             and v.__module__ == module.__name__]
    assert len(found) == 1, name
    return found[0]


def controls(app):
    """The controls a person can move (Play is driven by the sweep's steps)."""
    return [c for c in limits._controls(app.widget)
            if limits._checks(c) and not isinstance(c, widgets.Play)]


def ends(control):
    """The two ends of a control's range, as the state a page would send."""
    if "index" in limits._checks(control):
        return [{"index": 0}, {"index": len(control.options) - 1}]
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return [{"value": False}, {"value": True}]
    return [{"value": v} for v in limits._value_range(control)]


def anywhere(control, rng):
    """A seeded random state inside the control's range."""
    if "index" in limits._checks(control):
        return {"index": int(rng.integers(len(control.options)))}
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return {"value": bool(rng.integers(2))}
    low, high = limits._value_range(control)
    if isinstance(control, widgets.FloatLogSlider):
        return {"value": float(control.base ** rng.uniform(control.min, control.max))}
    value = rng.uniform(low, high)
    return {"value": int(round(value)) if isinstance(control.value, int) else float(value)}


def send(control, state):
    """A state as the page sends it: a comm message, handled as ipywidgets handles one."""
    msg = {"content": {"data": {"method": "update", "state": state, "buffer_paths": []}},
           "buffers": []}
    control._handle_msg(msg)


def check_drawn(app, where):
    """No error so far; a full draw gives no warning; text stays near the canvas; log axes > 0."""
    assert app.last_error is None, f"{where}:\n{app.last_error}"
    assert app.output.outputs == (), f"{where}: {app.output.outputs}"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app.fig.canvas.draw()
    width, height = app.fig.canvas.get_width_height()
    renderer = app.fig.canvas.get_renderer()
    for text in app.fig.findobj(Text):
        if text.get_visible() and text.get_text() and text.axes is not None and \
                text.axes.get_visible():
            x0, y0, x1, y1 = text.get_window_extent(renderer).extents
            assert -width <= x0 and x1 <= 2 * width and -height <= y0 and y1 <= 2 * height, \
                f"{where}: text {text.get_text()!r} drawn at ({x0:.3g}, {y0:.3g})"
    for ax in app.fig.axes:
        if ax.get_visible() and ax.get_yscale() == "log":
            bottom, top = ax.get_ylim()
            assert 0 < bottom < top < math.inf, f"{where}: log axis limits {bottom, top}"
            for line in ax.get_lines():       # the moving ones: a run's cost, not a theory's
                y = np.asarray(line.get_ydata(), float)
                if line.get_visible() and line.get_animated() and y.size and \
                        line.get_transform() == ax.transData:
                    assert y.min() >= bottom * (1 - 1e-9), \
                        f"{where}: {line.get_label()!r} falls under the panel ({y.min():.3g})"


def exercise(app, where, full=False, run_to_end=False):
    """Two steps; with ``full`` also (a run to the end,) the buttons and a click at each corner
    of each axes."""
    player = getattr(app, "player", None)
    if player is not None:
        player.step()
        player.step()
        assert app.last_error is None, f"{where}, 2 steps:\n{app.last_error}"
        if run_to_end:
            send(player.play, {"value": player.max_steps})
            check_drawn(app, f"{where}, run to the end")
    if not full:
        check_drawn(app, where)
        return
    slow = SLOW_BUTTONS.get(type(app).__name__, ())
    for button in limits._controls(app.widget):
        if isinstance(button, widgets.Button) and not button.disabled and \
                button.description not in slow:
            button.click()
            assert app.last_error is None, f"{where}, {button.description}:\n{app.last_error}"
    for ax in app.fig.axes:
        if ax.get_visible() and ax.name == "rectilinear":
            (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
            for x, y in ((x0, y0), (x1, y1), (x0, y1), (x1, y0)):
                mouse(app, ax, "button_press_event", x, y)
                mouse(app, ax, "button_release_event", x, y)
    check_drawn(app, f"{where}, clicks at the corners")


@pytest.mark.parametrize("name", MODULES)
def test_every_control_at_both_ends_and_at_random_settings(name):
    cls = app_class(name)
    app = cls()
    check_drawn(app, "as built")
    for i, control in enumerate(controls(app)):
        for state in ends(control):
            if control.disabled:
                continue
            send(control, state)
            exercise(app, f"{control.description or i} = {state}")
        if not control.disabled:
            send(control, ends(control)[0] if i % 2 else ends(control)[-1])
    rng = np.random.default_rng(0)
    for r in range(RANDOM_SETTINGS):
        for control in controls(app):
            if not control.disabled:
                send(control, anywhere(control, rng))
        exercise(app, f"random setting {r}: " + json.dumps(
            {c.description: c.get_state(["value"])["value"] for c in controls(app)},
            default=str), full=True, run_to_end=r == 0)


@pytest.mark.parametrize("end", [0, -1])
def test_network_trainer_trains_at_either_end_of_every_control(end):
    app = app_class("trainer")(train_now=False)
    for control in controls(app):
        send(control, ends(control)[end])
    app.button.click()
    assert app.history is not None and app.history.epochs >= 1
    check_drawn(app, f"every control at its {'first' if end == 0 else 'last'} end, trained")


# --- hostile states -----------------------------------------------------------------------------
NAN, INF = float("nan"), float("inf")
ANY = [{"description": "<b>owned</b>"}, {"disabled": True}, {"layout": "IPY_MODEL_x"},
       {"value": "<script>alert(1)</script>"}]
SLIDER = [{"max": 1e200, "value": 1e200}, {"min": -1e200, "value": -1e200}, {"value": 1e200},
          {"value": -1e200}, {"value": NAN}, {"value": INF}, {"value": 10 ** 400},
          {"value": "1e200"}, {"value": None}, {"value": [1, 2]}, {"value": True},
          {"step": 0}, {"base": 1e10, "value": 1e10}, {"max": NAN}]
PLAY = [{"max": 10 ** 9, "value": 10 ** 9}, {"value": 10 ** 9}, {"value": -5},
        {"interval": 0, "playing": True}, {"playing": "yes"}, {"value": 2.5}]
CHOICE = [{"index": 10 ** 9}, {"index": -1}, {"index": "0"}, {"index": None}, {"index": 1.5},
          {"_options_labels": ["a", "b"], "index": 1}, {"value": 10 ** 9}]
FLAG = [{"value": "yes"}, {"value": 2}, {"value": None}]


def hostile_states(control):
    checks = limits._checks(control)
    if isinstance(control, widgets.Play):
        return ANY + PLAY
    if "index" in checks:
        return ANY + CHOICE
    if isinstance(control, (widgets.Checkbox, widgets.ToggleButton)):
        return ANY + FLAG
    return ANY + (SLIDER if checks else [])


def fixed_state(control):
    """What the page may never change: everything but the checked traits (as JSON)."""
    free = set(limits._checks(control)) | {"value", "index", "playing"}
    return json.dumps({k: v for k, v in control.get_state().items() if k not in free},
                      sort_keys=True, default=str)


def in_range(control):
    checks = limits._checks(control)
    if "index" in checks:
        return 0 <= control.index < len(control.options)
    if checks.get("value") is limits._check_number:
        low, high = limits._value_range(control)
        return low <= control.value <= high
    return True


@pytest.mark.parametrize("name", MODULES)
def test_hostile_widget_states_are_clamped_or_refused_in_one_sentence(name, caplog):
    app = app_class(name)()
    player = getattr(app, "player", None)
    steps = []
    if player is not None:                       # count the work a state makes the app do
        on_step = player._on_step
        player._on_step = lambda k: (steps.append(k), on_step(k))
    for control in limits._controls(app.widget):
        fixed = fixed_state(control)
        for state in hostile_states(control):
            steps.clear()
            with caplog.at_level(logging.WARNING):
                send(control, dict(state))
            where = f"{type(control).__name__} {control.description!r} sent {state}"
            assert "Exception in widget method" not in caplog.text, where
            assert app.last_error is None, f"{where}:\n{app.last_error}"
            assert len(app.output.outputs) <= 1, where
            for out in app.output.outputs:
                text = out.get("text", "")
                assert "Traceback" not in text and text.count("\n") <= 1, where
            assert fixed_state(control) == fixed, f"{where}: a fixed trait changed"
            assert in_range(control), where
            if player is not None:
                assert player.k <= player.max_steps, where
                assert len(steps) <= player.max_steps, f"{where}: {len(steps)} steps"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app.fig.canvas.draw()


def test_a_refused_value_is_put_right_on_the_page():
    """The page is sent the control's real state after a clamp, and told why in one sentence."""
    app = app_class("hiker")()
    sent = []
    app.lr.send_state = lambda key=None: sent.append(app.lr.get_state(key))
    send(app.lr, {"max": 1e200, "value": 1e200})
    assert app.lr.max == 0.2 and app.lr.value == pytest.approx(10 ** 0.2)
    assert sent and sent[-1]["value"] == pytest.approx(10 ** 0.2) and sent[-1]["max"] == 0.2
    text = app.output.outputs[0]["text"]
    assert "learning rate" in text and "1e+200" in text and "Traceback" not in text


def test_the_figure_keeps_its_size_whatever_the_page_asks_for():
    app = app_class("bbox")()
    size = tuple(app.fig.get_size_inches())
    resize = {"method": "custom", "content": {"type": "resize", "width": 10 ** 6, "height": 10 ** 6}}
    app.fig.canvas._handle_msg({"content": {"data": resize}, "buffers": []})
    assert tuple(app.fig.get_size_inches()) == size
    app.fig.canvas.draw()
    assert app.fig.canvas.get_width_height() == tuple(round(v * app.fig.dpi) for v in size)


def test_a_click_on_a_disabled_button_does_nothing():
    app = app_class("cost_landscape")()
    seed = app.seed
    app.resample.disabled = True
    app.resample._handle_msg({"content": {"data": {"method": "custom",
                                                   "content": {"event": "click"}}}, "buffers": []})
    assert app.seed == seed
    app.resample.disabled = False
    app.resample.click()
    assert app.seed == seed + 1


@pytest.mark.parametrize("ratio", [1e6, NAN])
def test_the_figure_keeps_a_sane_pixel_ratio_whatever_the_page_asks_for(ratio):
    app = app_class("bbox")()
    message = {"method": "custom", "content": {"type": "set_device_pixel_ratio",
                                               "device_pixel_ratio": ratio}}
    app.fig.canvas._handle_msg({"content": {"data": message}, "buffers": []})
    assert app.fig.dpi <= 100 * limits.MAX_PIXEL_RATIO
    app.fig.canvas.draw()


# --- errors and time budgets --------------------------------------------------------------------
def test_an_error_shows_one_sentence_and_keeps_one_traceback_for_the_log(capfd):
    app = app_class("bbox")()

    def broken():
        raise OverflowError("(34, 'Numerical result out of range')")

    for _ in range(3):
        app.guarded(broken)()
    assert len(app.output.outputs) == 1
    text = app.output.outputs[0]["text"]
    assert "OverflowError" in text and "Traceback" not in text and text.count("\n") == 1
    assert app.last_error.startswith("Traceback") and "broken" in app.last_error
    assert capfd.readouterr().err.count("Traceback") == 3     # the server log has each one


def test_a_play_run_stops_when_its_computing_time_is_spent(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(limits, "clock", lambda: now[0])
    app = app_class("hiker")()

    def slow_step(k, step=app.player._on_step):
        now[0] += 7.0        # each step "takes" 7 s
        step(k)

    app.player._on_step = slow_step
    send(app.player.play, {"value": 50})        # one tick asks for 50 steps at once
    assert app.player.k == 1, "one callback stops after CALLBACK_BUDGET_S"
    for _ in range(20):
        send(app.player.play, {"value": app.player.k + 1})
    assert app.player.k == math.ceil(limits.PLAY_BUDGET_S / 7.0)
    assert app.player.play.playing is False and "Reset" in app.output.outputs[0]["text"]
    app.player.reset()
    app.player.step()
    assert app.player.k == 1


# --- the two apps the audit broke at their own limits ---------------------------------------------
def test_blind_hiker_leaving_the_view_draws_no_text_off_the_canvas():
    app = app_class("hiker")(curve=list(course.apps.hiker.CURVES)[1], lr=0.424)
    app.player.step()
    app.player.step()
    assert not app.axes.get_xlim()[0] <= app.ps[-1] <= app.axes.get_xlim()[1]
    assert "left the view" in app.message.get_text()
    check_drawn(app, "two valleys, lr 0.424, two steps")


def test_gradient_descent_lab_with_two_houses_keeps_its_cost_on_the_log_axis():
    app = app_class("gd_lab")(m=2, standardize=True)
    assert app.landscape.min_value == pytest.approx(0.0, abs=1e-9)
    app.compute()
    send(app.player.play, {"value": 300})
    check_drawn(app, "m = 2, trained to the end")
