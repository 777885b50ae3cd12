"""descend and minibatch_sgd: convergence, clean divergence, shapes, determinism, bad input."""
import warnings

import numpy as np
import pytest

from course import landscapes
from course.data import house_prices
from course.descent import Trajectory, descend, minibatch_sgd
from course.optimizers import OPTIMIZERS, SGD, Adam, Momentum


class Bowl:
    """f(P) = sum(c/2 * P**2) over the last axis: a local stand-in for a landscape."""

    def __init__(self, c=(1.0, 4.0), min_value=0.0):
        self.c = np.asarray(c, dtype=float)
        self.dim = len(self.c)
        self.min_value = min_value

    def value(self, P):
        return 0.5 * np.sum(self.c * np.asarray(P) ** 2, axis=-1)

    def grad(self, P):
        return self.c * np.asarray(P)


@pytest.fixture(autouse=True)
def warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_shapes_and_start_row():
    start = np.array([[1.0, 1.0], [-2.0, 0.5], [0.3, -0.7]])
    tr = descend(Bowl(), SGD(lr=0.1), start, steps=7)
    assert isinstance(tr, Trajectory)
    assert tr.params.shape == (8, 3, 2) and tr.cost.shape == (8, 3)
    assert tr.diverged_at.shape == tr.converged_at.shape == tr.diverged.shape == (3,)
    np.testing.assert_array_equal(tr.params[0], start)
    np.testing.assert_allclose(tr.cost, Bowl().value(tr.params), rtol=1e-15)


def test_sgd_on_a_bowl_follows_the_closed_form():
    # gradient descent on c/2 w**2 multiplies w by (1 - lr c) each step
    tr = descend(Bowl(), SGD(lr=0.1), [1.0, 1.0], steps=20)
    k = np.arange(21)
    np.testing.assert_allclose(tr.params[:, 0, 0], 0.9**k, rtol=1e-12)
    np.testing.assert_allclose(tr.params[:, 0, 1], 0.6**k, rtol=1e-12)


def test_single_start_is_one_run():
    tr = descend(Bowl(), Adam(lr=0.1), np.array([1.0, -1.0]), steps=5)
    assert tr.params.shape == (6, 1, 2)
    assert tr.message() == "still going after 5 steps"


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_optimizer_converges_on_a_bowl(name):
    lr = {"Adagrad": 0.5, "RMSprop": 0.05, "Adam": 0.05}.get(name, 0.1)
    tr = descend(Bowl(), OPTIMIZERS[name](lr=lr), [[1.0, -1.0], [-0.5, 2.0]], 2000, tol=1e-6)
    assert np.all(tr.converged_at > 0) and not tr.diverged.any()
    assert tr.message(1).startswith("converged at step ")
    k = tr.converged_at
    assert np.all(tr.cost[k, [0, 1]] <= 1e-6) and np.all(tr.cost[k - 1, [0, 1]] > 1e-6)


def test_many_starts_equal_one_at_a_time():
    starts = np.random.default_rng(0).uniform(-2, 2, size=(6, 2))
    together = descend(Bowl(), Momentum(lr=0.2), starts, 30)
    for i, s in enumerate(starts):
        alone = descend(Bowl(), Momentum(lr=0.2), s, 30)
        np.testing.assert_allclose(together.params[:, i], alone.params[:, 0], rtol=1e-15)


def test_divergence_on_the_parabola_beyond_two_over_c():
    # c/2 w**2 with lr c = 2.5: w_k = (-1.5)**k, so |w| passes the bound 1e6 at step 35
    c = 2.0
    parabola = landscapes.get("parabola", curvature=c)
    tr = descend(parabola, SGD(lr=2.5 / c), [1.0], steps=100)
    assert 1.5**34 < 1e6 < 1.5**35
    assert tr.diverged_at[0] == 35
    assert tr.message() == "diverged at step 35"
    assert np.all(np.isfinite(tr.params)) and np.all(np.isfinite(tr.cost))
    np.testing.assert_allclose(tr.params[:35, 0, 0], (-1.5) ** np.arange(35), rtol=1e-12)
    assert np.all(tr.params[35:] == tr.params[34]) and np.all(tr.cost[35:] == tr.cost[34])


