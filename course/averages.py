"""Exponentially weighted averages: the memory inside Momentum, RMSprop and Adam.

From V_0 = 0, each new value x_t moves the average a fraction 1 - beta of the way towards it::

    V_t = beta * V_{t-1} + (1 - beta) * x_t          (t = 1, 2, ...)

Unrolled, V_t = sum over k = 0 .. t-1 of (1 - beta) * beta**k * x_{t-k}: the newest value weighs
1 - beta and each older one beta times less (:func:`weights`). Those weights add up to
1 - beta**t, not 1: the zero start pulls V_t towards 0 until beta**t has faded. Dividing by
1 - beta**t (Adam's bias correction) makes them add up to 1. Most of the weight lies on the last
1 / (1 - beta) values (:func:`window`). Momentum's V is this average of the gradients, RMSprop's S
this average of their squares.
"""
import numpy as np

from course import validate

__all__ = ["ewa", "weights", "window", "noisy_series"]


def ewa(series, beta, corrected=False):
    """V_t = beta V_{t-1} + (1 - beta) x_t from V_0 = 0, for each t = 1 .. T of ``series``.

    Returns the T values V_1 .. V_T; with ``corrected=True`` each divided by 1 - beta**t.
    """
    x = validate.array("series", series, shape=("T",))
    beta = validate.rate("beta", beta)
    corrected = validate.boolean("corrected", corrected)
    if len(x) > validate.MAX_STEPS:
        raise ValueError(f"series must hold at most {validate.MAX_STEPS} values, got {len(x)}")
    V, out = 0.0, np.empty(len(x))
    for t in range(1, len(x) + 1):
        V = beta * V + (1 - beta) * x[t - 1]
        out[t - 1] = V / (1 - beta**t) if corrected else V
    return out


def weights(beta, t):
    """The weight (1 - beta) beta**k of the value k steps back, x_{t-k}, in V_t, for k = 0 .. t-1.

    They add up to 1 - beta**t.
    """
    beta = validate.rate("beta", beta)
    t = validate.steps("t", t)
    k = np.arange(t)
    return (1 - beta) * beta**k


def window(beta):
    """About how many recent values the average remembers: 1 / (1 - beta).

    The last 1 / (1 - beta) values carry about 1 - 1/e (63 %) of the weight, and the weight
    of the value that far back has fallen to about 1/e of the newest one's.
    """
    beta = validate.rate("beta", beta)
    return 1 / (1 - beta)


def noisy_series(steps=200, noise=2.0, seed=0):
    """A slow wave and noisy measurements of it: ``(signal, series)``, each of shape (steps,).

    signal_t = 10 + 3 sin(2 pi t / 100), series_t = signal_t + noise * N(0, 1), t = 1 .. steps.
    Like one component of a gradient: a trend hidden in noise, far from 0 at the start.
    """
    steps = validate.steps("steps", steps, low=1)
    noise = validate.number("noise", noise, low=0.0, high=1e6)
    seed = validate.integer("seed", seed, 0)
    t = np.arange(1, steps + 1)
    signal = 10 + 3 * np.sin(2 * np.pi * t / 100)
    series = signal + noise * np.random.default_rng(seed).normal(size=steps)
    return signal, series
