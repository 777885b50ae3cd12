"""MomentumBowl without a browser: sliders set in Python, assertions on paths and readouts."""
import numpy as np
import pytest

from course.apps.momentum import MomentumBowl
from course.optimizers import stable_lr
from layers import layered_pixels, plain_draw


@pytest.fixture
def app():
    a = MomentumBowl()
    a.fig.canvas.draw()
    return a


def test_beta_zero_is_gradient_descent(app):
    app.beta.value = 0.0
    app.lr.value = 0.03
    np.testing.assert_allclose(app.paths["Momentum"].get_xydata(), app.paths["SGD"].get_xydata())
    np.testing.assert_allclose(app.paths["Nesterov"].get_xydata(), app.paths["SGD"].get_xydata())
    assert app.output.outputs == ()


@pytest.mark.parametrize("nesterov", [False, True])
def test_the_stability_limit_separates_converging_and_diverging(app, nesterov):
    name = "Nesterov" if nesterov else "Momentum"
    app.beta.value = 0.8
    limit = stable_lr(0.8, app.condition.value, nesterov=nesterov)
    app.lr.value = 0.9 * limit
    assert app.runs[name].diverged_at[0] == -1
    app.lr.value = 1.1 * limit
    assert app.runs[name].diverged_at[0] > 0
    assert f"{name}</b>: diverged at step" in app.readout.value
    assert app.output.outputs == ()


def test_readout_gives_torch_learning_rate(app):
    app.beta.value = 0.9
    app.lr.value = 0.1
    assert "SGD(lr=0.01, momentum=0.90)" in app.readout.value
    assert "Above the limit" not in app.readout.value
    app.lr.value = 1.0
    assert "Above the limit" in app.readout.value


def test_condition_and_nesterov_controls(app):
    app.condition.value = 10.0
    assert app.land.params["condition"] == 10.0
    assert app.lr.value < 2 / 10 and app.runs["SGD"].diverged_at[0] == -1   # was diverging at k=50
    app.nesterov.value = False
    assert "Nesterov" not in app.runs and not app.paths["Nesterov"].get_visible()
    app.nesterov.value = True
    assert app.paths["Nesterov"].get_visible()
    assert app.output.outputs == ()


def test_a_new_condition_redraws_only_the_bowl_layer_and_gets_the_pixels_of_a_full_draw(app):
    c = app.fig.canvas
    idle = []
    c.draw_idle = lambda *a, **k: idle.append(1)
    app.condition.value = 200.0
    assert idle == [], "a new k is blitted, the axes' text is not drawn again"
    np.testing.assert_array_equal(layered_pixels(app), plain_draw(app))   # compare the bowl
    assert app.output.outputs == ()