def test_just_below_two_over_c_does_not_diverge():
    c = 2.0
    tr = descend(landscapes.get("parabola", curvature=c), SGD(lr=1.9 / c), [1.0], 300, tol=1e-8)
    assert not tr.diverged[0] and tr.converged_at[0] > 0


@pytest.mark.parametrize("n", [3, 100])
def test_runs_near_the_bound_together_are_not_divergence(n):
    # Every |p| stays within the bound 10 while their sum is far above it; a parameter just
    # past it is caught at its step.
    starts = np.tile([[9.0, 9.5], [-9.5, 9.0]], (n, 1))[:n]
    tr = descend(Bowl(c=(0.01, 0.01)), SGD(lr=1.0), starts, 50, bound=10.0)
    assert not tr.diverged.any()
    grow = descend(Bowl(c=(-0.01, 0.0)), SGD(lr=1.0), starts, 50, bound=10.0)   # |x| * 1.01^k
    expected = np.ceil(np.log(10.0 / np.abs(starts[:, 0])) / np.log(1.01)).astype(int)
    np.testing.assert_array_equal(grow.diverged_at, expected)


@pytest.mark.parametrize("n", [3, 99])
def test_overflow_is_frozen_without_warnings_and_others_run_on(n):
    # A huge bound lets the cost overflow to inf before |params| passes it, for a few runs
    # and for many.
    starts = np.tile([[1e-3, 1e-3], [1e100, 1.0], [1.0, 1.0]], (n // 3, 1))
    tr = descend(Bowl(), SGD(lr=1.2), starts, steps=600, bound=1e300, tol=1e-10)
    assert np.all(np.isfinite(tr.params)) and np.all(np.isfinite(tr.cost))
    assert np.all(tr.diverged_at > 0)
    calm = descend(Bowl(), SGD(lr=0.2), starts[[2]], 100, tol=1e-10)
    assert calm.converged_at[0] > 0


@pytest.mark.parametrize("n", [3, 50])
def test_a_parameter_past_a_huge_bound_is_caught_while_the_cost_stays_finite(n):
    # a parameter that leaves a huge bound (whose square overflows), or becomes inf, is caught
    # while its cost (1 - exp(-|p|^2), which is 1 there) stays finite
    class Flat:
        dim = 2

        def value(self, P):
            return 1.0 - np.exp(-np.sum(np.asarray(P) ** 2, axis=-1))

        def grad(self, P):
            return np.where(np.arange(len(P))[:, None] == 0, -1e299, 0.0) * np.ones_like(P)

    starts = np.zeros((n, 2))
    tr = descend(Flat(), SGD(lr=1.0), starts, 20, bound=1e300)      # run 0: +1e299 per step
    assert np.all(np.isfinite(tr.params)) and np.all(np.isfinite(tr.cost))
    assert tr.diverged_at[0] == 11 and not tr.diverged[1:].any()
    np.testing.assert_array_equal(tr.params[11:, 0], np.full((10, 2), 1e300))
    far = descend(Flat(), SGD(lr=1e6), starts, 20, bound=1e300)     # 1e305 at step 1
    assert np.all(np.isfinite(far.params)) and far.diverged_at[0] == 1
    assert not far.diverged[1:].any()


def test_frozen_runs_keep_the_optimizer_state_finite():
    # lr (1 - beta) c = 4 > 2 (1 + beta): momentum oscillates outwards until the cost overflows
    starts = np.array([[1e100, 1e100], [1.0, 1.0]])
    opt = Momentum(lr=8.0, beta=0.5)
    tr = descend(Bowl(c=(1.0, 1.0)), opt, starts, steps=2000, bound=1e300)
    assert 0 < tr.diverged_at[0] < tr.diverged_at[1]
    assert np.all(np.isfinite(opt.V))
    # the second run, alone, diverges at its own step: freezing the first did not disturb it
    alone = descend(Bowl(c=(1.0, 1.0)), Momentum(lr=8.0, beta=0.5), starts[1], 2000, bound=1e300)
    np.testing.assert_array_equal(tr.params[:, 1], alone.params[:, 0])
    assert tr.diverged_at[1] == alone.diverged_at[0]


def test_nan_gradient_counts_as_divergence():
    class Hole(Bowl):
        def grad(self, P):
            g = super().grad(P)
            return np.where(np.abs(P) < 0.5, np.nan, g)

    tr = descend(Hole(), SGD(lr=0.1), [[1.0, 1.0], [0.2, 3.0]], 50)
    assert tr.diverged_at[1] == 1 and tr.diverged_at[0] > 1
    assert np.all(np.isfinite(tr.params))


def test_tolerance_on_the_gradient_when_there_is_no_min_value():
    saddle = landscapes.get("saddle")
    assert saddle.min_value is None
    tr = descend(saddle, SGD(lr=0.1), [[1.0, 0.0], [1.0, 1e-3]], steps=400, tol=1e-3)
    assert tr.converged_at[0] > 0          # slides into the saddle point along y = 0
    assert tr.diverged_at[1] > 0           # any tilt in y runs away


def test_real_landscape_rosenbrock_adam_approaches_the_minimum():
    rb = landscapes.get("rosenbrock")
    tr = descend(rb, Adam(lr=0.02), rb.start, steps=3000, tol=1e-4)
    assert tr.converged_at[0] > 0
    np.testing.assert_allclose(tr.params[-1, 0], rb.minima[0].point, atol=0.05)


@pytest.mark.parametrize("kwargs, name", [
    ({"start": [np.nan, 0.0]}, "start"), ({"start": [np.inf, 0.0]}, "start"),
    ({"start": [1.0, 2.0, 3.0]}, "start"), ({"start": np.zeros((2, 2, 2))}, "start"),
    ({"steps": -1}, "steps"), ({"steps": 2.5}, "steps"), ({"tol": 0.0}, "tol"),
    ({"tol": -1.0}, "tol"), ({"bound": 0.0}, "bound"), ({"start": [2e6, 0.0]}, "start"),
])
def test_descend_bad_input(kwargs, name):
    args = {"start": [1.0, 1.0], "steps": 10} | kwargs
    with pytest.raises(ValueError, match=rf"^{name} must"):
        descend(Bowl(), SGD(), args.pop("start"), args.pop("steps"), **args)


def reference_descend(landscape, optimizer, start, steps, bound=1e6):
    """descend written plainly: step, value, then freeze the runs that left the finite box."""
    P = np.array(start, dtype=float).reshape(-1, landscape.dim)
    params, cost = [P], [landscape.value(P)]
    frozen = np.zeros(len(P), dtype=bool)
    diverged_at = np.full(len(P), -1)
    optimizer.reset()
    with np.errstate(all="ignore"):
        for k in range(1, steps + 1):
            G = np.where(frozen[:, None], 0.0, landscape.grad(P))
            new = optimizer.step(P, G)
            c = landscape.value(new)
            bad = ~((np.abs(new) <= bound).all(axis=1) & np.isfinite(c)) | frozen
            diverged_at[bad & ~frozen] = k
            for name in optimizer.state_names:
                getattr(optimizer, name)[bad & ~frozen] = 0.0
            frozen |= bad
            new[bad], c[bad] = P[bad], cost[-1][bad]
            P = new
            params.append(P)
            cost.append(c)
    return np.array(params), np.array(cost), diverged_at


@pytest.mark.parametrize("land_name", ["rosenbrock", "ill-conditioned", "beale", "two-minima"])
@pytest.mark.parametrize("name", list(OPTIMIZERS))
@pytest.mark.parametrize("n", [1, 40, 100])
def test_descend_equals_the_plain_loop_to_the_bit(land_name, name, n):
    # descend against a loop written independently here, bit for bit; large learning rates
    # make some runs diverge
    land = landscapes.get(land_name)
    rng = np.random.default_rng(n)
    lo, hi = np.array(land.bounds).T
    starts = rng.uniform(lo, hi, size=(n, land.dim))
    lr = {"SGD": 0.005, "Momentum": 0.02, "Nesterov": 0.02}.get(name, 0.3)
    bound = 50.0
    tr = descend(land, OPTIMIZERS[name](lr=lr), starts, 150, bound=bound)
    params, cost, diverged_at = reference_descend(land, OPTIMIZERS[name](lr=lr), starts, 150,
                                                  bound=bound)
    np.testing.assert_array_equal(tr.params, params)
    np.testing.assert_array_equal(tr.cost, cost)
    np.testing.assert_array_equal(tr.diverged_at, diverged_at)
    if n >= 40 and land_name in ("rosenbrock", "beale") and name in ("SGD", "Momentum", "Nesterov"):
        assert tr.diverged.any() and not tr.diverged.all()     # both paths were exercised


def test_a_schedule_and_per_run_learning_rates_equal_the_plain_loop():
    land = landscapes.get("rosenbrock")
    starts = np.tile(land.start, (5, 1))
    opt = Adam(lr=lambda t: 0.05 / np.sqrt(t))
    tr = descend(land, opt, starts, 200)
    np.testing.assert_array_equal(tr.params, reference_descend(land, opt, starts, 200)[0])
    opt = Momentum(lr=0.01)
    opt.lr = np.geomspace(1e-4, 1e-1, 5)[:, None]     # as course.search.batched does
    tr = descend(land, opt, starts, 200)
    params, _, diverged_at = reference_descend(land, opt, starts, 200)
    np.testing.assert_array_equal(tr.params, params)
    np.testing.assert_array_equal(tr.diverged_at, diverged_at)


# --- minibatch_sgd -------------------------------------------------------------------

def test_minibatch_shapes_and_cost():
    data = house_prices(m=50, seed=1).standardized()
    run = minibatch_sgd(data.x, data.y, SGD(lr=0.05), batch_size=16, epochs=3)
    assert run.steps_per_epoch == 4                      # 16 + 16 + 16 + 2
    assert run.params.shape == (13, 2) and run.cost.shape == (13,)
    assert run.epoch_cost.shape == (4,) and run.diverged_at == -1
    np.testing.assert_array_equal(run.params[0], [0.0, 0.0])
    w, b = run.params[:, :1], run.params[:, 1:]
    np.testing.assert_allclose(run.cost, np.mean((w * data.x + b - data.y) ** 2, axis=1))
    np.testing.assert_array_equal(run.epoch_cost, run.cost[[0, 4, 8, 12]])


def test_minibatch_full_batch_equals_descend_on_linear_regression():
    data = house_prices(m=30, seed=2).standardized()
    run = minibatch_sgd(data.x, data.y, SGD(lr=0.1), batch_size=30, epochs=25, start=(1.0, 2.0))
    land = landscapes.linear_regression(data.x, data.y)
    tr = descend(land, SGD(lr=0.1), [1.0, 2.0], 25)
    np.testing.assert_allclose(run.params, tr.params[:, 0], rtol=1e-10)


def test_minibatch_first_step_by_hand():
    x, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 7.0])
    run = minibatch_sgd(x, y, SGD(lr=0.1), batch_size=1, epochs=1, seed=4)
    order = np.random.default_rng(4).permutation(3)
    i = order[0]
    r = 0 * x[i] + 0 - y[i]
    np.testing.assert_allclose(run.params[1], [-0.1 * 2 * r * x[i], -0.1 * 2 * r])


