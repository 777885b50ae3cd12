"""The shared app machinery: figures, callbacks that show their errors, blitting, the Player."""
import ipywidgets as widgets
import numpy as np
import pytest
from ipympl.backend_nbagg import Canvas

from course import checks, plots
from course.apps.base import CAPTION, App, Player


class Dot(App):
    def __init__(self):
        super().__init__(4, 3)
        self.dot, = self.axes.plot([0.0], [0.0], "o", color=plots.MODEL)
        self.animate(self.dot)
        self.slider = widgets.FloatSlider(min=-1, max=1, value=0, description="w")
        self.observe(self.slider, self.move)
        self.layout(self.slider)

    def move(self, change):
        if change["new"] > 0.9:
            raise RuntimeError("too far")
        self.dot.set_data([change["new"]], [0.0])
        self.refresh()


def test_new_figure_uses_an_ipympl_canvas_and_leaves_pyplot_alone():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig, axes = plots.new_figure(6, 3, ncols=2)
    assert isinstance(fig.canvas, Canvas)
    assert len(axes) == 2
    assert plt.get_fignums() == before
    assert fig.canvas.toolbar_visible is False


def test_a_callback_error_is_shown_in_the_output_not_lost():
    app = Dot()
    app.slider.value = 0.95
    assert app.output.outputs, "the error should be printed in the app's Output widget"
    assert "too far" in app.output.outputs[0]["text"]


def test_refresh_blits_the_moving_artist_after_a_first_full_draw():
    app = Dot()
    canvas = app.fig.canvas
    canvas.syncing_data_url = False
    canvas.draw()
    before = np.asarray(canvas.get_renderer().buffer_rgba()).copy()
    idle = []
    canvas.draw_idle = lambda *a, **k: idle.append(1)
    app.slider.value = 0.5
    after = np.asarray(canvas.get_renderer().buffer_rgba())
    assert idle == [], "with a background cached, a move is blitted, not redrawn"
    assert (before != after).any()
    assert app.dot.get_xdata()[0] == 0.5
    assert app.output.outputs == ()


def test_player_steps_plays_and_resets():
    app = Dot()
    seen, resets = [], []
    player = Player(app, seen.append, lambda: resets.append(1), max_steps=5)
    player.step()
    player.step()
    player.play.value = 4  # a Play tick may skip values: every step in between is still taken
    assert seen == [1, 2, 3, 4]
    player.step()
    player.step()
    assert player.k == 5 and seen[-1] == 5
    player.play.value = 2  # moved back: the app is reset and replayed to step 2
    assert resets == [1] and seen[-2:] == [1, 2]
    player.reset()
    assert player.k == 0 and resets == [1, 1]
    assert "0" in player.counter.value


def test_checks_say_not_answered_right_and_not_yet():
    assert checks.check_close("x", None, 1.0) is False
    assert checks.check_close("x", 1.0 + 1e-12, 1.0) is True
    assert checks.check_close("x", 2.0, 1.0) is False
    assert checks.check_close("x", "abc", 1.0) is False
    square = lambda x: x**2
    assert checks.check_function("f", square, np.square, [(np.arange(3.0),)]) is True
    assert checks.check_function("f", lambda x: x, np.square, [(np.arange(3.0),)]) is False
    assert checks.check_function("f", lambda x: 1 / 0, np.square, [(1.0,)]) is False
    assert checks.check_function("f", None, np.square, [(1.0,)]) is False
    assert checks.check_function("f", lambda x: None, np.square, [(1.0,)]) is False
    assert checks.check_function("f", lambda x: "two", np.square, [(1.0,)]) is False


def test_a_stub_reads_as_not_written_yet(monkeypatch):
    shown = []
    monkeypatch.setattr(checks, "show", lambda status, message: shown.append((status, message)))
    checks.check_function("f", lambda x: None, np.square, [(1.0,)])
    assert shown == [(None, "f: not written yet (it returns None).")]


