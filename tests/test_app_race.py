"""OptimizerRace without a browser: widgets set in Python, mouse events sent to the canvas."""
import warnings

import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent
from matplotlib.legend import Legend

from course import landscapes, schedules, search
from course.apps import race
from course.apps.race import OptimizerRace
from layers import layered_pixels, plain_draw


@pytest.fixture
def app():
    a = OptimizerRace()
    a.fig.canvas.draw()
    return a


def _mouse(app, ax, name, x, y):
    px, py = ax.transData.transform((x, y))
    app.fig.canvas.callbacks.process(name, MouseEvent(name, app.fig.canvas, px, py, button=1))


def _rows(app):
    return app.table.value.count("<tr>") - 1


def test_builds_with_the_ticked_optimizers(app):
    ticked = [n for n, t in app.ticks.items() if t.value]
    assert set(app.runs) == set(ticked) and _rows(app) == len(ticked)
    assert "rosenbrock" in app.landscape.options and "saddle" not in app.landscape.options
    assert app.output.outputs == ()


def test_steps_reveal_the_precomputed_paths(app):
    for _ in range(3):
        app.player.step()
    for name, run in app.runs.items():
        x, y = app.heads[name].get_data()
        np.testing.assert_allclose([x[0], y[0]], run.params[3])
        assert len(app.paths[name].get_xdata()) == 4
        assert np.all(app.curves[name].get_ydata() >= race.FLOOR)
    app.player.reset()
    assert len(app.paths["SGD"].get_xdata()) == 1
    assert app.output.outputs == ()


def test_a_jump_of_several_steps_shows_the_last_one(app):
    app.player.play.value = 7          # as when the browser's Play sends several ticks at once
    for name, run in app.runs.items():
        np.testing.assert_allclose(np.ravel(app.heads[name].get_data()), run.params[7])
        assert len(app.curves[name].get_xdata()) == 8
    assert "iteration <b>7</b>" in app.player.counter.value


def test_unticking_hides_an_optimizer(app):
    app.ticks["SGD"].value = False
    assert "SGD" not in app.runs and not app.curves["SGD"].get_visible()
    assert "SGD</td>" not in app.table.value
    app.ticks["Nesterov"].value = True
    assert "Nesterov" in app.runs and app.heads["Nesterov"].get_visible()
    app.player.step()
    assert app.paths["Nesterov"].get_visible() and app.curves["Nesterov"].get_visible()


def test_lines_of_one_point_are_left_out_at_step_0_without_changing_a_pixel(app):
    lines = [*app.paths.values(), *app.curves.values()]
    assert all(len(line.get_xdata()) <= 1 and not line.get_visible() for line in lines)
    hidden = plain_draw(app).copy()
    for name in app.runs:
        app.paths[name].set_visible(True)     # (a cost curve marks its head: it is hidden for that)
    assert (plain_draw(app) == hidden).all()


def _key(legend):
    return ([t.get_text() for t in legend.get_texts()], [line.get_color() for line in legend.get_lines()],
            [line.get_marker() for line in legend.get_lines()])


def test_the_legend_is_a_matplotlib_legend_of_every_optimizer_colour_and_marker(app):
    assert isinstance(app.legend, Legend) and app.legend in app.fig.get_children()
    assert _key(app.legend) == (list(race.OPTIMIZERS), list(race.plots.OPTIMIZER_COLORS.values()),
                                [race.plots.OPTIMIZER_MARKERS[n] for n in race.OPTIMIZERS])

def test_each_optimizer_has_its_own_marker_on_the_contours_and_the_cost_panel(app):
    markers = [app.heads[n].get_marker() for n in race.OPTIMIZERS]
    assert len(set(markers)) == len(race.OPTIMIZERS)
    assert all(app.curves[n].get_marker() == app.heads[n].get_marker() for n in race.OPTIMIZERS)
    assert [app.curves[n].get_label() for n in race.OPTIMIZERS] == list(race.OPTIMIZERS)

def test_a_new_learning_rate_races_again_from_the_start(app):
    before = app.runs["Adam"]
    app.lrs["Adam"].value = 0.01
    assert app.runs["Adam"] is not before and app.runs["Adam"].lr == 0.01
    land = landscapes.get("rosenbrock")
    alone = race.descend(land, race.make("Adam", lr=0.01), land.start, 200, tol=app.tol)
    np.testing.assert_array_equal(app.runs["Adam"].params, alone.params[:, 0])


def test_a_huge_learning_rate_diverges_with_a_message(app):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        app.lrs["SGD"].value = 1.0
    run = app.runs["SGD"]
    assert run.diverged_at > 0
    assert f"diverged at step {run.diverged_at}" in app.table.value
    assert "SGD diverged at step" in app.message.value
    assert np.all(np.isfinite(run.params)) and app.output.outputs == ()