def test_minibatch_is_deterministic_by_seed():
    data = house_prices(seed=3).standardized()
    a = minibatch_sgd(data.x, data.y, Adam(lr=1.0), 8, 5, seed=7)
    b = minibatch_sgd(data.x, data.y, Adam(lr=1.0), 8, 5, seed=7)
    c = minibatch_sgd(data.x, data.y, Adam(lr=1.0), 8, 5, seed=8)
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(a.params, c.params)


def test_minibatch_converges_near_the_true_line():
    data = house_prices(m=200, noise=10.0, seed=0).standardized()
    run = minibatch_sgd(data.x, data.y, SGD(lr=0.05), batch_size=20, epochs=60)
    np.testing.assert_allclose(run.params[-1], [data.w_true, data.b_true], rtol=0.05)
    assert run.epoch_cost[-1] < run.epoch_cost[0] / 100


def test_minibatch_divergence_is_frozen():
    data = house_prices()                            # raw floor areas: a steep valley
    run = minibatch_sgd(data.x, data.y, SGD(lr=1e-3), batch_size=10, epochs=20)
    k = run.diverged_at
    assert k > 0 and run.message() == f"diverged at step {k}"
    assert np.all(np.isfinite(run.params)) and np.all(np.isfinite(run.cost))
    assert np.all(run.params[k:] == run.params[k - 1])


