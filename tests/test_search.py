"""course.search: batched trials equal separate runs; tuning finds the textbook learning rate."""
import numpy as np
import pytest

from course import landscapes, search
from course.descent import descend
from course.optimizers import make


@pytest.fixture
def bowl():
    return landscapes.get("ill-conditioned", condition=10)


def test_lr_grid_is_log_spaced():
    lrs = search.lr_grid(1e-4, 1.0, 5)
    np.testing.assert_allclose(lrs, [1e-4, 1e-3, 1e-2, 1e-1, 1.0])
    for bad in ({"lo": 0.0}, {"lo": 1.0, "hi": 0.1}, {"n": 1}):
        with pytest.raises(ValueError):
            search.lr_grid(**bad)


@pytest.mark.parametrize("name, beta_name", [("Momentum", "beta"), ("Nesterov", "beta"),
                                             ("RMSprop", "beta"), ("Adam", "beta1")])
def test_batched_trials_equal_separate_runs(name, beta_name):
    land = landscapes.get("rosenbrock")
    lrs, betas = [0.002, 0.01, 0.05], [0.5, 0.9, 0.0]
    traj = search.race_trials(land, name, land.start, 60, lrs, betas, beta_name)
    for i, (lr, beta) in enumerate(zip(lrs, betas)):
        one = descend(land, make(name, lr=lr, **{beta_name: beta}), land.start, 60)
        np.testing.assert_allclose(traj.params[:, i], one.params[:, 0], rtol=1e-12, atol=1e-14)
        assert traj.diverged_at[i] == one.diverged_at[0]


def test_batched_checks_its_arguments():
    with pytest.raises(ValueError, match="lrs"):
        search.batched("SGD", [0.1, -0.1])
    with pytest.raises(ValueError, match="beta"):
        search.batched("Momentum", [0.1, 0.1], betas=[0.5, 1.0])
    with pytest.raises(ValueError, match="beta"):
        search.batched("Momentum", [0.1, 0.1], betas=[-0.5, 0.5])


def test_score_orders_converged_still_going_diverged(bowl):
    # SGD on f = (x^2 + 10 y^2)/2 is stable for lr < 2/10
    traj = search.race_trials(bowl, "SGD", bowl.start, 100, [0.15, 1e-3, 0.25], tol=1e-6)
    assert traj.converged_at[0] >= 0 and traj.diverged_at[2] >= 0
    s = search.score(bowl, traj, 1e-6)
    assert s[0] <= 100 < s[1] <= 102 < s[2]


def test_tune_finds_the_best_constant_step_on_a_quadratic(bowl):
    # for gradient descent on a quadratic with curvatures 1 and 10 the fastest lr is 2/(1+10)
    res = search.tune_lr(bowl, "SGD", bowl.start, 200, lrs=search.lr_grid(1e-3, 1.0, 13), tol=1e-8)
    assert 0.1 <= res.best_lr <= 0.2
    assert res.best_lr == res.lrs[res.best]
    assert res.scores[res.best] == res.scores.min()
    assert np.isclose(res.best_lr, 2 / 11, rtol=0.1)


def test_grid_and_random_trials():
    lr, beta = search.grid_trials(9, (1e-3, 1.0), (0.0, 0.9))
    assert lr.shape == beta.shape == (9,)
    assert len(np.unique(lr)) == 3 and len(np.unique(beta)) == 3
    lr2, beta2 = search.random_trials(9, (1e-3, 1.0), (0.0, 0.9), seed=1)
    assert len(np.unique(lr2)) == 9
    assert np.all((lr2 >= 1e-3) & (lr2 <= 1.0) & (beta2 >= 0) & (beta2 <= 0.9))
    again = search.random_trials(9, (1e-3, 1.0), (0.0, 0.9), seed=1)
    np.testing.assert_array_equal(lr2, again[0])
    assert not np.array_equal(lr2, search.random_trials(9, (1e-3, 1.0), (0.0, 0.9), seed=2)[0])


def test_final_gaps_and_cost_map(bowl):
    lrs, betas = np.array([0.01, 0.1, 50.0]), np.array([0.9, 0.5, 0.0])
    gaps, diverged = search.final_gaps(bowl, "Momentum", bowl.start, 50, lrs, betas)
    assert diverged.tolist() == [False, False, True]
    for i in range(2):
        one = descend(bowl, make("Momentum", lr=lrs[i], beta=betas[i]), bowl.start, 50)
        assert np.isclose(gaps[i], one.cost[-1, 0] - bowl.min_value, rtol=1e-12, atol=1e-300)
    g, d = search.cost_map(bowl, "Momentum", bowl.start, 30, [0.01, 0.1, 1.0, 10.0], [0.0, 0.9])
    assert g.shape == d.shape == (2, 4)
    assert np.all(np.isfinite(g)) and d[:, -1].all() and not d[:, 0].any()


def test_best_trial_skips_diverged_runs():
    assert search.best_trial([1.0, 0.1, 0.5], [False, True, False]) == 2
    assert search.best_trial([1.0, 0.1], [True, True]) == -1


# --- the lesson's self-checks (course.checks.optimizers), which run the search's optimizers ------

def test_rmsprop_check_accepts_a_right_update_and_rejects_wrong_ones():
    from course.checks import optimizers as check

    def right(W, dW, S, lr, beta, eps):
        S = beta * S + (1 - beta) * dW**2
        return W - lr * dW / (np.sqrt(S) + eps), S

    def no_average(W, dW, S, lr, beta, eps):     # Adagrad's sum instead of the moving average
        S = S + dW**2
        return W - lr * dW / (np.sqrt(S) + eps), S

    def plus_one(W, dW, S, lr, beta, eps):       # a wrong denominator
        S = beta * S + (1 - beta) * dW**2
        return W - lr * dW / np.sqrt(S + 1.0), S

    assert check.rmsprop_update(right) is True
    assert check.rmsprop_update(no_average) is False
    assert check.rmsprop_update(plus_one) is False
    assert check.rmsprop_update(None) is False
    assert check.rmsprop_update(lambda *a: None) is False
    assert check.rmsprop_update(lambda *a: 1 / 0) is False


def test_number_checks():
    from course.checks import optimizers as check

    assert check.torch_momentum_lr(0.01) is True and check.torch_momentum_lr(0.1) is False
    assert check.adam_correction(1 - 0.999**2) is True
    assert check.adam_correction(0.001**2) is False and check.adam_correction(None) is False


def test_the_optimizers_match_torch_optim():
    pytest.importorskip("torch")
    from course.checks.optimizers import compare_with_torch

    rows = compare_with_torch(steps=30)
    assert len(rows) == 7
    for name, call, diff in rows:
        if "dampening" in call:
            assert diff > 1e-6, call         # torch starts its buffer at the raw first gradient
        else:
            assert diff < 1e-9, (name, call, diff)
