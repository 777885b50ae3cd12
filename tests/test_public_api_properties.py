"""Every public function of ``course`` (all but the apps and the figures) given one bad argument.

Each function is called with small valid arguments, one of them replaced by NaN, inf, a huge or
tiny number, a wrong type, a wrong shape or a callable returning nonsense (a fixed list of such
values, then values drawn by hypothesis). Accepted outcomes: a result (with no NaN in it and no
warning on the way), or a ValueError or TypeError whose message names the argument, raised at
once (a size that would take more than MEMORY_LIMIT or hours is refused, not attempted). The
exercise checks of ``course.checks`` take any answer and never raise.
"""
import contextlib
import dataclasses
import importlib.util
import inspect
import re
import resource
import signal
import warnings
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course import (averages, batch_experiments, data, descent, landscapes, losses, lr_experiments, nn,
                    network_landscape, optimizers, rates, schedules, search, training, validate)
from course import checks
from course.checks import batch_size as checks_batch_size
from course.checks import cost_functions, gradient_descent, inside_network, learning_rate, network
from course.checks import optimizers as checks_optimizers
from course.checks import optimizers_in_depth as checks_in_depth

MODULES = [averages, data, losses, nn, training, schedules, search, batch_experiments, lr_experiments,
           validate, optimizers, descent, landscapes, rates, checks, checks_batch_size, cost_functions,
           gradient_descent, learning_rate, network, checks_optimizers, checks_in_depth,
           network_landscape, inside_network]

NOT_ENTRY_POINTS = {  # hooks that step() calls after its checks
    f"optimizers.{name}.update" for name in ("Optimizer", "SGD", "Momentum", "Nesterov", "Adagrad",
                                             "RMSprop", "Adam", "AdamW")}

SECONDS = 30   # a call given one bad argument must end within this (or refuse it at once)


# ------------------------------------------------------------------ bad values

def _nan_fn(*_):
    return float("nan")


def _negative_fn(*_):
    return -1.0


def _str_fn(*_):
    return "abc"


NAN, INF = float("nan"), float("inf")
BAD = [
    None, NAN, INF, -INF, 1e308, -1e308, 1e-308, 5e-324, 0, 0.0, -0.0, -1, -1.5, 0.5, 2, 7.5,
    10**7, 10**9, 10**18, 2**64, -(10**18), True, False, "abc", "1", b"1", "", [], (), {},
    [[1.0, 2.0], [3.0]], [1.0, "a"], [None, 1.0], object(), 1j, np.float64(NAN), np.int64(-1),
    np.zeros(0), np.full(3, NAN), np.ones((3, 7)), np.ones((2, 2, 2, 2)), np.array(["a", "b"]),
    np.array([1e308, -1e308]), np.array([1e-308, 0.0]), np.arange(5), int, np.float32,
    _nan_fn, _negative_fn, _str_fn,
]
BAD_IDS = [f"{i}-{str(v)[:20]}" for i, v in enumerate(BAD)]


def near(valid):
    """Bad values made from the valid one: one entry NaN, inf or huge, a wrong shape, scaled."""
    out = []
    if isinstance(valid, np.ndarray) and valid.dtype.kind in "iuf" and valid.size:
        for bad in (NAN, INF, 1e300, -1e300, 1e-300):
            v = valid.astype(float).copy()
            v.flat[-1] = bad
            out.append(v)
        out += [valid[..., :-1], valid[None], valid.T.copy(), valid.ravel(), valid.astype(float) * 1e300,
                valid.astype(float) * 1e-300, valid.tolist() if valid.ndim else valid.item()]
    elif isinstance(valid, (int, float)) and not isinstance(valid, bool) and valid:
        out += [valid * 1e300, valid * 1e-300, -valid, str(valid)]
        if isinstance(valid, int):
            out += [valid + 0.5, valid * 10**9]
    return out


def drawn(valid):
    """Hypothesis' bad values for an argument whose valid value is ``valid``."""
    arrays = hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
                        elements=st.floats(allow_nan=True, allow_infinity=True, width=64))
    return st.one_of(st.sampled_from(BAD + near(valid)), st.floats(), arrays,
                     st.integers(-10, 40), st.integers(-2**70, 2**70).filter(lambda n: abs(n) > 10**6),
                     st.text(max_size=4), st.lists(st.floats(), max_size=4))


# ------------------------------------------------------------------ valid arguments

def _digits_like(seed=0, n=24, d=4, k=3):
    rng = np.random.default_rng(seed)
    part = [(rng.uniform(0, 1, (n, d)), np.arange(n) % k) for _ in range(3)]
    return data.Digits(*part[0], *part[1], *part[2], n_classes=k)


def _net():
    return nn.Network([4, 5, 3], seed=0)


def _path():
    return network_landscape.record_path(_net(), optimizers.SGD(0.5), _digits_like(), epochs=3)


def _traj():
    land = landscapes.get("rosenbrock")
    return descent.descend(land, optimizers.SGD(1e-3), land.start, 5, tol=1e-3)


HOUSES = data.house_prices(m=12, seed=0).standardized()
X4 = np.random.default_rng(1).uniform(0, 1, (6, 4))
Y4 = np.array([0, 1, 2, 0, 1, 2])
PROBS = np.array([[0.7, 0.3], [0.2, 0.8]])
BOXES = np.array([[0.5, 0.5, 0.2, 0.3], [0.1, 0.2, 0.3, 0.4]])
CURVES = batch_experiments.example_curves(n=8)
ROSENBROCK = landscapes.get("rosenbrock")
BOWL = landscapes.get("ill-conditioned", condition=10)