@pytest.mark.parametrize("kwargs, name", [
    ({"batch_size": 0}, "batch_size"), ({"batch_size": 51}, "batch_size"),
    ({"epochs": 0}, "epochs"), ({"seed": -1}, "seed"), ({"start": (np.nan, 0.0)}, "start"),
    ({"start": (1.0,)}, "start"), ({"x": np.zeros(3)}, "x and y"),
])
def test_minibatch_bad_input(kwargs, name):
    data = house_prices()
    args = {"x": data.x, "y": data.y, "batch_size": 10, "epochs": 2} | kwargs
    with pytest.raises(ValueError, match=rf"^{name} must"):
        minibatch_sgd(args.pop("x"), data.y, SGD(), **{k: v for k, v in args.items() if k != "y"})


def test_an_optimizer_may_keep_the_gradients_it_is_given():
    # what descend hands to an optimizer is not changed by later steps
    class Keeper(SGD):
        def step(self, params, grads):
            self.kept.append(grads)
            return super().step(params, grads)

    land = landscapes.get("rosenbrock")
    opt = Keeper(lr=1e-3)
    opt.kept = []
    descend(land, opt, land.start, 3)
    expected = land.grad(descend(land, SGD(lr=1e-3), land.start, 3).params[:3, 0])
    np.testing.assert_array_equal(np.array(opt.kept)[:, 0], expected)


