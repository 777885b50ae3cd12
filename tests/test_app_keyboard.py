"""What the mouse does on a figure, the keyboard does with number fields.

For every app with a click or a drag on its figure: typing the place the mouse went into the
fields (sent as the page sends it, through the app's checks) leaves the app exactly as the mouse
left it, artists included; the mouse writes where it went into the fields, and that does not
start anything again (no feedback from the fields to the app).
"""
import ipywidgets as widgets
import numpy as np
import pytest

from course._display.events import mouse
from course.apps.cost_landscape import CostLandscape
from course.apps.gd_lab import VIEWS, GradientDescentLab
from course.apps.gradient_noise import GradientNoiseApp
from course.apps.hiker import BlindHiker
from course.apps.lr_stepper import LearningRateStepper
from course.apps.race import OptimizerRace


def send(control, value):
    """A new value as the page sends it: a comm message, checked by the app's lock."""
    msg = {"content": {"data": {"method": "update", "state": {"value": value},
                                "buffer_paths": []}}, "buffers": []}
    control._handle_msg(msg)


def data(artist):
    """What an artist draws, as arrays."""
    if hasattr(artist, "get_offsets"):
        return [np.asarray(artist.get_offsets())]
    return [np.asarray(v, float) for v in artist.get_data()]


# name: (factory, the axes, the fields, the state they set, the artists that show it)
APPS = {
    "cost_landscape": (CostLandscape, lambda a: a.axes[1], lambda a: [a.w_field, a.b_field],
                       lambda a: a.params, lambda a: [a.dot, a.model_line]),
    "gd_lab": (lambda: GradientDescentLab(standardize=True), lambda a: a.axes[1],
               lambda a: [a.w_field, a.b_field], lambda a: a.start,
               lambda a: [a.start_dot, a.path, a.now, a.model_line, a.cost_line]),
    "gradient_noise": (GradientNoiseApp, lambda a: a.axes[0], lambda a: [a.w_field, a.b_field],
                       lambda a: a.point, lambda a: [a.dot, a.cloud, a.full, a.current]),
    "race": (OptimizerRace, lambda a: a.ax, lambda a: [a.start_x, a.start_y],
             lambda a: a.start,
             lambda a: [a.start_dot, *a.paths.values(), *a.curves.values()]),
    "hiker": (BlindHiker, lambda a: a.axes, lambda a: [a.start_field],
              lambda a: [a.start], lambda a: [a.hiker, a.trail, a.tangent]),
    "lr_stepper": (LearningRateStepper, lambda a: a.axes[0], lambda a: [a.start_field],
                   lambda a: [a.start], lambda a: [a.point, a.trail, a.done, a.next_point]),
}


def point_in(ax, fx, fy):
    """The data point at fractions (fx, fy) of the axes' width and height (an unround one)."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)


def by_mouse(name):
    """The app after a drag (a click for the apps of one parameter), and the data point where
    the mouse was let go as matplotlib computed it from the pixels (None after a click)."""
    factory, axes, *_ = APPS[name]
    app = factory()
    ax = axes(app)
    seen = []
    app.fig.canvas.mpl_connect("button_release_event", lambda e: seen.append((e.xdata, e.ydata)))
    mouse(app, ax, "button_press_event", *point_in(ax, 0.3137, 0.6271))
    mouse(app, ax, "motion_notify_event", *point_in(ax, 0.4373, 0.2719))
    mouse(app, ax, "button_release_event", *point_in(ax, 0.4373, 0.2719))
    return app, seen[-1] if name in DRAGGED else None


# A click sets a start of one parameter; a drag ends where the button is let go. GradientDescentLab
# keeps its start as a line in raw units, so each of its conversions may round the last bit.
DRAGGED = {"cost_landscape", "gd_lab", "gradient_noise", "race"}
RTOL = {"gd_lab": 1e-12}


@pytest.mark.parametrize("name", APPS)
def test_typing_the_place_is_exactly_the_mouse(name):
    factory, _, fields, state, artists = APPS[name]
    dragged, place = by_mouse(name)
    if place is None:           # a click: the press set the start (clipped to the view)
        place = state(dragged)
    typed = factory()
    for field, value in zip(fields(typed), place):
        send(field, float(value))
    rtol = RTOL.get(name, 0.0)
    np.testing.assert_allclose(state(typed), state(dragged), rtol=rtol, atol=0)
    for app in (dragged, typed):
        if hasattr(app, "player"):
            app.player.step()
            app.player.step()
    for a, b in zip(artists(typed), artists(dragged)):
        for x, y in zip(data(a), data(b)):
            np.testing.assert_allclose(x, y, rtol=rtol, atol=0)
    if not rtol:
        assert typed.alt.value == dragged.alt.value
    assert typed.output.outputs == () and typed.last_error is None


@pytest.mark.parametrize("name", APPS)
def test_the_mouse_writes_where_it_went_into_the_fields_and_nothing_more(name):
    factory, _, fields, state, _ = APPS[name]
    before = factory()
    app, _ = by_mouse(name)
    shown = [f.value for f in fields(app)]
    assert shown != [f.value for f in fields(before)]
    for field, value in zip(fields(app), state(app)):
        assert isinstance(field, widgets.BoundedFloatText) and field.description
        assert field.value == pytest.approx(value, abs=field.step / 10)
        assert field.value != value, "the field shows a rounded value, the state keeps the drag's"


def test_a_held_drag_of_the_race_start_races_only_on_release():
    app = OptimizerRace()
    raced = app._raced_from.copy()
    mouse(app, app.ax, "button_press_event", -1.0, 2.0)
    mouse(app, app.ax, "motion_notify_event", 0.5, 1.25)
    assert app.start_x.value == 0.5 and app.start_y.value == 1.25
    assert not np.array_equal(app._raced_from, raced) and app._raced_from[0] == -1.0
    mouse(app, app.ax, "button_release_event", 0.5, 1.25)
    assert app._raced_from[0] == pytest.approx(0.5)


def test_a_field_is_clamped_to_the_view_like_the_mouse():
    app = CostLandscape()
    send(app.w_field, 1e9)
    assert app.params[0] == app.w_field.max == 7.0
    assert "slope w" in app.output.outputs[0]["text"]


def test_fields_follow_the_view_of_the_gd_lab():
    app = GradientDescentLab(standardize=False)
    assert (app.w_field.min, app.w_field.max) == VIEWS[False][0]
    app.standardize.value = True
    assert (app.w_field.min, app.w_field.max) == VIEWS[True][0]
    assert (app.b_field.min, app.b_field.max) == VIEWS[True][1]
    assert app.w_field.value == pytest.approx(app.start[0], abs=app.w_field.step / 10)
    assert app.b_field.value == pytest.approx(app.start[1], abs=app.b_field.step / 10)
    assert app.w_field.step == 10.0


def test_race_fields_take_the_bounds_and_start_of_a_new_landscape():
    app = OptimizerRace()
    app.landscape.value = "beale"
    (x0, x1), (y0, y1) = app.land.bounds
    assert (app.start_x.min, app.start_x.max, app.start_y.min, app.start_y.max) == (x0, x1, y0, y1)
    assert [app.start_x.value, app.start_y.value] == pytest.approx(list(app.land.start))


def test_the_fields_come_before_the_figure_in_reading_order():
    for name, (factory, _, fields, _, _) in APPS.items():
        app = factory()
        order = []

        def walk(w):
            order.append(w)
            for c in getattr(w, "children", ()):
                walk(c)

        walk(app.widget)
        assert all(order.index(f) < order.index(app.fig.canvas) for f in fields(app)), name
