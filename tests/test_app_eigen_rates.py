"""EigenRates without a browser: sliders set in Python, its lines against measured optimizer runs."""
import numpy as np
import pytest

from course import landscapes, rates
from course.apps.eigen_rates import CEILING, FLOOR, LRS, STEPS, EigenRates, steps_to
from course.descent import descend
from course.optimizers import SGD, Momentum
from legends import check_legend_clear


@pytest.fixture
def app():
    a = EigenRates()
    a.fig.canvas.draw()
    return a


def measured(optimizer, k):
    """|x| and |y| of a descend run from (1, 1) on the bowl of condition k: the errors along
    its eigen-directions (curvatures 1 and k)."""
    bowl = landscapes.get("ill-conditioned", condition=k)
    return np.abs(descend(bowl, optimizer, np.ones(2), STEPS).params[:, 0])


@pytest.mark.parametrize("lr, beta, k", [(0.015, 0.8, 100.0), (0.1, 0.5, 10.0), (0.005, 0.95, 300.0)])
def test_the_error_lines_are_the_optimizers_runs(app, lr, beta, k):
    app.condition.value, app.beta.value, app.lr.value = k, beta, lr
    for name, optimizer in (("GD", SGD(lr)), ("Momentum", Momentum(lr, beta))):
        errors = np.clip(measured(optimizer, k), FLOOR, CEILING)
        np.testing.assert_allclose(app.errors[name, "shallow"].get_ydata(), errors[:, 0], rtol=1e-9)
        np.testing.assert_allclose(app.errors[name, "steep"].get_ydata(), errors[:, 1], rtol=1e-9)
    assert app.output.outputs == ()


def test_the_rate_panel_marks_the_current_rates(app):
    app.condition.value, app.beta.value, app.lr.value = 50.0, 0.7, 0.03
    lam = np.array([1.0, 50.0])
    assert app.dots["GD"].get_ydata()[0] == pytest.approx(rates.gd_rate(0.03, lam).max())
    assert app.dots["Momentum"].get_ydata()[0] == pytest.approx(rates.momentum_rate(0.03, 0.7, lam).max())
    assert list(app.now.get_xdata()) == [0.03, 0.03]
    gd_curve = app.curves["GD"].get_ydata()
    assert LRS[np.argmin(gd_curve)] == pytest.approx(2 / 51, rel=0.03)      # best eta = 2 / (1 + k)
    assert f"rate {rates.momentum_rate(0.03, 0.7, lam).max():.4f} per step" in app.readout.value


def test_best_button_gives_the_sqrt_kappa_rate(app):
    app.condition.value = 100.0
    app.best.click()
    best = ((10 - 1) / (10 + 1)) ** 2
    assert best < app.beta.value <= best + 2 * app.beta.step        # rounded up to the slider's step
    assert app.lr.value == pytest.approx(rates.best_momentum(1.0, 100.0)[0]) == pytest.approx(0.1)
    assert app.dots["Momentum"].get_ydata()[0] == pytest.approx(9 / 11, rel=2e-3)
    assert "Momentum</b>: rate 0.819" in app.readout.value
    # the measured errors fall like (9/11)^t (times a slowly growing factor t: a double root)
    errors = app.errors["Momentum", "shallow"].get_ydata()
    assert (errors[100] / errors[40]) ** (1 / 60) == pytest.approx(9 / 11, rel=0.02)   # above the floor
    # rounding: a page sends back the values on its sliders' grids; the rate hardly moves
    for kappa in (10.0, 31.6, 100.0, 562.0, 1000.0):
        app.condition.value = kappa
        app.best.click()
        app.beta.value = round(app.beta.value, 3)
        app.lr.value = 10 ** (round(np.log10(app.lr.value), 3))
        best_rate = rates.best_momentum(1.0, app.condition.value)[2]
        assert best_rate <= app.dots["Momentum"].get_ydata()[0] < best_rate + 0.003, kappa
    assert app.output.outputs == ()


def test_divergence_is_said_and_the_text_alternative_follows(app):
    app.condition.value, app.beta.value, app.lr.value = 100.0, 0.0, 0.05   # 2/k = 0.02 < 0.05
    assert "gradient descent</b>: rate 4.0000 per step, diverged at step" in app.readout.value
    assert "never" not in app.readout.value
    assert "η = 0.05" in app.alt.value and "κ = 100" in app.alt.value
    assert app.errors["GD", "steep"].get_ydata().max() == CEILING
    assert np.isfinite(app.errors["GD", "steep"].get_ydata()).all()
    before = app.alt.value
    app.lr.value = 0.01
    assert app.alt.value != before and "η = 0.01" in app.alt.value


def test_steps_to():
    assert steps_to(0.5, 1e-3) == 10 and steps_to(1.0) is None and steps_to(2.0) is None
    assert steps_to(9 / 11) == 69


def test_the_figure_fits_900_pixels(app):
    assert app.fig.get_figwidth() * app.fig.dpi <= 900


@pytest.mark.parametrize("lr, beta, kappa", [(0.015, 0.8, 100.0), (10 ** -3, 0.0, 10 ** 0.5),
                                             (10 ** 0.5, 0.0, 1000.0), (10 ** 0.5, 0.99, 10 ** 0.5),
                                             (10 ** -3, 0.99, 1000.0), (0.1, 0.5, 10.0)])
def test_no_line_crosses_the_legends(app, lr, beta, kappa):
    legends = [ax.get_legend() for ax in app.axes]
    app.lr.value, app.beta.value, app.condition.value = lr, beta, kappa
    assert [check_legend_clear(ax) for ax in app.axes] == legends   # the same legends, never re-made
    app.best.click()
    assert [check_legend_clear(ax) for ax in app.axes] == legends


def test_the_rate_panel_has_no_text_for_a_line_to_cross(app):
    assert len(app.ax_rate.texts) == 0
    assert "rate 1: above it, diverges" in [t.get_text() for t in app.ax_rate.get_legend().get_texts()]