def test_a_click_races_from_there_on_the_press(app):
    app.player.step()
    _mouse(app, app.ax, "button_press_event", 0.5, 2.5)
    assert app.player.k == 0
    for run in app.runs.values():
        np.testing.assert_allclose(run.params[0], [0.5, 2.5], atol=1e-9)
    races = app.runs.copy()
    _mouse(app, app.ax, "button_release_event", 0.5, 2.5)
    assert all(app.runs[n] is races[n] for n in races)          # nothing moved: no second race


def test_dragging_moves_the_start_and_restarts(app):
    app.player.step()
    _mouse(app, app.ax, "button_press_event", 0.5, 2.5)
    _mouse(app, app.ax, "motion_notify_event", -0.5, 2.0)
    np.testing.assert_allclose(app.start_dot.get_data(), [[-0.5], [2.0]], atol=1e-9)
    assert app.runs["Adam"].params[0].tolist() != [-0.5, 2.0]   # not raced before the release
    _mouse(app, app.ax, "button_release_event", -0.5, 2.0)
    np.testing.assert_allclose(app.start, [-0.5, 2.0], atol=1e-9)
    np.testing.assert_allclose(app.start_dot.get_data(), [[-0.5], [2.0]], atol=1e-9)
    assert app.player.k == 0
    for run in app.runs.values():
        np.testing.assert_allclose(run.params[0], [-0.5, 2.0], atol=1e-9)
    assert "(-0.50, 2.00)" in app.table.value


def test_a_press_on_the_cost_panel_does_not_move_the_start(app):
    before = app.start.copy()
    _mouse(app, app.ax_cost, "button_press_event", 50, 1.0)
    _mouse(app, app.ax_cost, "button_release_event", 50, 1.0)
    np.testing.assert_array_equal(app.start, before)


def test_tune_first_races_the_best_grid_learning_rate(app):
    app.tune.value = True
    land = landscapes.get("rosenbrock")
    res = search.tune_lr(land, "Adam", land.start, 200, lrs=race.TUNE_LRS, tol=app.tol, beta1=0.9)
    assert app.runs["Adam"].lr == res.best_lr
    assert app.untuned["Adam"].lr == app.lrs["Adam"].value
    assert app.lrs["Adam"].disabled
    assert "rank with your lr" in app.table.value and "ranking" in app.table.value
    ranks = {n: r.score for n, r in app.runs.items()}
    assert min(ranks, key=ranks.get) in app.table.value.split("<tr>")[2]   # first row is the winner
    app.tune.value = False
    assert not app.lrs["Adam"].disabled and "rank with your lr" not in app.table.value


def test_every_optimizer_has_a_decay_control_of_the_five_schedules(app):
    assert set(app.decays) == set(race.OPTIMIZERS)
    for name, control in app.decays.items():
        assert control.description == "decay" and control.value == "constant"
        assert tuple(control.options) == ("constant", "step", "exponential", "inverse-time", "cosine")


def _schedule(decay, lr0):
    """Each decay with a half-life of HALF_LIFE steps (the lr first reaches lr0 / 2 then)."""
    h = race.HALF_LIFE
    return {"step": schedules.step_decay(lr0, drop=0.5, every=h),
            "exponential": schedules.exponential_decay(lr0, rate=0.5 ** (1 / h)),
            "inverse-time": schedules.inverse_time(lr0, decay=1 / h),
            "cosine": schedules.cosine(lr0, total=2 * h, lr_min=lr0 / 100)}[decay]


def test_the_half_life_is_where_each_decay_first_halves_the_learning_rate():
    t = np.arange(1, 502)
    for decay in ("step", "exponential", "inverse-time", "cosine"):
        lr = _schedule(decay, 0.1)(t)
        assert lr[0] == 0.1 and np.all(np.diff(lr) <= 0) and lr.min() >= 0.1 / 100
        assert abs(np.argmax(lr <= 0.05) + 1 - (race.HALF_LIFE + 1)) <= 2, decay


def test_a_long_race_with_every_decay_runs_to_the_end():
    app = OptimizerRace(steps=500)
    for name in race.OPTIMIZERS:
        app.ticks[name].value = True
        app.decays[name].value = "cosine"
    app.landscape.value = "beale"
    assert all(len(r.gap) == 501 for r in app.runs.values()) and len(app.runs) == 6
    assert app.output.outputs == () and app.last_error is None


