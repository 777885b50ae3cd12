"""BlindHiker without a browser: Step, Play's ticks, Reset, clicks and divergence."""
import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent

from course.apps.hiker import CURVES, BlindHiker, descent_step
from course import landscapes

BOWL, VALLEYS = list(CURVES)


@pytest.fixture
def app():
    a = BlindHiker(curve=BOWL, lr=0.1, start=1.5)
    a.fig.canvas.draw()
    return a


def test_a_step_is_minus_lr_times_slope(app):
    app.player.step()
    # J(w) = w^2: w <- 1.5 - 0.1 * 3.0 = 1.2
    assert app.ps == pytest.approx([1.5, 1.2])
    np.testing.assert_allclose(np.ravel(app.hiker.get_data()), [1.2, 1.44])
    xs, ys = app.tangent.get_data()
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(2.4)  # slope C'(1.2)
    assert app.arrow.xy[0] == pytest.approx(1.2 - 0.24)
    assert app.output.outputs == ()


def test_trail_keeps_every_position_and_reset_clears_it(app):
    for _ in range(5):
        app.player.step()
    assert len(app.trail.get_xdata()) == 6
    assert app.ps[-1] == pytest.approx(1.5 * 0.8 ** 5)
    app.player.reset()
    assert app.ps == [1.5]
    assert app.player.k == 0


def test_play_ticks_run_the_same_steps(app):
    app.player.play.value = 3   # what Play does, several ticks at once
    assert app.ps[-1] == pytest.approx(1.5 * 0.8 ** 3)


def test_large_learning_rate_diverges_with_a_message(app):
    app.lr.value = 1.5          # factor 1 - 1.5 * 2 = -2 per step
    for _ in range(20):
        app.player.step()
    assert app.diverged_at > 0
    assert app.message.get_text().startswith(f"diverged at step {app.diverged_at}")
    assert all(np.isfinite(app.ps))
    assert app.output.outputs == ()


def test_click_moves_the_start(app):
    px, py = app.axes.transData.transform((-1.0, 2.0))
    app.fig.canvas.callbacks.process("button_press_event",
                                     MouseEvent("button_press_event", app.fig.canvas, px, py, 1))
    assert app.ps == [pytest.approx(-1.0)]


def test_two_valleys_can_trap_the_hiker_in_the_local_minimum(app):
    app.curve.value = VALLEYS
    app.lr.value = 0.05
    for _ in range(100):
        app.player.step()
    local = [m for m in app.landscape.minima if m.kind == "local"][0]
    assert app.ps[-1] == pytest.approx(local.point[0], abs=1e-3)


def test_descent_step_against_a_finite_difference():
    land = landscapes.get("two-minima", tilt=0.3)
    p, h = 0.7, 1e-6
    slope = (land.value(np.array([p + h])) - land.value(np.array([p - h]))) / (2 * h)
    new, got_slope, step = descent_step(land, p, 0.1)
    assert got_slope == pytest.approx(float(slope), rel=1e-6)
    assert new == pytest.approx(p - 0.1 * got_slope)
