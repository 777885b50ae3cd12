"""GradientDescentLab without a browser: data, dragging the start, Train/Step, divergence, scaling."""
import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent

from course import data, landscapes
from course.apps.gd_lab import MAX_STEPS, GradientDescentLab

from houses import check_one_more_house_moves_no_other
from legends import check_truth_shows_on_the_star


def mouse(app, kind, w, b):
    px, py = app.axes[1].transData.transform((w, b))
    app.fig.canvas.callbacks.process(kind, MouseEvent(kind, app.fig.canvas, px, py, 1))


@pytest.fixture
def app():
    a = GradientDescentLab(m=40, seed=0, batch_size=0, standardize=True, lr=0.1)
    a.fig.canvas.draw()
    return a


def test_full_batch_steps_match_a_hand_written_loop(app):
    for _ in range(3):
        app.player.step()
    x, y = app.data.x, app.data.y
    W = app.start.copy()
    for _ in range(3):   # plain gradient descent, written out
        r = W[0] * x + W[1] - y
        W = W - 0.1 * np.array([2 * np.mean(r * x), 2 * np.mean(r)])
    np.testing.assert_allclose(np.ravel(app.now.get_data()), W, rtol=1e-12)
    assert len(app.path.get_xdata()) == 4
    assert len(app.cost_line.get_xdata()) == 4
    assert app.output.outputs == ()


def test_standardized_run_reaches_least_squares(app):
    app.player.play.value = 150   # error shrinks by 1 - 0.1 * 2 = 0.8 per step
    np.testing.assert_allclose(np.ravel(app.now.get_data()), app.landscape.least_squares,
                               rtol=1e-6)
    raw_line = app.model_line.get_ydata()
    d = data.house_prices(m=40, noise=40.0, seed=0)
    w, b = landscapes.linear_regression(d.x, d.y).least_squares
    np.testing.assert_allclose(raw_line, w * app.model_line.get_xdata() + b, rtol=1e-5)


def test_raw_feature_crawls_in_the_valley():
    a = GradientDescentLab(m=40, seed=0, batch_size=0, standardize=False, lr=2e-5)
    a.player.play.value = MAX_STEPS
    J = a.cost_line.get_ydata()
    assert J[-1] < J[0]
    assert J[-1] > 3 * a.landscape.min_value   # far from the minimum after all the steps
    assert a.message.get_text() == ""


def test_drag_sets_the_start_and_clears_the_run(app):
    app.player.play.value = 5
    mouse(app, "button_press_event", 0.0, 300.0)
    mouse(app, "motion_notify_event", 100.0, 200.0)
    mouse(app, "button_release_event", 100.0, 200.0)
    assert app.player.k == 0 and app.run is None
    np.testing.assert_allclose(app.start, [100.0, 200.0], atol=1e-6)
    np.testing.assert_allclose(np.ravel(app.start_dot.get_data()), [100.0, 200.0], atol=1e-6)
    assert len(app.path.get_xdata()) == 1


def test_standardize_keeps_the_same_start_line(app):
    before = app.model_line.get_ydata().copy()
    app.standardize.value = False
    np.testing.assert_allclose(app.model_line.get_ydata(), before, rtol=1e-9)
    assert app.lr.value == pytest.approx(2e-5)
    assert "per m²" in app.axes[1].get_xlabel()


def test_too_large_learning_rate_says_diverged(app):
    app.lr.value = 1.5
    app.train.click()
    app.player.play.playing = False
    app.player.play.value = 50
    d = app.run.diverged_at
    assert d > 0
    assert app.message.get_text().startswith(f"diverged at step {d}")
    assert np.all(np.isfinite(app.path.get_xydata()))
    assert app.player.play.playing is False
    assert app.output.outputs == ()


def test_resample_and_batch_size(app):
    before = app.points.get_offsets().copy()
    app.resample.click()
    assert not np.allclose(app.points.get_offsets(), before)
    app.batch.value = 4
    app.player.step()
    assert app.run.steps_per_epoch == 10
    app.m.value = 7
    assert len(app.data.x) == 7 and app.run is None


def test_pausing_play_sends_a_whole_frame(app):
    import asyncio

    from course.apps.base import SETTLE_S

    c = app.fig.canvas
    modes = []
    c.send_binary = lambda data: modes.append(c._current_image_mode)

    async def play():  # in a kernel an event loop runs: the repair comes once Play is quiet
        app.player.play.playing = True
        for k in range(1, 4):
            app.player.play.value = k
            await asyncio.sleep(SETTLE_S / 10)
        app.player.play.playing = False
        assert "full" not in modes
        await asyncio.sleep(1.5 * SETTLE_S)

    asyncio.run(play())
    assert modes[-1] == "full" and modes.count("full") == 1 and "diff" in modes


def test_half_over_the_curvature_lands_in_one_step(app):
    # standardized: the Hessian is 2 I, so a full-batch step with lr = 1/2 is Newton's step
    app.lr.value = 0.5
    app.player.step()
    np.testing.assert_allclose(np.ravel(app.now.get_data()), app.landscape.least_squares,
                               rtol=1e-9)
    app.lr.value = 1.0          # twice that: the path bounces between two points
    app.player.play.value = 2
    np.testing.assert_allclose(np.ravel(app.now.get_data()), app.start, rtol=1e-9)


@pytest.mark.parametrize("m", [2, 39, 40, 211, 499])
def test_one_more_house_moves_no_other_house(app, m):
    """The "houses m" slider: m + 1 houses are the m houses shown before, plus one."""
    check_one_more_house_moves_no_other(app, m)


def test_the_truth_shows_on_the_least_squares_star():
    app = GradientDescentLab(m=500)             # many houses: the star is almost on the truth
    (w, b), truth = app.landscape.least_squares, app.truth_dot.get_data()
    assert abs(w - 3.0) < 0.1 and abs(b - 50.0) < 5 and np.allclose(truth, [[3.0], [50.0]])
    check_truth_shows_on_the_star(app.truth_dot, app.best)