@pytest.mark.parametrize("decay", ["step", "exponential", "inverse-time", "cosine"])
def test_a_decay_races_that_optimizer_with_its_schedule(app, decay):
    others = {n: r for n, r in app.runs.items() if n != "RMSprop"}
    constant = app.runs["RMSprop"].params
    app.decays["RMSprop"].value = decay
    assert all(app.runs[n] is r for n, r in others.items()), "only RMSprop races again"
    land = landscapes.get("rosenbrock")
    lr0 = app.lrs["RMSprop"].value
    schedule = _schedule(decay, lr0)
    alone = race.descend(land, race.make("RMSprop", lr=schedule, beta=0.9), land.start, 200, tol=app.tol)
    np.testing.assert_array_equal(app.runs["RMSprop"].params, alone.params[:, 0])
    # the same first step (lr(1) = lr0), then a smaller learning rate: another path
    np.testing.assert_array_equal(app.runs["RMSprop"].params[:2], constant[:2])
    assert not np.array_equal(app.runs["RMSprop"].params, constant)
    assert f"RMSprop</td><td>{lr0:.2g}, {decay}</td>" in app.table.value
    app.decays["RMSprop"].value = "constant"
    np.testing.assert_array_equal(app.runs["RMSprop"].params, constant)
    assert app.output.outputs == ()


def test_tune_first_keeps_each_optimizers_decay(app):
    app.decays["Adam"].value = "cosine"
    app.tune.value = True
    land = landscapes.get("rosenbrock")
    runs = [race.descend(land, race.make("Adam", lr=_schedule("cosine", lr)),
                         land.start, 200, tol=app.tol) for lr in race.TUNE_LRS]
    scores = [search.score(land, r, app.tol)[0] for r in runs]
    best = int(np.argmin(scores))
    assert app.runs["Adam"].lr == race.TUNE_LRS[best] and app.runs["Adam"].decay == "cosine"
    np.testing.assert_array_equal(app.runs["Adam"].params, runs[best].params[:, 0])


def test_every_landscape_and_the_3d_view(app):
    app.view.value = "3-D surface"
    assert app.ax3d.get_visible() and not app.ax.get_visible()
    for name in app.landscape.options:
        app.landscape.value = name
        app.player.step()
        app.fig.canvas.draw()
        run = next(iter(app.runs.values()))
        x, y, z = app.heads3d[next(iter(app.runs))].get_data_3d()
        np.testing.assert_allclose([x[0], y[0]], run.params[app.player.k])
    app.view.value = "contours"
    assert app.ax.get_visible() and not app.ax3d.get_visible()
    assert app.output.outputs == ()


def test_steps_slider_sets_the_race_length(app):
    app.steps.value = 100
    assert app.player.max_steps == 100 and app.ax_cost.get_xlim()[1] == 100
    assert all(len(r.gap) == 101 for r in app.runs.values())


@pytest.mark.parametrize("changes", [
    [("steps", 300), ("Nesterov", True)],       # new x ticks, then a new race
    [("Nesterov", True), ("steps", 300)],
    [("steps", 300), ("SGD", False), ("steps", 200), ("steps", 300), ("steps", 50)],
    [("Nesterov", True), ("steps", 300), ("Nesterov", False)],
])
def test_a_new_length_or_tick_redraws_only_the_cost_axis_layer_with_the_pixels_of_a_full_draw(
        app, changes):
    c = app.fig.canvas
    idle = []
    c.draw_idle = lambda *a, **k: idle.append(1)
    for name, value in changes:
        (app.steps if name == "steps" else app.ticks[name]).value = value
    c.restore_region(app._background)           # what the update left under the moving artists
    shown = np.asarray(c.get_renderer().buffer_rgba()).copy()
    assert idle == [], "the contours and the cost panel's y axis are not drawn again"
    assert app.ax_cost.get_xlim()[1] == app.steps.value
    again = layered_pixels(app)
    reference = plain_draw(app)
    np.testing.assert_array_equal(shown, reference)
    np.testing.assert_array_equal(again, reference)
    assert app.output.outputs == ()


@pytest.mark.parametrize("lengths", [(300, 150), (150, 300), (200, 50, 500, 100, 350)])
def test_a_new_length_reuses_the_races_and_matches_a_fresh_app(lengths):
    # on this landscape from its start: SGD at lr 1 diverges at step 4, Adam converges at 104,
    # RMSprop gets within the tolerance at 122 and leaves it again
    app = OptimizerRace(landscape="six-hump-camel", steps=50)
    app.lrs["SGD"].value = 1.0
    for steps in lengths:
        app.steps.value = steps
    races = {n: app.kept[n][1] for n in app.runs}
    app.steps.value = lengths[0]
    assert all(app.kept[n][1] is races[n] for n in races), "cut short, not raced again"
    fresh = OptimizerRace(landscape="six-hump-camel", steps=lengths[0])
    fresh.lrs["SGD"].value = 1.0
    assert {r.status().split(" at")[0] for r in fresh.runs.values()} >= {
        "diverged", "converged", "reached the tolerance"}
    for name, run in fresh.runs.items():
        mine = app.runs[name]
        np.testing.assert_array_equal(mine.params, run.params)
        np.testing.assert_array_equal(mine.gap, run.gap)
        assert (mine.diverged_at, mine.converged_at, mine.score) == (
            run.diverged_at, run.converged_at, run.score)
    assert app.table.value == fresh.table.value