def test_any_object_with_step_works_as_optimizer():
    class HalfStep:
        def reset(self):
            self.calls = 0

        def step(self, params, grads):
            self.calls += 1
            return params - 0.5 * grads

    opt = HalfStep()
    tr = descend(Bowl(c=(1.0, 1.0)), opt, [[2.0, -4.0]], steps=3)
    assert opt.calls == 3
    np.testing.assert_allclose(tr.params[:, 0, 0], [2.0, 1.0, 0.5, 0.25])


def test_a_number_is_a_start_in_one_dimension():
    parabola = landscapes.get("parabola", curvature=1.0)
    tr = descend(parabola, SGD(lr=0.5), 2.0, steps=2)
    np.testing.assert_allclose(tr.params[:, 0, 0], [2.0, 1.0, 0.5])


@pytest.mark.parametrize("landscape", ["rosenbrock", "ill-conditioned", "himmelblau"])
def test_each_runs_every_optimizer_as_descend_would_alone(landscape):
    from course.descent import Each
    from course.optimizers import make

    land = landscapes.get(landscape)
    settings = [("SGD", {"lr": 1e-3}), ("Momentum", {"lr": 3e-3, "beta": 0.9}),
                ("Nesterov", {"lr": 5.0, "beta": 0.9}),  # diverges on the first two
                ("Adagrad", {"lr": 0.3}), ("RMSprop", {"lr": 1e-2}), ("Adam", {"lr": 0.1})]
    start = np.array(land.start, dtype=float)
    together = descend(land, Each([make(n, **kw) for n, kw in settings]),
                       np.tile(start, (len(settings), 1)), 150, tol=1e-6)
    for i, (name, kw) in enumerate(settings):
        alone = descend(land, make(name, **kw), start, 150, tol=1e-6)
        np.testing.assert_array_equal(together.params[:, i], alone.params[:, 0])
        np.testing.assert_array_equal(together.cost[:, i], alone.cost[:, 0])
        assert together.diverged_at[i] == alone.diverged_at[0]
        assert together.converged_at[i] == alone.converged_at[0]
    assert together.diverged.any() or landscape == "himmelblau"


def test_each_needs_one_row_per_optimizer():
    from course.descent import Each
    from course.optimizers import SGD

    with pytest.raises(ValueError, match="optimizers"):
        Each([])
    with pytest.raises(ValueError, match="one row per optimizer"):
        descend(landscapes.get("rosenbrock"), Each([SGD(0.1), SGD(0.2)]), np.zeros((3, 2)), 5)
