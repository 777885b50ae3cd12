"""LearningRateStepper without a browser: slider values, Step / Reset, clicks, divergence."""
import warnings

import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent

from course import plots
from course.apps.lr_stepper import BOUND, REGIME_COLORS, LearningRateStepper
from legends import check_legend_clear


def press(app, w, f=1.0):
    ax = app.axes[0]
    x, y = ax.transData.transform((w, f))
    app.fig.canvas.callbacks.process("button_press_event",
                                     MouseEvent("button_press_event", app.fig.canvas, x, y, 1))


def test_one_step_is_one_minus_lr_c_times_w():
    app = LearningRateStepper(curvature=2.0, lr=0.3, start=1.5)
    app.player.step()
    assert app.w == pytest.approx((1 - 0.3 * 2.0) * 1.5)
    assert app.player.k == 1
    assert app.point.get_data()[0][0] == pytest.approx(0.6)
    assert app.output.outputs == ()


def test_tangent_step_and_approximation_error_follow_the_formulas():
    c, lr, w = 2.0, 0.4, 1.5
    app = LearningRateStepper(curvature=c, lr=lr, start=w)
    w_next = (1 - lr * c) * w
    predicted = c / 2 * w ** 2 - lr * (c * w) ** 2
    true_next = c / 2 * w_next ** 2
    xs, ys = app.error.get_data()
    np.testing.assert_allclose(xs, [w_next, w_next])
    np.testing.assert_allclose(ys, [predicted, true_next])
    assert true_next - predicted == pytest.approx(c / 2 * (lr * c * w) ** 2)
    tx, ty = app.tangent.get_data()
    np.testing.assert_allclose(np.diff(ty) / np.diff(tx), c * w)   # slope f'(w)
    (x0, y0), (x1, y1) = app.arrow._posA_posB
    assert (x0, y0, x1) == pytest.approx((w, c / 2 * w ** 2, w_next)) and y1 == pytest.approx(predicted)
    assert "approximation error" in app.readout.value


@pytest.mark.parametrize("lr, name", [(0.05, "creeping"), (1.0, "one step"), (1.5, "oscillating"),
                                      (2.0, "on the edge"), (3.0, "diverging")])
def test_regime_is_named_live_with_its_colour(lr, name):
    app = LearningRateStepper(curvature=1.0, lr=0.3)
    app.lr_slider.value = lr
    assert app.regime == name
    assert f"ηc = {lr:.3g}: {name}" in app.readout.value
    assert plots.text_color(REGIME_COLORS[name]) in app.readout.value   # its hue, darkened for text


def test_moving_a_slider_starts_over():
    app = LearningRateStepper(curvature=1.0, lr=0.3, start=1.5)
    for _ in range(3):
        app.player.step()
    app.curvature_slider.value = 2.0
    assert app.player.k == 0 and app.w == 1.5 and app.history == [1.5]
    assert app.curve.get_data()[1][0] == pytest.approx(2.0 / 2 * app.curve.get_data()[0][0] ** 2)


def test_divergence_stops_with_a_message_and_no_warning():
    app = LearningRateStepper(curvature=4.0, lr=1.0, start=1.5)   # factor 1 - 4 = -3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(20):
            app.player.step()
    k = app.diverged_at
    # |w_k| = 1.5 * 3**k first passes the bound at k = ceil(log(BOUND / 1.5) / log 3)
    assert k == int(np.ceil(np.log(BOUND / 1.5) / np.log(3)))
    assert f"diverged at step {k}" in app.readout.value
    assert len(app.history) == k + 1 and np.all(np.isfinite(app.done.get_data()[1]))
    assert app.output.outputs == ()
    app.player.reset()
    assert app.diverged_at == -1 and app.w == 1.5


def test_click_on_the_parabola_moves_the_start():
    app = LearningRateStepper(curvature=1.0, lr=0.3, start=1.5)
    app.player.step()
    press(app, -1.0)
    assert app.start == pytest.approx(-1.0, abs=0.02) and app.player.k == 0
    assert app.output.outputs == ()


def test_closed_form_line_on_the_cost_panel():
    app = LearningRateStepper(curvature=1.0, lr=0.5, start=1.0)
    k, cost = app.future.get_data()
    np.testing.assert_allclose(cost[:5], 0.5 * 0.5 ** (2 * k[:5]))


def test_any_value_a_visitor_can_set_is_handled():
    app = LearningRateStepper()
    app.lr_slider.value = 10.0
    app.curvature_slider.value = 5.0
    for _ in range(70):
        app.player.step()
    assert app.diverged_at > 0 and app.output.outputs == ()


def _states():
    """States a student reaches: each regime, the slider ends, a start at either edge, divergence."""
    yield {}
    for c, lr, start, steps in [(0.5, 2 ** -10, -2.0, 3), (5.0, 2 ** -10, 2.0, 1), (1.0, 1.0, 1.5, 2),
                                (5.0, 0.4, -2.0, 5), (2.0, 0.75, 0.1, 60), (5.0, 2 ** 3.3, 2.0, 60)]:
        yield dict(c=c, lr=lr, start=start, steps=steps)


def test_no_line_or_marker_crosses_the_legends_in_any_state():
    app = LearningRateStepper()
    legends = [check_legend_clear(ax) for ax in app.axes]
    for state in _states():
        if state:
            app.curvature_slider.value, app.lr_slider.value = state["c"], state["lr"]
            app._start_at(state["start"])
            for _ in range(state["steps"]):
                app.player.step()
        assert [check_legend_clear(ax) for ax in app.axes] == legends   # the same legends, never re-made
    assert app.diverged_at >= 0 and app.output.outputs == ()     # the last state diverged
