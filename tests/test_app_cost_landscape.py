"""CostLandscape without a browser: drag on the landscape, change the data, read the artists."""
import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent

from course import data, landscapes
from course.apps.cost_landscape import CostLandscape
from course.plots import HOUSE_WB
from houses import check_one_more_house_moves_no_other
from layers import plain_draw
from legends import check_truth_shows_on_the_star


def mouse(app, kind, w, b, ax_index=1):
    px, py = app.axes[ax_index].transData.transform((w, b))
    app.fig.canvas.callbacks.process(kind, MouseEvent(kind, app.fig.canvas, px, py, 1))


@pytest.fixture
def app():
    a = CostLandscape(m=20, noise=40.0, seed=0)
    a.fig.canvas.draw()
    return a


def test_starts_with_the_landscape_of_the_data(app):
    d = data.house_prices(m=20, noise=40.0, seed=0)
    ls = landscapes.linear_regression(d.x, d.y).least_squares
    np.testing.assert_allclose(app.points.get_offsets(), np.column_stack([d.x, d.y]))
    np.testing.assert_allclose(np.ravel(app.best.get_data()), ls)
    assert app.output.outputs == ()


def test_drag_moves_the_dot_the_line_and_the_cost(app):
    mouse(app, "button_press_event", 2.0, 100.0)
    mouse(app, "motion_notify_event", 4.0, -50.0)
    mouse(app, "button_release_event", 4.0, -50.0)
    mouse(app, "motion_notify_event", 1.0, 300.0)  # button up: no effect
    np.testing.assert_allclose(app.params, [4.0, -50.0], atol=1e-6)
    np.testing.assert_allclose(np.ravel(app.dot.get_data()), [4.0, -50.0], atol=1e-6)
    xs = app.model_line.get_xdata()
    np.testing.assert_allclose(app.model_line.get_ydata(), 4.0 * xs - 50.0, atol=1e-4)
    J = np.mean((4.0 * app.data.x - 50.0 - app.data.y) ** 2)
    assert f"J = {J:,.0f}" in app.readout.value.replace("<b style='color:#d62728'>", "")
    assert app.output.outputs == ()


def test_a_click_on_the_data_panel_does_not_move_the_parameters(app):
    before = app.params.copy()
    mouse(app, "button_press_event", 100.0, 300.0, ax_index=0)
    np.testing.assert_array_equal(app.params, before)


def test_move_is_clipped_to_the_view(app):
    app.move_to(100.0, -1e4)
    np.testing.assert_allclose(app.params, [HOUSE_WB[0][1], HOUSE_WB[1][0]])


def test_more_houses_bring_the_minimum_closer_to_the_truth(app):
    def distance(m):
        app.m.value = m
        w, b = np.ravel(app.best.get_data())
        return np.hypot((w - 3.0) * 130.0, b - 50.0)  # b moves ~130 per unit of w in the valley

    far = np.mean([distance(3), app.resample.click() or distance(3)])
    near = distance(500)
    assert near < far
    assert len(app.data.x) == 500
    assert app.output.outputs == ()


def test_resample_and_noise_change_the_data(app):
    before = app.points.get_offsets().copy()
    app.resample.click()
    assert app.points.get_offsets().shape == before.shape
    assert not np.allclose(app.points.get_offsets(), before)
    app.noise.value = 0.0
    np.testing.assert_allclose(np.ravel(app.best.get_data()), [3.0, 50.0], atol=1e-8)


def test_a_drag_ends_with_a_whole_frame(app):
    import asyncio

    from course.apps.base import SETTLE_S

    c = app.fig.canvas
    modes = []
    c.send_binary = lambda data: modes.append(c._current_image_mode)

    async def drag():  # in a kernel an event loop runs: the repair comes once the drag is quiet
        mouse(app, "button_press_event", 2.0, 100.0)
        mouse(app, "motion_notify_event", 3.0, 0.0)
        mouse(app, "button_release_event", 3.0, 0.0)
        assert modes == ["diff", "diff"]
        await asyncio.sleep(1.5 * SETTLE_S)

    asyncio.run(drag())
    assert modes == ["diff", "diff", "full"]   # blitted diffs while dragging, then a repair


def test_a_data_change_redraws_only_the_slow_layer_and_gets_the_pixels_of_a_full_draw(app):
    c = app.fig.canvas
    idle = []
    c.draw_idle = lambda *a, **k: idle.append(1)
    app.move_to(4.0, 200.0)
    for artist in app._animated:   # blitted last, the moving artists cross the legends: not compared
        artist.set_visible(False)
    app.resample.click()
    app.m.value = 120
    assert idle == [], "a data change is blitted, the axes' text is not drawn again"
    layered = np.asarray(c.get_renderer().buffer_rgba()).copy()
    assert app.output.outputs == ()
    full = plain_draw(app)
    differ = (layered != full).any(axis=2)
    rows, cols = np.nonzero(differ)
    on_an_edge = np.zeros(len(rows), dtype=bool)   # within 2 px of a legend's border
    for ax in app.axes:
        x0, y0, x1, y1 = ax.get_legend().get_window_extent().extents
        top, bottom = c.figure.bbox.height - y1, c.figure.bbox.height - y0
        near = (cols > x0 - 2) & (cols < x1 + 2) & (rows > top - 2) & (rows < bottom + 2)
        inside = (cols > x0 + 2) & (cols < x1 - 2) & (rows > top + 2) & (rows < bottom - 2)
        on_an_edge |= near & ~inside
    assert on_an_edge.all(), "the slow layer differs from a full draw away from the legends' borders"


@pytest.mark.parametrize("m", [2, 19, 20, 137, 499])
def test_one_more_house_moves_no_other_house(app, m):
    """The "houses m" slider: m + 1 houses are the m houses shown before, plus one."""
    check_one_more_house_moves_no_other(app, m)


def test_the_ground_truth_shows_on_the_least_squares_star():
    app = CostLandscape(m=500, noise=0.0)       # no noise: the minimum is the truth (3, 50)
    np.testing.assert_allclose(app.landscape.least_squares, [3.0, 50.0], atol=1e-6)
    np.testing.assert_allclose(app.truth_dot.get_data(), [[3.0], [50.0]])
    check_truth_shows_on_the_star(app.truth_dot, app.best)
