"""ScheduleCompare without a browser: the controls swap precomputed runs, verdicts name them."""
import numpy as np
import pytest

from course.apps.schedule_compare import ScheduleCompare, precompute, verdict
from course.lr_experiments import HALF_LIVES, LR0S, SCHEDULES


@pytest.fixture(scope="module")
def app():
    return ScheduleCompare(schedule="cosine", lr0=0.1, half_life=100)


def test_lines_show_the_selected_run(app):
    s, i, j = SCHEDULES.index("cosine"), LR0S.index(0.1), HALF_LIVES.index(100)
    t, lr = app.lr_line.get_data()
    np.testing.assert_allclose(lr, app.lrs[s, i, j] / 0.1)
    assert lr[0] == pytest.approx(1.0) and lr[200] == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_array_equal(app.cost_line.get_data()[1], app.excess[s, i, j])
    assert app.output.outputs == ()


def test_every_control_changes_the_lines(app):
    before = app.cost_line.get_data()[1].copy()
    app.schedule.value = "exponential"
    assert not np.array_equal(before, app.cost_line.get_data()[1])
    middle = app.cost_line.get_data()[1].copy()
    app.half_life.value = 20
    assert not np.array_equal(middle, app.cost_line.get_data()[1])
    app.lr0.value = 0.03
    t, lr = app.lr_line.get_data()
    assert lr[20] == pytest.approx(0.5 ** (20 / 20))       # normalized by lr0, half-life 20
    assert app.output.outputs == ()


def test_constant_disables_the_half_life(app):
    app.schedule.value = "constant"
    assert app.half_life.disabled and app.kind == "constant"
    app.schedule.value = "step"
    assert not app.half_life.disabled


def test_too_fast_a_decay_stalls_too_slow_stays_noisy_a_good_one_settles(app):
    app.lr0.value = 0.1
    app.schedule.value = "exponential"
    app.half_life.value = 5
    assert app.kind == "stalled" and "stalls" in app.readout.value
    app.half_life.value = 1000
    assert app.kind == "noisy"
    app.schedule.value = "cosine"
    app.half_life.value = 100
    assert app.kind == "settled"
    s, i = SCHEDULES.index("cosine"), LR0S.index(0.1)
    good = app.excess[s, i, HALF_LIVES.index(100), -50:].mean()
    constant = app.excess[0, i, 0, -50:].mean()
    assert good < constant / 10


def test_too_large_a_rate_diverges_with_a_message(app):
    app.schedule.value = "constant"
    app.lr0.value = 1.0
    assert app.kind == "diverged" and "diverged at step" in app.readout.value
    assert np.all(np.isfinite(app.cost_line.get_data()[1]))


def test_verdict_by_hand():
    flat = np.ones(100)
    assert verdict(flat, np.ones(99), 7, flat)[0] == "diverged"
    assert verdict(flat * 100, np.geomspace(1, 1e-5, 99), -1, flat)[0] == "stalled"
    assert verdict(flat, np.linspace(1, 0.5, 99), -1, flat)[0] == "noisy"
    assert verdict(flat * 0.01, np.linspace(1, 0, 99), -1, flat)[0] == "settled"


def test_precompute_is_deterministic():
    a, b = precompute(seed=1), precompute(seed=1)
    np.testing.assert_array_equal(a[1], b[1])
    assert a[1].shape == (len(SCHEDULES), len(LR0S), len(HALF_LIVES), 501)