@dataclass
class Spec:
    call: object                 # call(**args)
    args: object                 # a dict of valid arguments, or a function returning one
    fixed: tuple = ()            # arguments not replaced (the object a method belongs to)
    answers: tuple = ()          # arguments that take anything without raising (the checks)
    named: dict = field(default_factory=dict)   # argument -> the word its message must hold
    seconds: int = SECONDS       # the time a call may take

    def valid(self):
        return dict(self.args() if callable(self.args) else self.args)

    def perturbed(self):
        return [a for a in self.valid() if a not in self.fixed]


def method(cls_method, make_self, **args):
    """A spec calling ``make_self().<method>(**args)``."""
    return Spec(lambda self, **kw: cls_method(self, **kw),
                lambda: {"self": make_self(), **args}, fixed=("self",))


def _consume(fn):
    def call(**kw):
        result = fn(**kw)
        return list(result) if inspect.isgenerator(result) else result
    return call


SPECS = {
    # data
    "data.house_prices": Spec(data.house_prices, dict(m=5, noise=1.0, seed=0)),
    "data.HousePrices.standardized": method(data.HousePrices.standardized, lambda: HOUSES),
    "data.batch_sizes": Spec(data.batch_sizes, dict(n=10, batch_size=3)),
    "data.minibatches": Spec(_consume(data.minibatches),
                             dict(X=np.arange(10.0), y=np.arange(10.0), batch_size=3, rng=0)),
    "data.digits": Spec(data.digits, dict(seed=0)),
    "data.Digits.images": Spec(data.Digits.images, dict(X=np.zeros((2, 64)))),
    # losses
    "losses.squared_loss": Spec(losses.squared_loss, dict(y=np.array([1.0, 2.0]), y_hat=np.array([1.5, 2.0]))),
    "losses.squared_loss_grad": Spec(losses.squared_loss_grad, dict(y=np.array([1.0, 2.0]), y_hat=np.array([1.5, 2.0]))),
    "losses.bbox_loss": Spec(losses.bbox_loss, dict(box=BOXES, box_hat=BOXES[::-1].copy())),
    "losses.bbox_loss_grad": Spec(losses.bbox_loss_grad, dict(box=BOXES, box_hat=BOXES[::-1].copy())),
    "losses.cross_entropy": Spec(losses.cross_entropy, dict(labels=np.array([0, 1]), probs=PROBS)),
    "losses.cross_entropy_grad": Spec(losses.cross_entropy_grad, dict(labels=np.array([0, 1]), probs=PROBS)),
    "losses.cost": Spec(losses.cost, dict(losses=np.array([1.0, 2.0]))),
    # nn
    "nn.relu": Spec(nn.relu, dict(Z=X4)),
    "nn.sigmoid": Spec(nn.sigmoid, dict(Z=X4)),
    "nn.softmax": Spec(nn.softmax, dict(Z=X4)),
    "nn.count_parameters": Spec(nn.count_parameters, dict(sizes=[4, 5, 3])),
    "nn.Network": Spec(nn.Network, dict(sizes=[4, 5, 3], activation="sigmoid", seed=0, dtype=np.float64)),
    "nn.Network.weights": method(lambda self: self.weights, _net),
    "nn.Network.copy": method(nn.Network.copy, _net, dtype=np.float64),
    "nn.Network.forward": method(nn.Network.forward, _net, X=X4),
    "nn.Network.predict": method(nn.Network.predict, _net, X=X4),
    "nn.Network.accuracy": method(nn.Network.accuracy, _net, X=X4, y=Y4),
    "nn.Network.cost": method(nn.Network.cost, _net, X=X4, y=Y4, l2=0.1),
    "nn.Network.backward": Spec(lambda self, P, activations, y, l2: self.backward(P, activations, y, l2),
                                lambda: {"self": _net(), **dict(zip(("P", "activations"), _net().forward(X4))),
                                         "y": Y4, "l2": 0.1}, fixed=("self",)),
    "nn.Network.gradients": method(nn.Network.gradients, _net, X=X4, y=Y4, l2=0.1),
    "nn.gradient_check": Spec(nn.gradient_check, lambda: dict(net=_net(), X=X4, y=Y4, l2=0.1, eps=1e-6,
                                                            per_array=2, seed=0)),
    # training
    "training.train": Spec(training.train, lambda: dict(
        net=_net(), optimizer=optimizers.SGD(0.1), data=_digits_like(), epochs=2, batch_size=8,
        l2=0.01, patience=3, seed=0, callback=lambda h: None, keep_best=True, warmup=3, clip=1.0),
        fixed=("callback",)),    # a callback's own errors reach the caller unchanged
    "training.clip_by_norm": Spec(training.clip_by_norm, dict(g=np.array([3.0, 4.0]), max_norm=1.0)),
    "training.History.message": method(training.History.message, lambda: training.History()),
    "training.repeat": Spec(training.repeat, lambda: dict(
        data=_digits_like(), optimizer=optimizers.SGD(0.1), seeds=[0, 1], sizes=(4, 3, 3), epochs=2)),
    # averages
    "averages.ewa": Spec(averages.ewa, dict(series=np.array([4.0, 8.0, 2.0]), beta=0.5, corrected=True)),
    "averages.weights": Spec(averages.weights, dict(beta=0.9, t=5)),
    "averages.window": Spec(averages.window, dict(beta=0.9)),
    "averages.noisy_series": Spec(averages.noisy_series, dict(steps=20, noise=2.0, seed=0)),
    # network_landscape
    "network_landscape.flat": Spec(network_landscape.flat, lambda: dict(net=_net())),
    "network_landscape.unflat": Spec(network_landscape.unflat, lambda: dict(net=_net(), theta=np.ones(43))),
    "network_landscape.record_path": Spec(network_landscape.record_path, lambda: dict(
        net=_net(), optimizer=optimizers.SGD(0.1), data=_digits_like(), epochs=2, batch_size=8, seed=0)),
    "network_landscape.line_costs": Spec(network_landscape.line_costs, lambda: dict(
        net=_net(), start=np.zeros(43), end=np.ones(43) / 10, X=X4, y=Y4, alphas=[0.0, 0.5])),
    "network_landscape.random_direction": Spec(network_landscape.random_direction, lambda: dict(
        net=_net(), center=np.linspace(-1, 1, 43), seed=0)),
    "network_landscape.pca_directions": Spec(network_landscape.pca_directions, lambda: dict(
        path=np.random.default_rng(0).normal(size=(4, 6)))),
    "network_landscape.project": Spec(network_landscape.project, lambda: dict(
        points=np.ones((3, 4)), center=np.zeros(4), d1=np.eye(4)[0], d2=np.eye(4)[1])),
    "network_landscape.plane_costs": Spec(network_landscape.plane_costs, lambda: dict(
        net=_net(), center=np.zeros(43), d1=np.ones(43), d2=np.linspace(0, 1, 43), a=[0.0, 1.0],
        b=[0.5], X=X4, y=Y4)),
    "network_landscape.slice_around": Spec(network_landscape.slice_around, lambda: dict(
        net=_net(), path=_path(), X=X4, y=Y4, plane="pca", n=5, span=1.0, seed=0)),
    "network_landscape.rise": Spec(network_landscape.rise, lambda: dict(
        s=network_landscape.slice_around(_net(), _path(), X4, Y4, n=5), radius=0.5)),
    "network_landscape.batch_slices": Spec(network_landscape.batch_slices, lambda: dict(
        data=data.digits(0), n=3, seed=0), seconds=120),    # trains two networks: seconds, not ms
    "network_landscape.scaling_grid": Spec(network_landscape.scaling_grid, lambda: dict(
        data=_digits_like(), batch_sizes=[4, 8], lrs=[0.1, 1.0], epochs=2, sizes=(4, 3, 3), seed=0)),
    "network_landscape.range_test": Spec(network_landscape.range_test, lambda: dict(
        net=_net(), data=_digits_like(), lr_min=1e-3, lr_max=10.0, steps=20, batch_size=8, seed=0,
        blowup=4.0, beta=0.9)),
    # schedules
    "schedules.constant": Spec(schedules.constant, dict(lr0=0.1)),
    "schedules.step_decay": Spec(schedules.step_decay, dict(lr0=0.1, drop=0.5, every=3)),
    "schedules.exponential_decay": Spec(schedules.exponential_decay, dict(lr0=0.1, rate=0.9)),
    "schedules.inverse_time": Spec(schedules.inverse_time, dict(lr0=0.1, decay=0.5)),
    "schedules.cosine": Spec(schedules.cosine, dict(lr0=0.1, total=10, lr_min=0.01)),
    "schedules.warmup": Spec(schedules.warmup, dict(schedule=schedules.constant(0.1), steps=3)),
    "schedules.Schedule.__call__": Spec(lambda t: schedules.step_decay(0.1, every=2)(t), dict(t=3)),
    "schedules.warmup(...)(t)": Spec(lambda schedule, t: schedules.warmup(schedule, 3)(t),
                                     dict(schedule=schedules.cosine(0.1, 5), t=np.arange(1, 9))),
    # search
    "search.lr_grid": Spec(search.lr_grid, dict(lo=1e-3, hi=1.0, n=4)),
    "search.gap": Spec(search.gap, dict(landscape=BOWL, cost=np.array([1.0, 0.5]))),
    "search.score": Spec(search.score, lambda: dict(landscape=ROSENBROCK, traj=_traj(), tol=1e-3)),
    "search.batched": Spec(search.batched, dict(name="Momentum", lrs=[0.01, 0.1], betas=[0.5, 0.9],
                                                beta_name="beta")),
    "search.race_trials": Spec(search.race_trials, dict(landscape=BOWL, name="Momentum", start=BOWL.start,
                                                        steps=5, lrs=[0.01, 0.1], betas=[0.5, 0.9],
                                                        beta_name="beta", tol=1e-3)),
    "search.tune_lr": Spec(search.tune_lr, dict(landscape=BOWL, name="SGD", start=BOWL.start, steps=5,
                                                lrs=[0.01, 0.1], tol=1e-3)),
    "search.grid_trials": Spec(search.grid_trials, dict(n=9, lr_range=(1e-3, 1.0), beta_range=(0.0, 0.9))),
    "search.random_trials": Spec(search.random_trials, dict(n=5, lr_range=(1e-3, 1.0),
                                                            beta_range=(0.0, 0.9), seed=0)),
    "search.final_gaps": Spec(search.final_gaps, dict(landscape=BOWL, name="Momentum", start=BOWL.start,
                                                      steps=5, lrs=[0.01, 0.1], betas=[0.5, 0.9],
                                                      beta_name="beta")),
    "search.cost_map": Spec(search.cost_map, dict(landscape=BOWL, name="Momentum", start=BOWL.start,
                                                  steps=5, lr_axis=[0.01, 0.1], beta_axis=[0.5, 0.9],
                                                  beta_name="beta")),
    "search.best_trial": Spec(search.best_trial, dict(gaps=np.array([0.3, 0.1]),
                                                      diverged=np.array([False, True]))),
    # batch_experiments
    "batch_experiments.per_example_gradients": Spec(batch_experiments.per_example_gradients,
                                                    dict(x=HOUSES.x, y=HOUSES.y, params=np.array([1.0, 2.0]))),
    "batch_experiments.batch_gradient_samples": Spec(batch_experiments.batch_gradient_samples, dict(
        x=HOUSES.x, y=HOUSES.y, params=np.array([1.0, 2.0]), batch_size=3, samples=4, seed=0, replace=False)),
    "batch_experiments.batch_means_all_sizes": Spec(batch_experiments.batch_means_all_sizes, dict(
        per_example=np.ones((6, 2)), samples=3, seed=0, replace=False)),
    "batch_experiments.noise_variance": Spec(batch_experiments.noise_variance, dict(
        per_example=np.arange(12.0).reshape(6, 2), batch_size=np.array([1, 3]), replace=False)),
    "batch_experiments.measured_variance": Spec(batch_experiments.measured_variance, dict(
        samples=np.ones((4, 2)), full_gradient=np.zeros(2))),
    "batch_experiments.epoch_seconds": Spec(batch_experiments.epoch_seconds, dict(
        batch_size=16, n=64, d=4, seed=0, repeats=1)),
    "batch_experiments.example_curves": Spec(batch_experiments.example_curves, dict(n=8, spread=0.3)),
    "batch_experiments.ExampleCurves.losses": method(batch_experiments.ExampleCurves.losses, lambda: CURVES,
                                                     w=np.array([0.0, 1.0])),
    "batch_experiments.ExampleCurves.grads": method(batch_experiments.ExampleCurves.grads, lambda: CURVES,
                                                    w=np.array([0.0, 1.0]), idx=np.array([[0, 1], [2, 3]])),
    "batch_experiments.ExampleCurves.cost": method(batch_experiments.ExampleCurves.cost, lambda: CURVES, w=0.5),
    "batch_experiments.ExampleCurves.grad": method(batch_experiments.ExampleCurves.grad, lambda: CURVES, w=0.5),
    "batch_experiments.sgd_seeds": Spec(batch_experiments.sgd_seeds, dict(
        curves=CURVES, batch_size=2, lr=0.15, steps=5, seeds=3, start=-1.5, seed=0)),
    "batch_experiments.outcomes": Spec(batch_experiments.outcomes, dict(curves=CURVES, w=np.array([-1.0, 1.0]),
                                                                        tol=0.1)),
    "batch_experiments.noisy_descent": Spec(batch_experiments.noisy_descent, dict(
        landscape=BOWL, starts=np.ones((3, 2)), lr=0.01, steps=4, noise=0.1, seed=0, keep_path=True,
        bound=1e3)),
    "batch_experiments.basin_map": Spec(batch_experiments.basin_map, dict(
        landscape=landscapes.get("himmelblau"), n=4, lr=0.01, steps=4, noise=0.1, seed=0, tol=0.2)),
    "batch_experiments.steps_to_leave_saddle": Spec(batch_experiments.steps_to_leave_saddle,
                                                    dict(y0=0.01, lr=0.1, radius=1.0)),
    # lr_experiments
    "lr_experiments.regime": Spec(lr_experiments.regime, dict(lr=0.1, curvature=2.0)),
    "lr_experiments.steps_to_converge": Spec(lr_experiments.steps_to_converge,
                                             dict(lr=np.array([0.1, 0.5]), curvature=2.0, tol=1e-3)),
    "lr_experiments.simulate_steps_to_converge": Spec(lr_experiments.simulate_steps_to_converge, dict(
        lr=np.array([0.1, 0.5]), curvature=2.0, tol=1e-3, max_steps=50, w0=1.0, bound=1e6)),
    "lr_experiments.lr_range_test": Spec(lr_experiments.lr_range_test, dict(
        x=HOUSES.x, y=HOUSES.y, lr_min=1e-4, lr_max=10.0, batch_size=4, seed=0, blowup=4.0, beta=0.9)),
    "lr_experiments.make_schedule": Spec(lr_experiments.make_schedule, dict(
        name="warm-up + cosine", lr0=0.1, half_life=10.0, warmup_steps=5)),
    "lr_experiments.minibatch_stats": Spec(lr_experiments.minibatch_stats, dict(
        x=HOUSES.x, y=HOUSES.y, batch_size=4, epochs=2, seed=0)),
    "lr_experiments.schedule_runs": Spec(lr_experiments.schedule_runs, dict(
        x=HOUSES.x, y=HOUSES.y, lrs=np.full((2, 6), 0.1), batch_size=4, epochs=2, seed=0,
        start=(0.0, 0.0), bound=1e6)),
    # validate: only the value comes from a user; the name, bounds and formula are the package's
    "validate.integer": Spec(validate.integer, dict(name="x", value=3, low=0, high=5),
                             fixed=("name", "low", "high"), named={"value": "x"}),
    "validate.steps": Spec(validate.steps, dict(name="x", value=3, low=0), fixed=("name", "low"),
                           named={"value": "x"}),
    "validate.number": Spec(validate.number, dict(name="x", value=0.5, low=0.0, high=1.0),
                            fixed=("name", "low", "high"), named={"value": "x"}),
    "validate.positive": Spec(validate.positive, dict(name="x", value=0.5), fixed=("name",),
                              named={"value": "x"}),
    "validate.rate": Spec(validate.rate, dict(name="x", value=0.5), fixed=("name",), named={"value": "x"}),
    "validate.learning_rate": Spec(validate.learning_rate, dict(name="x", value=0.5), fixed=("name",),
                                   named={"value": "x"}),
    "validate.boolean": Spec(validate.boolean, dict(name="x", value=True), fixed=("name",),
                             named={"value": "x"}),
    "validate.array": Spec(validate.array, dict(name="x", value=np.ones((3, 2)), shape=(..., 2)),
                           fixed=("name", "shape"), named={"value": "x"}),
    "validate.memory": Spec(validate.memory, dict(formula="n", floats=3, n=3), fixed=("formula", "floats")),
    # optimizers (rewritten on the "models" branch)
    "optimizers.Optimizer": Spec(optimizers.SGD, dict(lr=0.1)),
    "optimizers.Optimizer.step": method(optimizers.Optimizer.step, lambda: optimizers.Adam(0.1),
                                        params=np.ones(3), grads=np.ones(3)),
    "optimizers.Optimizer.step lr(t)": Spec(lambda lr: optimizers.SGD(lr).step(np.ones(2), np.ones(2)),
                                           dict(lr=schedules.constant(0.1))),
    "optimizers.Optimizer.reset": method(optimizers.Optimizer.reset, lambda: optimizers.Adam(0.1)),
    "optimizers.Optimizer.current_lr": method(optimizers.Optimizer.current_lr, lambda: optimizers.Adam(0.1)),
    "optimizers.Optimizer.hyper": method(optimizers.Optimizer.hyper, lambda: optimizers.Adam(0.1)),
    "optimizers.SGD": Spec(optimizers.SGD, dict(lr=0.1)),
    "optimizers.Momentum": Spec(optimizers.Momentum, dict(lr=0.1, beta=0.9)),
    "optimizers.Momentum.hyper": method(optimizers.Momentum.hyper, lambda: optimizers.Momentum()),
    "optimizers.Nesterov": Spec(optimizers.Nesterov, dict(lr=0.1, beta=0.9)),
    "optimizers.Adagrad": Spec(optimizers.Adagrad, dict(lr=0.1, eps=1e-10)),
    "optimizers.Adagrad.hyper": method(optimizers.Adagrad.hyper, lambda: optimizers.Adagrad()),
    "optimizers.RMSprop": Spec(optimizers.RMSprop, dict(lr=0.1, beta=0.9, eps=1e-8)),
    "optimizers.RMSprop.hyper": method(optimizers.RMSprop.hyper, lambda: optimizers.RMSprop()),
    "optimizers.Adam": Spec(optimizers.Adam, dict(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8)),
    "optimizers.Adam.hyper": method(optimizers.Adam.hyper, lambda: optimizers.Adam()),
    "optimizers.AdamW": Spec(optimizers.AdamW, dict(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01)),
    "optimizers.AdamW.hyper": method(optimizers.AdamW.hyper, lambda: optimizers.AdamW()),
    "optimizers.make": Spec(optimizers.make, dict(name="Adam", lr=0.1)),
    # descent (rewritten on the "models" branch)
    "descent.descend": Spec(descent.descend, lambda: dict(
        landscape=ROSENBROCK, optimizer=optimizers.Adam(0.01), start=np.array([[-1.0, 1.0], [0.0, 0.5]]),
        steps=5, tol=1e-3, bound=1e6)),
    "descent.Trajectory.message": method(descent.Trajectory.message, _traj, i=0),
    "descent.Each": Spec(descent.Each, lambda: dict(optimizers=[optimizers.SGD(0.1), optimizers.Adam(0.1)])),
    "descent.Each.step": method(descent.Each.step, lambda: descent.Each([optimizers.SGD(0.1), optimizers.Adam(0.1)]),
                                params=np.ones((2, 2)), grads=np.ones((2, 2))),
    "descent.Each.reset": method(descent.Each.reset, lambda: descent.Each([optimizers.SGD(0.1)])),
    "descent.minibatch_sgd": Spec(descent.minibatch_sgd, lambda: dict(
        x=HOUSES.x, y=HOUSES.y, optimizer=optimizers.SGD(0.05), batch_size=4, epochs=2, seed=0,
        start=(0.0, 0.0), bound=1e6)),
    "descent.MinibatchRun.message": method(descent.MinibatchRun.message, lambda: descent.minibatch_sgd(
        HOUSES.x, HOUSES.y, optimizers.SGD(0.05), 4, 1)),
    # landscapes (rewritten on the "models" branch)
    "landscapes.get": Spec(landscapes.get, dict(name="rosenbrock", a=1.0, b=100.0)),
    "landscapes.get parabola": Spec(lambda curvature: landscapes.get("parabola", curvature=curvature),
                                    dict(curvature=2.0)),
    "landscapes.get ill-conditioned": Spec(lambda condition: landscapes.get("ill-conditioned", condition=condition),
                                           dict(condition=10.0)),
    "landscapes.get ill-conditioned turned": Spec(
        lambda condition, angle: landscapes.get("ill-conditioned", condition=condition, angle=angle).grad(
            np.array([[3.0, 3.0], [-3.0, 3.0]])), dict(condition=10.0, angle=30.0)),
    "landscapes.get two-minima": Spec(lambda tilt: landscapes.get("two-minima", tilt=tilt), dict(tilt=0.3)),
    "landscapes.names": Spec(landscapes.names, {}),
    # ... and their parameters in use (a huge curvature or lr must fail at the entry, not later)
    "landscapes.get parabola, used": Spec(lambda curvature: landscapes.get("parabola", curvature=curvature)
                                          .grad(np.array([[-2.0], [2.0]])), dict(curvature=2.0)),
    "landscapes.get ill-conditioned, used": Spec(
        lambda condition: landscapes.get("ill-conditioned", condition=condition).grad(
            np.array(landscapes.get("ill-conditioned", condition=10.0).bounds).T), dict(condition=10.0)),
    "optimizers.Adam lr, used": Spec(lambda lr: descent.descend(BOWL, optimizers.Adam(lr), BOWL.start, 5),
                                     dict(lr=0.1)),
    "optimizers.Momentum lr, used": Spec(lambda lr: descent.descend(BOWL, optimizers.Momentum(lr), BOWL.start, 5),
                                         dict(lr=0.1)),
    "landscapes.linear_regression": Spec(landscapes.linear_regression, dict(x=HOUSES.x, y=HOUSES.y)),
    "landscapes.Landscape.value": method(landscapes.Landscape.value, lambda: ROSENBROCK, P=np.ones((3, 2))),
    "landscapes.Landscape.grad": method(landscapes.Landscape.grad, lambda: ROSENBROCK, P=np.ones((3, 2))),
    # rates (lesson 07's eigen view)
    "rates.gd_rate": Spec(rates.gd_rate, dict(lr=0.1, curvature=np.array([1.0, 10.0]))),
    "rates.momentum_matrix": Spec(rates.momentum_matrix, dict(lr=0.1, beta=0.5, curvature=np.array([1.0, 10.0]))),
    "rates.momentum_rate": Spec(rates.momentum_rate, dict(lr=0.1, beta=0.5, curvature=np.array([1.0, 10.0]))),
    "rates.momentum_errors": Spec(rates.momentum_errors, dict(lr=0.1, beta=0.5, curvature=np.array([1.0, 10.0]),
                                                              steps=20)),
    "rates.best_gd": Spec(rates.best_gd, dict(lam_min=1.0, lam_max=10.0)),
    "rates.best_momentum": Spec(rates.best_momentum, dict(lam_min=1.0, lam_max=10.0)),
    # checks: the answers (and the student's functions) may be anything
    "checks.show": Spec(checks.show, dict(status=True, message="fine")),
    "checks.unanswered": Spec(checks.unanswered, dict(answer=None), answers=("answer",)),
    "checks.check_close": Spec(checks.check_close, dict(name="x", answer=1.0, expected=1.0), answers=("answer",)),
    "checks.check_function": Spec(checks.check_function, dict(name="f", fn=np.sin, reference=np.sin,
                                                              cases=[(0.5,)]), answers=("fn",)),
    "checks.batch_size.steps_per_epoch": Spec(checks_batch_size.steps_per_epoch,
                                              dict(answer=4, n=10, batch_size=3), answers=("answer",)),
    "checks.batch_size.last_batch": Spec(checks_batch_size.last_batch, dict(answer=1, n=10, batch_size=3),
                                         answers=("answer",)),
    "checks.batch_size.noise_factor": Spec(checks_batch_size.noise_factor, dict(answer=4), answers=("answer",)),
    "checks.batch_size.epoch": Spec(checks_batch_size.epoch, dict(answer=(4, 1), n=10, batch_size=3),
                                    answers=("answer",)),
    "checks.collected": Spec(checks.collected, {}),
    "optimizers.stable_lr": Spec(optimizers.stable_lr, dict(beta=0.9, curvature=2.0)),
    "checks.batch_size.best_batch": Spec(checks_batch_size.best_batch, dict(answer=4, results={
        4: {"settled": 0.6, "trapped": 0.1, "wandering": 0.3},
        64: {"settled": 0.1, "trapped": 0.9, "wandering": 0.0}}), answers=("answer",)),
    "checks.cost_functions.squared_loss": Spec(cost_functions.squared_loss, dict(fn=losses.squared_loss),
                                               answers=("fn",)),
    "checks.cost_functions.house_cost": Spec(cost_functions.house_cost, {}),
    "checks.cost_functions.cost_by_hand": Spec(cost_functions.cost_by_hand, dict(answer=1.0), answers=("answer",)),
    "checks.cost_functions.minimum_moves": Spec(cost_functions.minimum_moves, dict(answer="a"),
                                                answers=("answer",)),
    "checks.gradient_descent.gradient": Spec(gradient_descent.gradient, dict(w=1.0, b=0.5, x=HOUSES.x, y=HOUSES.y)),
    "checks.gradient_descent.one_step": Spec(gradient_descent.one_step, {}),
    "checks.gradient_descent.one_step_answer": Spec(gradient_descent.one_step_answer, dict(answer=[0.1, 0.2]),
                                                    answers=("answer",)),
    "checks.gradient_descent.cost_gradient": Spec(gradient_descent.cost_gradient, dict(fn=gradient_descent.gradient),
                                                  answers=("fn",)),
    "checks.learning_rate.one_step_lr": Spec(learning_rate.one_step_lr, dict(answer=0.5, curvature=2.0),
                                             answers=("answer",)),
    "checks.learning_rate.largest_lr": Spec(learning_rate.largest_lr, dict(answer=1.0, curvature=2.0),
                                            answers=("answer",)),
    "checks.learning_rate.steps_needed": Spec(learning_rate.steps_needed, dict(answer=5, lr=0.1, curvature=2.0,
                                                                                tol=1e-3), answers=("answer",)),
    "checks.network.parameter_count": Spec(network.parameter_count, dict(answer=100), answers=("answer",)),
    "checks.network.output_delta": Spec(network.output_delta, dict(fn=lambda P, y: P), answers=("fn",)),
    "checks.inside_network.scaled_lr": Spec(inside_network.scaled_lr, dict(answer=0.4), answers=("answer",)),
    "checks.inside_network.clipped_step": Spec(inside_network.clipped_step, dict(answer=1.0), answers=("answer",)),
    "checks.inside_network.filter_scale": Spec(inside_network.filter_scale, dict(answer=0.25), answers=("answer",)),
    "checks.network.sgd_decay_factor": Spec(network.sgd_decay_factor, dict(answer=0.999, lr=0.1, l2=0.01),
                                            answers=("answer",)),
    "checks.network.stopping_epochs": Spec(network.stopping_epochs, dict(val_cost=[2.0, 1.0, 1.5], patience=1)),
    "checks.network.early_stopping": Spec(network.early_stopping, dict(answer=(2, 1), val_cost=[2.0, 1.0, 1.5],
                                                                       patience=1), answers=("answer",)),
    "checks.optimizers.rmsprop_update": Spec(checks_optimizers.rmsprop_update, dict(fn=lambda *a: a[:2]),
                                             answers=("fn",)),
    "checks.optimizers_in_depth.best_rates": Spec(checks_in_depth.best_rates,
                                                  dict(answer=(0.98, 0.82), condition=100.0),
                                                  answers=("answer",)),
    "checks.optimizers_in_depth.adaptive_steps": Spec(checks_in_depth.adaptive_steps,
                                                      dict(answer=(0.05, 5.0), t=400, beta=0.96),
                                                      answers=("answer",)),
    "checks.optimizers_in_depth.step_length": Spec(checks_in_depth.step_length,
                                                   lambda: dict(optimizer=optimizers.Adagrad(1.0), t=5, g=1.0)),
    "checks.optimizers.torch_momentum_lr": Spec(checks_optimizers.torch_momentum_lr, dict(answer=0.01),
                                                answers=("answer",)),
    "checks.optimizers.adam_correction": Spec(checks_optimizers.adam_correction, dict(answer=0.002),
                                              answers=("answer",)),
    "checks.optimizers.average_window": Spec(checks_optimizers.average_window, dict(answer=50, beta=0.98),
                                             answers=("answer",)),
    "checks.optimizers.first_average": Spec(checks_optimizers.first_average, dict(answer=(0.5, 5.0), beta=0.9,
                                                                                  x1=5.0), answers=("answer",)),
    "checks.optimizers.adam_first_step": Spec(checks_optimizers.adam_first_step, dict(
        answer=(0.01, 0.01), lr=0.01, gradients=(250.0, 0.004)), answers=("answer",)),
    "checks.learning_rate.schedule_rates": Spec(learning_rate.schedule_rates, dict(
        answer=(0.0125, 0.025, 0.0), lr0=0.1, half_life=100, t=301), answers=("answer",)),
    "checks.optimizers.compare_with_torch": Spec(checks_optimizers.compare_with_torch,
                                                 dict(steps=3, lr=1e-3, beta=0.9),
                                                 seconds=120),   # torch.optim's first use is slow
}

