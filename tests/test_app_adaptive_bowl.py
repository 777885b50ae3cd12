"""AdaptiveBowl without a browser: its paths and costs against descend runs on the turned bowl."""
import numpy as np
import pytest

from course import landscapes, plots
from course.apps.adaptive_bowl import CONDITION, DEFAULT_LR, STEPS, TOL, AdaptiveBowl, run
from course.descent import descend
from course.optimizers import SGD, make
from layers import layered_pixels, plain_draw
from legends import check_legend_clear


@pytest.fixture
def app():
    a = AdaptiveBowl()
    a.fig.canvas.draw()
    return a


@pytest.mark.parametrize("name, angle", [("Adagrad", 45.0), ("RMSprop", 30.0), ("Adam", 90.0)])
def test_the_path_is_the_optimizers_run_on_the_turned_bowl(app, name, angle):
    app.optimizer.value = name
    app.angle.value = angle
    assert app.lr.value == DEFAULT_LR[name]
    bowl = landscapes.get("ill-conditioned", condition=CONDITION, angle=angle)
    traj = descend(bowl, make(name, lr=DEFAULT_LR[name]), bowl.start, STEPS)
    np.testing.assert_allclose(app.path.get_xydata(), traj.params[:, 0], rtol=1e-12, atol=1e-12)
    assert app.path.get_color() == plots.OPTIMIZER_COLORS[name]
    assert [key.get_color() for key in app.keys] == [plots.OPTIMIZER_COLORS[name]] * 2   # the legend too
    aligned = landscapes.get("ill-conditioned", condition=CONDITION)
    traj0 = descend(aligned, make(name, lr=DEFAULT_LR[name]), aligned.start, STEPS)
    np.testing.assert_allclose(app.cost0.get_ydata(), np.maximum(traj0.cost[:, 0], 1e-12), rtol=1e-12)
    assert app.output.outputs == ()


@pytest.mark.parametrize("angle", [20.0, 45.0, 75.0])
def test_gradient_descent_only_turns_with_the_bowl(app, angle):
    cost_before = app.gd_cost.get_ydata().copy()
    app.angle.value = angle
    bowl = landscapes.get("ill-conditioned", condition=CONDITION, angle=angle)
    traj = descend(bowl, SGD(2 / (1 + CONDITION)), bowl.start, STEPS)
    np.testing.assert_allclose(app.gd_path.get_xydata(), traj.params[:, 0], atol=1e-9)
    np.testing.assert_allclose(app.gd_cost.get_ydata(), cost_before)
    np.testing.assert_allclose(np.maximum(traj.cost[:, 0], 1e-12), cost_before, rtol=1e-9, atol=1e-15)
    # the contours turn with it: the bowl's long axis (1, 0) goes to (cos, sin)
    turned = app.contours.get_transform() - app.ax.transData
    np.testing.assert_allclose(turned.transform([[1.0, 0.0]])[0],
                               [np.cos(np.radians(angle)), np.sin(np.radians(angle))], atol=1e-12)


def test_adagrad_is_fast_aligned_and_slower_than_gradient_descent_turned(app):
    """The section's claim, on the app's own runs: per-coordinate steps fix the aligned bowl only."""
    app.optimizer.value = "Adagrad"
    app.angle.value = 45.0
    aligned, turned, gd = (int(t.converged_at[0]) for t in (app.traj0, app.traj, app.gd))
    assert 0 < aligned < gd / 4 and turned > gd
    assert f"step {turned}</b> on this bowl (θ = 45°), step {aligned} on the aligned one" in app.readout.value
    assert f"at step {turned} here and at step {aligned} when aligned" in app.alt.value


def test_a_diverging_learning_rate_is_said(app):
    app.optimizer.value = "RMSprop"
    app.lr.value = 10.0
    assert run("RMSprop", 10.0, 0.0).diverged_at[0] == -1 or "diverged at step" in app.readout.value
    assert np.isfinite(app.path.get_xydata()).all() and app.output.outputs == ()


def test_turning_redraws_the_bowl_layer_with_the_pixels_of_a_full_draw(app):
    c = app.fig.canvas
    idle = []
    c.draw_idle = lambda *a, **k: idle.append(1)
    app.angle.value = 35.0
    assert idle == [], "a new angle is blitted, the axes' text is not drawn again"
    np.testing.assert_array_equal(layered_pixels(app), plain_draw(app))


def test_tolerance_and_figure_width(app):
    assert TOL == 1e-3 and app.fig.get_figwidth() * app.fig.dpi <= 900


@pytest.mark.parametrize("name, lr, angle", [("Adagrad", 1.0, 0.0), ("Adagrad", 10.0, 45.0),
                                             ("RMSprop", 1e-3, 90.0), ("Adam", 10.0, 90.0),
                                             ("Adam", 0.1, 0.0)])
def test_no_line_crosses_the_legend(app, name, lr, angle):
    legend = app.ax_cost.get_legend()
    app.optimizer.value = name
    app.lr.value, app.angle.value = lr, angle
    assert check_legend_clear(app.ax_cost) is legend     # the same legend, never re-made
    assert [ax.get_legend() for ax in app.axes] == [None, legend]
