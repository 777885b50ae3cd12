"""Without the internals course/_display relies on (as after an upstream rename), figures fall
back to ipympl's stock canvas and whole-axis drawing, and the apps still draw and update."""
import io

import numpy as np
import pytest
from ipympl.backend_nbagg import Canvas
from matplotlib.backends.backend_agg import RendererAgg
from PIL import Image

from course import plots
from course._display import canvas as display
from course._display import layers
from course.apps.batches import BatchesApp
from course.apps.race import OptimizerRace
from layers import layered_pixels, plain_draw


class RenamedCanvas(Canvas):
    """ipympl's canvas in a release where matplotlib renamed Agg's ``_lastKey`` (the size and
    dpi of the renderer kept for the next draw) to ``_last_key``."""

    def get_renderer(self):
        w, h = self.figure.bbox.size
        key = w, h, self.figure.dpi
        if getattr(self, "_last_key", None) != key:
            self.renderer = RendererAgg(w, h, self.figure.dpi)
            self._last_key = key
        return self.renderer


@pytest.fixture
def renamed(monkeypatch):
    monkeypatch.setattr(display, "Canvas", RenamedCanvas)
    display.fast_canvas_works.cache_clear()
    yield
    display.fast_canvas_works.cache_clear()


@pytest.fixture
def no_axis_parts(monkeypatch):
    monkeypatch.setattr(layers, "Axis", type("Axis", (), {}))    # no _update_ticks & co.
    layers.axis_parts_work.cache_clear()
    yield
    layers.axis_parts_work.cache_clear()


def _sent_frames(canvas):
    """The PNG frames the canvas sends to a browser, decoded."""
    frames = []
    canvas.send = lambda content, buffers=None: frames.extend(
        np.asarray(Image.open(io.BytesIO(bytes(b)))) for b in buffers or [])
    return frames


def test_with_the_internals_the_fast_canvas_is_used():
    assert display.fast_canvas_works() and layers.axis_parts_work()
    fig, _ = plots.new_figure(3, 2)
    assert isinstance(fig.canvas, display.FastCanvas)


def test_a_renamed_internal_gives_the_stock_canvas_which_draws_and_updates(renamed):
    assert not display.fast_canvas_works()
    app = OptimizerRace()
    canvas = app.fig.canvas
    assert type(canvas) is RenamedCanvas and not isinstance(canvas, display.FastCanvas)
    frames = _sent_frames(canvas)
    canvas.draw()                                  # what the browser's first draw request does
    width, height = app.fig.canvas.get_width_height()
    assert len(frames) == 1 and frames[0].shape == (height, width, 4)
    assert len(np.unique(frames[0].reshape(-1, 4), axis=0)) > 100     # contours, text: a figure
    first = np.asarray(canvas.get_renderer().buffer_rgba()).copy()
    for _ in range(5):
        app.player.step()                          # blitted: the stock canvas sends a diff
    assert len(frames) == 6 and (np.asarray(canvas.get_renderer().buffer_rgba()) != first).any()
    app.steps.value = 300                          # the slow layer: a new x axis
    app.lrs["Adam"].value = 0.01
    app.full_frame()                               # a whole frame, through ipympl's own refresh
    assert app.ax_cost.get_xlim() == (0, 300) and app.output.outputs == ()


def test_without_the_axis_parts_an_axis_layer_is_drawn_whole_with_the_pixels_of_a_full_draw(
        no_axis_parts):
    assert not layers.axis_parts_work()
    app = BatchesApp(n=24, batch_size=5)
    app.fig.canvas.draw()
    app.n_slider.value = 37                        # new ticks on the layered x axis
    again = layered_pixels(app)
    assert app.axes[1].get_xlim() == (-0.5, 36.5) and app.output.outputs == ()
    np.testing.assert_array_equal(again, plain_draw(app))