# ------------------------------------------------------------------ running one case

class TookTooLong(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds):
    def stop(*_):
        raise TookTooLong(f"still running after {seconds} s")
    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="module", autouse=True)
def memory_cap():
    """Cap the process' data 3 GiB above its current size: an allocation past the limit the
    package promises (2 GiB) fails here as a MemoryError instead of swapping the machine."""
    with contextlib.suppress(ImportError):   # torch maps much memory on import: import it first
        import torch  # noqa: F401
    with open("/proc/self/status") as f:
        data = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmData"))
    old = resource.getrlimit(resource.RLIMIT_DATA)
    resource.setrlimit(resource.RLIMIT_DATA, (data + 3 * 1024**3, old[1]))
    yield
    resource.setrlimit(resource.RLIMIT_DATA, old)


def _nan_in(result, depth=0):
    """Where a NaN hides in a result (a path), or None."""
    if depth > 4:
        return None
    if isinstance(result, float):
        return "" if result != result else None
    if isinstance(result, np.ndarray):
        return "" if result.dtype.kind in "fc" and np.isnan(result).any() else None
    if isinstance(result, (list, tuple)):
        items = enumerate(result)
    elif isinstance(result, dict):
        items = result.items()
    elif dataclasses.is_dataclass(result) and not isinstance(result, type):
        items = ((f.name, getattr(result, f.name)) for f in dataclasses.fields(result))
    else:
        return None
    for key, value in items:
        where = _nan_in(value, depth + 1)
        if where is not None:
            return f"[{key!r}]{where}"
    return None