@pytest.mark.parametrize("bounds", [((-1, 1), (-2, 2))])
def test_grid_covers_the_bounds(bounds):
    X, Y, P = plots.grid(bounds, n=5)
    assert P.shape == (5, 5, 2)
    assert X.min() == -1 and X.max() == 1 and Y.min() == -2 and Y.max() == 2


def test_fast_canvas_frames_decode_to_the_figure_pixels():
    from io import BytesIO

    from PIL import Image

    app = Dot()
    canvas = app.fig.canvas
    canvas.draw()  # the first frame is sent inside draw(); force another to read it here
    canvas._force_full = True
    canvas._png_is_old = True
    full = np.asarray(Image.open(BytesIO(canvas.get_diff_image())))
    assert (full == np.asarray(canvas.get_renderer().buffer_rgba())).all()
    app.slider.value = 0.5  # blitted: a diff frame, non-zero only where pixels changed
    canvas._png_is_old = True
    canvas._last_buff = full.view(np.uint32).squeeze(2).copy()
    diff = np.asarray(Image.open(BytesIO(canvas.get_diff_image())))
    now = np.asarray(canvas.get_renderer().buffer_rgba())
    changed = (now != full).any(axis=2)
    assert changed.any()
    assert (diff[changed] == now[changed]).all() and (diff[~changed] == 0).all()
    assert canvas.get_diff_image() is None  # nothing new to send


def _mouse(app, kind, x, y, ax):
    from matplotlib.backend_bases import MouseEvent

    ax.set(xlim=(-1, 1), ylim=(-1, 1))
    px, py = ax.transData.transform((x, y))
    app.fig.canvas.callbacks.process(kind, MouseEvent(kind, app.fig.canvas, px, py, 1))


def test_draggable_moves_while_held_and_calls_on_release_once():
    app = Dot()
    moves, releases, allowed = [], [], [True]
    app.draggable(app.axes, lambda x, y: moves.append((round(x, 6), round(y, 6))),
                  on_release=lambda: releases.append(1), enabled=lambda: allowed[0])
    _mouse(app, "motion_notify_event", 0.5, 0.0, app.axes)   # not pressed: nothing
    _mouse(app, "button_press_event", 0.25, 0.0, app.axes)
    _mouse(app, "motion_notify_event", 0.5, 0.0, app.axes)
    _mouse(app, "button_release_event", 0.5, 0.0, app.axes)
    _mouse(app, "button_release_event", 0.5, 0.0, app.axes)  # a second release: nothing
    assert moves == [(0.25, 0.0), (0.5, 0.0)] and releases == [1]
    allowed[0] = False
    _mouse(app, "button_press_event", 0.1, 0.0, app.axes)
    assert len(moves) == 2 and app.dragging is False
    assert app.output.outputs == ()


def test_a_burst_of_updates_ends_with_one_whole_frame():
    """In a kernel (an event loop runs), the last of many quick updates is followed by one
    whole frame, SETTLE_S later; without an event loop nothing is scheduled."""
    import asyncio

    from course.apps import base

    app = Dot()
    canvas = app.fig.canvas
    canvas.draw()
    frames = []
    canvas.manager.refresh_all = lambda: frames.append(canvas.get_diff_image())
    canvas.set_image_mode = lambda mode: frames.append(mode)

    async def burst():
        for value in np.linspace(-0.8, 0.8, 10):
            app.slider.value = float(value)
            await asyncio.sleep(base.SETTLE_S / 10)
        modes = [f for f in frames if isinstance(f, str)]
        assert modes == ["diff"] * 10, "each update is a diff frame, none whole during the burst"
        await asyncio.sleep(base.SETTLE_S * 1.5)

    asyncio.run(burst())
    modes = [f for f in frames if isinstance(f, str)]
    assert modes == ["diff"] * 10 + ["full"]
    assert app.output.outputs == ()
    app.slider.value = 0.1          # no event loop here: a diff frame and nothing scheduled
    assert app._settle is None and [f for f in frames if isinstance(f, str)][-1] == "diff"


