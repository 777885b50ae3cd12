"""The race bookkeeping: a race cut short or carried on is bit for bit the race of that length."""
import numpy as np
import pytest

from course import landscapes
from course.apps.race import DEFAULT_LR, race_landscapes
from course.apps.race_runs import extend, prefix
from course.descent import Each, descend
from course.optimizers import OPTIMIZERS, make


@pytest.mark.parametrize("name", race_landscapes())
def test_a_shorter_race_is_the_start_of_a_longer_one_bit_for_bit(name):
    land = landscapes.get(name)
    runs = [make(n, lr=lr) for n in OPTIMIZERS for lr in (DEFAULT_LR[n], 0.3, 3.0)]
    start = np.tile(land.start, (len(runs), 1))
    long = descend(land, Each(runs), start, 300, tol=1e-6)
    assert long.diverged.any() and (long.converged_at < 0).any()
    if name not in ("rosenbrock", "rastrigin"):       # nothing gets within 1e-6 there in 300 steps
        assert (long.converged_at >= 0).any()
    for steps in (0, 1, 50, 173, 299, 300):
        short = descend(land, Each(runs), start, steps, tol=1e-6)
        cut = prefix(long, steps)
        for field in ("params", "cost", "diverged_at", "converged_at"):
            np.testing.assert_array_equal(getattr(cut, field), getattr(short, field), err_msg=field)


@pytest.mark.parametrize("name", race_landscapes())
def test_a_race_carried_on_is_a_longer_race_bit_for_bit(name):
    land = landscapes.get(name)
    settings = [(n, lr) for n in OPTIMIZERS for lr in (DEFAULT_LR[n], 0.3, 3.0)]
    start = np.tile(land.start, (len(settings), 1))
    whole = descend(land, Each([make(n, lr=lr) for n, lr in settings]), start, 300, tol=1e-6)
    opts = [make(n, lr=lr) for n, lr in settings]
    part = descend(land, Each(opts), start, 40, tol=1e-6)
    assert (part.diverged_at >= 0).any() and (part.diverged_at < 0).any()
    for steps in (40, 41, 250, 300):            # on and on, as the steps slider goes up
        part = extend(land, part, opts, steps, 1e-6)
        cut = prefix(whole, steps)
        for field in ("params", "cost", "diverged_at", "converged_at"):
            np.testing.assert_array_equal(getattr(part, field), getattr(cut, field), err_msg=field)