def outcome(spec_name, arg, value):
    """None when the call behaved, else what went wrong."""
    spec = SPECS[spec_name]
    args = spec.valid()
    args[arg] = value
    word = spec.named.get(arg, arg)
    try:
        with time_limit(spec.seconds), warnings.catch_warnings():
            warnings.simplefilter("error")
            result = spec.call(**args)
    except (ValueError, TypeError) as exc:
        if arg in spec.answers:
            return f"raised {type(exc).__name__}: {exc}"
        if not re.search(rf"(?<![\w.]){re.escape(word)}(?!\w)", str(exc)):
            return f"{type(exc).__name__} does not name {word!r}: {exc}"
        return None
    except Exception as exc:  # noqa: BLE001 - any other exception is the failure we look for
        return f"raised {type(exc).__name__}: {str(exc)[:300]}"
    where = _nan_in(result)
    if where is not None:
        return f"returned a NaN at {where or 'the top'}"
    return None


def _cases():
    return [(name, arg) for name, spec in SPECS.items() for arg in spec.perturbed()]


# ------------------------------------------------------------------ the tests

def _public(module):
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, obj in vars(module).items() if not n.startswith("_")
                 and inspect.isfunction(obj) and obj.__module__ == module.__name__]
    prefix = module.__name__.removeprefix("course.")
    keys = []
    for n in names:
        obj = getattr(module, n)
        if inspect.isfunction(obj):
            keys.append(f"{prefix}.{n}")
        elif inspect.isclass(obj):
            if "__init__" in vars(obj) and not dataclasses.is_dataclass(obj):
                keys.append(f"{prefix}.{n}")
            keys += [f"{prefix}.{n}.{m}" for m, member in vars(obj).items()
                     if not m.startswith("_") and (inspect.isfunction(member)
                                                   or isinstance(member, (staticmethod, property)))
                     and not (isinstance(member, property) and dataclasses.is_dataclass(obj))]
    return keys