def test_a_whole_frame_of_an_unchanged_figure_is_sent_without_a_new_render():
    app = App(4, 3)                     # nothing animated: updates are whole redraws
    canvas = app.fig.canvas
    canvas.draw()
    sent, idle = [], []
    canvas.manager.refresh_all = lambda: sent.append(canvas.get_diff_image())
    canvas.draw_idle = lambda *a, **k: idle.append(1)
    app.full_frame()
    assert idle == [] and len(sent) == 1 and canvas._current_image_mode == "full"
    app.axes.plot([0, 1], [0, 1])       # changed since the last render: a new render is asked for
    app.full_frame()
    assert idle == [1]


class Point(App):
    """A point set by a drag or by two number fields."""

    def __init__(self):
        super().__init__(4, 3)
        self.moves = []
        self.x = self.number_field("x", 0.0, -1.0, 1.0, lambda v: self.move(v))
        self.layout(self.x)

    def move(self, v):
        self.moves.append(v)
        self.value = v
        self.show_number(self.x, v)
        self.refresh()

    def describe(self):
        return f"A point at x = {self.value:.3f} & more" if self.moves else ""


def test_a_number_field_calls_its_app_once_and_shows_what_the_app_sets():
    app = Point()
    assert (app.x.min, app.x.max, app.x.step) == (-1.0, 1.0, 0.1)
    app.x.value = 0.25
    assert app.moves == [0.25]                     # not again when move() shows it
    app.show_number(app.x, 0.123456)               # as a drag does: shown, rounded, no call
    assert app.moves == [0.25] and app.x.value == 0.12
    app.show_number(app.x, 30.0, 20.0, 40.0)       # a new range above the old one
    assert (app.x.min, app.x.max, app.x.value, app.x.step) == (20.0, 40.0, 30.0, 1.0)
    app.show_number(app.x, -300.0, -500.0, -100.0)
    assert (app.x.min, app.x.max, app.x.value, app.x.step) == (-500.0, -100.0, -300.0, 10.0)
    assert app.moves == [0.25] and app.output.outputs == ()


def test_the_caption_under_the_figure_follows_each_refresh():
    app = Point()
    children = list(app.widget.children)
    assert children.index(app.alt) == children.index(app.fig.canvas) + 1
    assert app.alt.value == ""                     # nothing refreshed yet
    app.x.value = 0.5
    assert app.alt.value == CAPTION.format("A point at x = 0.500 &amp; more")
    app.value = 0.75
    app.refresh()
    assert app.alt.value == CAPTION.format("A point at x = 0.750 &amp; more")


def test_an_app_built_without_a_subclass_gets_its_caption_from_describe():
    state = {"x": 0.25}
    app = App(4, 3, describe=lambda: f"A point at x = {state['x']:.2f} < 1")
    assert app.describe() == "A point at x = 0.25 < 1"
    app.refresh()                                  # before the layout: written by the layout
    app.layout()
    assert app.alt.value == CAPTION.format("A point at x = 0.25 &lt; 1")
    state["x"] = 0.5
    app.refresh()
    assert app.alt.value == CAPTION.format("A point at x = 0.50 &lt; 1")
    assert App(4, 3).describe() == ""              # no describe, no caption


def test_keys_pressed_on_the_focused_figure_change_nothing():
    """matplotlib's default keys are off: "k" and "l" would make the axes logarithmic."""
    from matplotlib.backend_bases import KeyEvent

    app = Dot()
    canvas, ax = app.fig.canvas, app.axes
    ax.set(xlim=(1.0, 10.0), ylim=(1.0, 10.0))
    px, py = ax.transData.transform((3.0, 3.0))
    for key in ("k", "l", "g", "s", "q", "f", "o", "p", "h"):
        canvas.callbacks.process("key_press_event", KeyEvent("key_press_event", canvas, key, px, py))
    assert (ax.get_xscale(), ax.get_yscale()) == ("linear", "linear")
    assert ax.get_xlim() == (1.0, 10.0) and app.output.outputs == ()