def test_every_public_function_has_a_case():
    missing = [k for m in MODULES for k in _public(m)
               if k not in SPECS and k not in NOT_ENTRY_POINTS]
    assert not missing, f"add these to SPECS: {missing}"


# compare_with_torch needs PyTorch, an optional install (.ci/run adds it to make test's
# environment, not to make test-latest's): without it those cases skip and say why.
NO_TORCH = pytest.mark.skipif(importlib.util.find_spec("torch") is None,
                              reason="PyTorch is not installed: compare_with_torch needs it")


def _param(*values, id):
    return pytest.param(*values, id=id, marks=[NO_TORCH] if "compare_with_torch" in id else [])


@pytest.mark.parametrize("name", [_param(n, id=n) for n in SPECS])
def test_valid_arguments_give_a_result(name):
    spec = SPECS[name]
    with time_limit(spec.seconds), warnings.catch_warnings():
        warnings.simplefilter("error")
        result = spec.call(**spec.valid())
    assert _nan_in(result) is None


@pytest.mark.parametrize("name, arg", [_param(n, a, id=f"{n}-{a}") for n, a in _cases()])
def test_bad_values_fail_clearly(name, arg):
    """The fixed list of bad values, and the bad versions of the valid one."""
    valid = SPECS[name].valid()[arg]
    problems = [f"{arg}={value!r:.60}: {why}" for value in BAD + near(valid)
                if (why := outcome(name, arg, value)) is not None]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name, arg", [_param(n, a, id=f"{n}-{a}") for n, a in _cases()])
@settings(max_examples=25, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_drawn_values_fail_clearly(name, arg, data):
    value = data.draw(drawn(SPECS[name].valid()[arg]), label=arg)
    why = outcome(name, arg, value)
    assert why is None, why


# The cases issue 21's audit found, each of which must now raise a ValueError or TypeError
# naming the argument.
AUDIT = [
    ("house_prices(m=10**8)", lambda: data.house_prices(m=10**8), "m"),
    ("batch_sizes(10**9, 1)", lambda: data.batch_sizes(10**9, 1), "n"),
    ("train(epochs=10**9)", lambda: training.train(_net(), optimizers.SGD(0.1), _digits_like(),
                                                   epochs=10**9), "epochs"),
    ("gradient_check(eps=0)", lambda: nn.gradient_check(_net(), X4, Y4, eps=0), "eps"),
    ("gradient_check(per_array=0)", lambda: nn.gradient_check(_net(), X4, Y4, per_array=0),
     "per_array"),
    ("cost(None)", lambda: losses.cost(None), "losses"),
    ("gradients(l2=-1)", lambda: _net().gradients(X4, Y4, l2=-1), "l2"),
    ("accuracy(6 rows, 1 label)", lambda: _net().accuracy(X4, [1]), "y"),
    ("schedule(t=inf)", lambda: schedules.cosine(0.1, 10)(float("inf")), "t"),
    ("Network(sizes=None)", lambda: nn.Network(None), "sizes"),
    ("Network(seed=-1)", lambda: nn.Network([4, 3], seed=-1), "seed"),
    ("warmup(schedule=-1)", lambda: schedules.warmup(-1, 5), "schedule"),
    ("softmax('abc')", lambda: nn.softmax("abc"), "Z"),
    ("descend(landscape='rosenbrock')", lambda: descent.descend(
        "rosenbrock", optimizers.SGD(0.1), [0.0, 0.0], 5), "landscape"),
    ("descend(optimizer=SGD class)", lambda: descent.descend(
        ROSENBROCK, optimizers.SGD, [0.0, 0.0], 5), "optimizer"),
    ("descend(optimizer=None)", lambda: descent.descend(ROSENBROCK, None, [0.0, 0.0], 5), "optimizer"),
    ("descend(steps=10**9)", lambda: descent.descend(ROSENBROCK, optimizers.SGD(0.1), [0.0, 0.0], 10**9),
     "steps"),
    ("descend(10**7 starts)", lambda: descent.descend(BOWL, optimizers.SGD(0.01), np.ones((10**7, 2)), 20),
     "start"),
    ("lr(t) = -1", lambda: descent.descend(BOWL, optimizers.SGD(lambda t: -1.0), BOWL.start, 5), "lr"),
    ("lr(t) = NaN", lambda: descent.descend(BOWL, optimizers.SGD(lambda t: NAN), BOWL.start, 5), "lr"),
    ("linear_regression([0, 1e-300], [0, 1])", lambda: landscapes.linear_regression([0, 1e-300], [0, 1]),
     "x"),
    ("parabola(curvature=1e307)", lambda: landscapes.get("parabola", curvature=1e307).grad(
        np.array([2.0])), "curvature"),
    ("SGD(lr=1e307)", lambda: optimizers.SGD(1e307), "lr"),
    ("value('abc')", lambda: ROSENBROCK.value("abc"), "P"),
]


@pytest.mark.parametrize("call, word", [pytest.param(call, word, id=case) for case, call, word in AUDIT])
def test_audit_cases_fail_clearly(call, word):
    with time_limit(SECONDS), pytest.raises((ValueError, TypeError),
                                            match=rf"(?<![\w.]){re.escape(word)}(?!\w)"):
        call()
