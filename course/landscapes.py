"""Cost landscapes: functions of one or two parameters with known minima.

A :class:`Landscape` takes points ``P`` of shape ``(..., dim)`` and returns values of
shape ``(...)`` and gradients of shape ``(..., dim)``, so one call evaluates a whole
grid or a thousand optimizer runs at once.

>>> land = get("rosenbrock")
>>> land.value([[1.0, 1.0], [0.0, 0.0]])
array([0., 1.])
"""
import inspect
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import validate

__all__ = ["Minimum", "Landscape", "get", "names", "linear_regression"]


@dataclass(eq=False)
class Minimum:
    """A stationary point with positive definite Hessian: ``point`` (dim,), ``value``, ``kind``."""

    point: np.ndarray
    value: float
    kind: str  # "global" or "local"


@dataclass(eq=False)
class Landscape:
    """A cost function ``f`` with its gradient ``df``, view box and known minima.

    ``f`` and ``df`` take one array per coordinate (``w`` in 1-D, ``x, y`` in 2-D);
    ``df`` returns a tuple of partial derivatives. Call :meth:`value` and :meth:`grad`,
    which take points of shape ``(..., dim)``.
    """

    name: str
    formula: str
    dim: int
    bounds: tuple
    start: np.ndarray
    minima: list = field(repr=False)
    min_value: float | None
    f: Callable = field(repr=False)
    df: Callable = field(repr=False)
    params: dict = field(default_factory=dict)

    def _coords(self, P):
        """The coordinates (x, y, ...) of points ``P`` of shape (..., dim), one array each."""
        P = validate.array("P", P, shape=(..., self.dim), limit=None)
        return [P[..., i] for i in range(self.dim)]

    # Far from its minimum a cost can pass the largest float: it is inf there, without a warning.
    def value(self, P):
        """Cost at points ``P`` of shape ``(..., dim)``; returns shape ``(...)``."""
        with np.errstate(over="ignore"):
            return self.f(*self._coords(P))

    def grad(self, P):
        """Gradient at points ``P`` of shape ``(..., dim)``; returns shape ``(..., dim)``."""
        coords = self._coords(P)
        G = np.empty(np.shape(coords[0]) + (self.dim,))
        with np.errstate(over="ignore"):
            for i, partial in enumerate(self.df(*coords)):
                G[..., i] = partial               # df/dx, df/dy, ...
        return G


@dataclass(eq=False)
class LinearRegressionLandscape(Landscape):
    """Mean squared error of the line ``w x + b``; ``least_squares`` is its minimum (w, b)."""

    least_squares: np.ndarray = None


def _polish(df, p, steps=30):
    """Refine a stationary point: Newton's method on the gradient, Hessian by differences."""
    p = np.array(p, dtype=float)
    for _ in range(steps):
        g = np.array(df(*p))
        h = 1e-6 * np.maximum(1.0, np.abs(p))
        H = np.empty((p.size, p.size))
        for j in range(p.size):  # loop over coordinates, not points
            e = np.zeros(p.size)
            e[j] = h[j]
            H[:, j] = (np.array(df(*(p + e))) - np.array(df(*(p - e)))) / (2 * h[j])
        p = p - np.linalg.solve(H, g)
    return p


def _minima(f, df, approx):
    """Polished minima from approximate locations; the lowest one is marked global."""
    points = [_polish(df, a) for a in approx]
    values = [float(f(*p)) for p in points]
    low = min(values)
    return [Minimum(p, v, "global" if v - low <= 1e-12 * (1 + abs(low)) else "local")
            for p, v in zip(points, values)]


def _make(name, formula, f, df, bounds, start, minima, params=None):
    global_values = [m.value for m in minima if m.kind == "global"]
    return Landscape(
        name=name, formula=formula, dim=len(bounds), bounds=tuple(bounds),
        start=np.array(start, dtype=float), minima=minima,
        min_value=min(global_values) if global_values else None,
        f=f, df=df, params=dict(params or {}),
    )


# ---------------------------------------------------------------- 1-D landscapes

def parabola(curvature=1.0):
    """f(w) = c/2 w^2, minimum 0 at w = 0; f''(w) = c is the curvature."""
    c = validate.number("curvature", curvature, 0, 1e6, low_open=True)
    return _make(
        "parabola", rf"f(w) = \frac{{{c:g}}}{{2}}\, w^2",
        lambda w: 0.5 * c * w**2, lambda w: (c * w,),
        [(-2.0, 2.0)], [1.5], [Minimum(np.zeros(1), 0.0, "global")],
        {"curvature": c},
    )


def two_minima(tilt=0.3):
    """f(w) = (w^2 - 1)^2 + t w: a global minimum near w = -1, a local one near w = 1.

    Both minima exist for 0 < t < 8 / (3 sqrt 3) ~ 1.54; they are roots of
    f'(w) = 4 w^3 - 4 w + t, found with ``numpy.roots`` and polished by Newton.
    """
    t = validate.number("tilt", tilt, 0.0, 1.5, low_open=True)  # 1.5 < 8 / (3 sqrt 3)

    def f(w):
        return (w**2 - 1.0) ** 2 + t * w

    def df(w):
        return (4.0 * w**3 - 4.0 * w + t,)

    roots = np.sort(np.roots([4.0, 0.0, -4.0, t]).real)
    for _ in range(3):  # Newton polish with the exact f''(w) = 12 w^2 - 4
        roots = roots - df(roots)[0] / (12.0 * roots**2 - 4.0)
    left, right = roots[0], roots[2]  # roots[1] is the maximum between them
    minima = [Minimum(np.array([left]), float(f(left)), "global"),
              Minimum(np.array([right]), float(f(right)), "local")]
    return _make("two-minima", rf"f(w) = (w^2 - 1)^2 + {t:g}\, w", f, df,
                 [(-1.7, 1.7)], [1.6], minima, {"tilt": t})


# ---------------------------------------------------------------- 2-D landscapes

def ill_conditioned(condition=10.0, angle=0.0):
    """f(x, y) = (x^2 + k y^2) / 2: an elongated bowl, Hessian condition number k.

    With ``angle`` = theta (degrees) the bowl is turned by theta about the origin: its long
    axis points along (cos theta, sin theta), and with
    u = x cos theta + y sin theta, v = -x sin theta + y cos theta (the coordinates along its axes)
    f = (u^2 + k v^2) / 2, df/dx = u cos theta - k v sin theta, df/dy = u sin theta + k v cos theta.
    The default start is turned with it; the view box is then a square.
    """
    k = validate.number("condition", condition, 1.0, 1e6)
    angle = validate.number("angle", angle, -180.0, 180.0)
    if angle == 0.0:
        return _make(
            "ill-conditioned", rf"f(x, y) = \frac{{1}}{{2}}\left(x^2 + {k:g}\, y^2\right)",
            lambda x, y: 0.5 * (x**2 + k * y**2), lambda x, y: (x, k * y),
            [(-3.0, 3.0), (-2.0, 2.0)], [-2.5, 1.5],
            [Minimum(np.zeros(2), 0.0, "global")], {"condition": k, "angle": 0.0},
        )
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))

    def f(x, y):
        u, v = x * c + y * s, -x * s + y * c
        return 0.5 * (u**2 + k * v**2)

    def df(x, y):
        u, v = x * c + y * s, -x * s + y * c
        return u * c - k * v * s, u * s + k * v * c

    start = [-2.5 * c - 1.5 * s, -2.5 * s + 1.5 * c]      # (u, v) = (-2.5, 1.5) as before
    return _make(
        "ill-conditioned",
        rf"f(x, y) = \frac{{1}}{{2}}\left(u^2 + {k:g}\, v^2\right),\ "
        rf"u = x\cos\theta + y\sin\theta,\ v = -x\sin\theta + y\cos\theta,\ \theta = {angle:g}^\circ",
        f, df, [(-3.0, 3.0), (-3.0, 3.0)], start,
        [Minimum(np.zeros(2), 0.0, "global")], {"condition": k, "angle": angle},
    )


def saddle():
    """f(x, y) = x^2 - y^2: a saddle point at the origin and no minimum."""
    return _make("saddle", r"f(x, y) = x^2 - y^2",
                 lambda x, y: x**2 - y**2, lambda x, y: (2.0 * x, -2.0 * y),
                 [(-2.0, 2.0), (-2.0, 2.0)], [-1.8, 0.05], [])


def rosenbrock(a=1.0, b=100.0):
    """f(x, y) = (a - x)^2 + b (y - x^2)^2: a curved valley, minimum 0 at (a, a^2)."""
    a = validate.number("a", a, -2.0, 2.0)
    b = validate.positive("b", b)

    def f(x, y):
        return (a - x) ** 2 + b * (y - x**2) ** 2

    def df(x, y):
        r = y - x**2                                  # how far y is above the valley floor
        return -2.0 * (a - x) - 4.0 * b * x * r, 2.0 * b * r

    bounds = [(min(-2.0, a - 1.0), max(2.0, a + 1.0)), (-1.0, max(3.0, a * a + 1.0))]
    return _make("rosenbrock", rf"f(x, y) = ({a:g} - x)^2 + {b:g}\,(y - x^2)^2", f, df,
                 bounds, [-1.5, 2.0], [Minimum(np.array([a, a * a]), 0.0, "global")],
                 {"a": a, "b": b})


def beale():
    """f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2, minimum 0 at (3, 0.5)."""

    def f(x, y):
        return ((1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2
                + (2.625 - x + x * y**3) ** 2)

    def df(x, y):
        t1, t2, t3 = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
        return (2.0 * (t1 * (y - 1.0) + t2 * (y**2 - 1.0) + t3 * (y**3 - 1.0)),
                2.0 * x * (t1 + 2.0 * t2 * y + 3.0 * t3 * y**2))

    return _make(
        "beale",
        r"f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
        f, df, [(-4.5, 4.5), (-4.5, 4.5)], [1.0, 1.5],
        [Minimum(np.array([3.0, 0.5]), 0.0, "global")],
    )


def goldstein_price():
    """Goldstein-Price: f = [1 + (x+y+1)^2 B] [30 + (2x-3y)^2 D], global minimum 3 at (0, -1).

    B = 19 - 14x + 3x^2 - 14y + 6xy + 3y^2 and D = 18 - 32x + 12x^2 + 48y - 36xy + 27y^2.
    Its minima are exact rational points (checked with fractions): the global one
    and three local ones, 30 at (-0.6, -0.4), 84 at (1.8, 0.2) and 840 at (1.2, 0.8).
    From the start (-1, 0.5), SGD (lr 1e-5) stops at 30 and Momentum (lr 1e-4) reaches 3.
    """

    def parts(x, y):
        A, C = x + y + 1.0, 2.0 * x - 3.0 * y
        B = 19.0 - 14.0 * x + 3.0 * x**2 - 14.0 * y + 6.0 * x * y + 3.0 * y**2
        D = 18.0 - 32.0 * x + 12.0 * x**2 + 48.0 * y - 36.0 * x * y + 27.0 * y**2
        return A, B, C, D, 1.0 + A**2 * B, 30.0 + C**2 * D

    def f(x, y):
        return np.multiply(*parts(x, y)[4:])

    def df(x, y):
        A, B, C, D, U, V = parts(x, y)
        dU = 2.0 * A * B + A**2 * (-14.0 + 6.0 * x + 6.0 * y)  # dU/dx = dU/dy
        dVx = 4.0 * C * D + C**2 * (-32.0 + 24.0 * x - 36.0 * y)
        dVy = -6.0 * C * D + C**2 * (48.0 - 36.0 * x + 54.0 * y)
        return dU * V + U * dVx, dU * V + U * dVy

    minima = [Minimum(np.array(p), v, "global" if v == 3.0 else "local")
              for p, v in [((0.0, -1.0), 3.0), ((-0.6, -0.4), 30.0),
                           ((1.8, 0.2), 84.0), ((1.2, 0.8), 840.0)]]
    return _make(
        "goldstein-price",
        r"f(x, y) = \left[1 + (x + y + 1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)\right]"
        r"\left[30 + (2x - 3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)\right]",
        f, df, [(-2.0, 2.0), (-2.0, 2.0)], [-1.0, 0.5], minima,
    )


def himmelblau():
    """f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2: four global minima of value 0."""

    def f(x, y):
        return (x**2 + y - 11.0) ** 2 + (x + y**2 - 7.0) ** 2

    def df(x, y):
        u, v = x**2 + y - 11.0, x + y**2 - 7.0
        return 4.0 * x * u + 2.0 * v, 2.0 * u + 4.0 * y * v

    approx = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
    # each is exactly 0; f at the polished points gives ~1e-30
    minima = [Minimum(m.point, 0.0, "global") for m in _minima(f, df, approx)]
    return _make("himmelblau", r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2", f, df,
                 [(-5.0, 5.0), (-5.0, 5.0)], [0.0, 0.0], minima)


def rastrigin():
    """f = 20 + sum_i (x_i^2 - 10 cos(2 pi x_i)): minimum 0 at the origin, a local
    minimum near every integer point (121 inside the view box)."""
    A = 10.0

    def f(x, y):
        return 2 * A + x**2 - A * np.cos(2 * np.pi * x) + y**2 - A * np.cos(2 * np.pi * y)

    def df(x, y):
        return (2.0 * x + 2 * np.pi * A * np.sin(2 * np.pi * x),
                2.0 * y + 2 * np.pi * A * np.sin(2 * np.pi * y))

    # f is a sum of the same 1-D function per coordinate: minimize it near each integer
    z = np.arange(-5.0, 6.0)
    for _ in range(5):  # Newton with the exact second derivative
        z = z - (2 * z + 2 * np.pi * A * np.sin(2 * np.pi * z)) / (
            2 + 4 * np.pi**2 * A * np.cos(2 * np.pi * z))
    X, Y = np.meshgrid(z, z, indexing="ij")
    points = np.stack([X.ravel(), Y.ravel()], axis=-1)
    values = f(points[:, 0], points[:, 1])
    order = np.argsort(values, kind="stable")  # the global minimum (origin) first
    minima = [Minimum(points[i], float(values[i]), "global" if i == order[0] else "local")
              for i in order]
    return _make("rastrigin",
                 r"f(x, y) = 20 + x^2 - 10\cos(2\pi x) + y^2 - 10\cos(2\pi y)", f, df,
                 [(-5.12, 5.12), (-5.12, 5.12)], [-4.5, 4.0], minima)


def six_hump_camel():
    """f = (4 - 2.1 x^2 + x^4/3) x^2 + xy + (4y^2 - 4) y^2: two global minima (-1.0316...)
    and four local ones. From the start (-1.2, 0), SGD and Momentum stop in a local
    minimum (-0.215...) and Adam reaches a global one."""

    def f(x, y):
        return (4.0 - 2.1 * x**2 + x**4 / 3.0) * x**2 + x * y + (4.0 * y**2 - 4.0) * y**2

    def df(x, y):
        return 8.0 * x - 8.4 * x**3 + 2.0 * x**5 + y, x - 8.0 * y + 16.0 * y**3

    approx = [(0.0898, -0.7126), (-0.0898, 0.7126), (1.7036, -0.7961), (-1.7036, 0.7961),
              (1.6071, 0.5687), (-1.6071, -0.5687)]
    minima = _minima(f, df, approx)
    return _make("six-hump-camel",
                 r"f(x, y) = \left(4 - 2.1x^2 + \frac{x^4}{3}\right)x^2 + xy + (4y^2 - 4)y^2",
                 f, df, [(-2.0, 2.0), (-1.0, 1.0)], [-1.2, 0.0], minima)


_CATALOGUE = {
    "parabola": parabola,
    "two-minima": two_minima,
    "ill-conditioned": ill_conditioned,
    "saddle": saddle,
    "rosenbrock": rosenbrock,
    "beale": beale,
    "goldstein-price": goldstein_price,
    "himmelblau": himmelblau,
    "rastrigin": rastrigin,
    "six-hump-camel": six_hump_camel,
}


def names():
    """Names accepted by :func:`get`, in catalogue order."""
    return list(_CATALOGUE)


def get(name, **params):
    """Build the landscape called ``name``, e.g. ``get("parabola", curvature=2)``."""
    if not isinstance(name, str) or name not in _CATALOGUE:
        raise ValueError(f"name must be one of {', '.join(_CATALOGUE)}; got {name!r}")
    build = _CATALOGUE[name]
    allowed = list(inspect.signature(build).parameters)
    for key in params:
        if key not in allowed:
            raise ValueError(f"{key} is not a parameter of the {name} landscape; "
                             f"its parameters are: {', '.join(allowed) or 'none'}")
    return build(**params)


# ---------------------------------------------------------------- linear regression

def linear_regression(x, y):
    """Landscape of J(w, b) = mean((w x + b - y)^2) over the line's slope w and intercept b.

    With centred statistics mx, my, vxx = mean((x-mx)^2), vxy, vyy and c = w mx + b - my,
    J = w^2 vxx - 2 w vxy + vyy + c^2, so a point costs O(1) whatever len(x).
    The minimum is w* = vxy / vxx, b* = my - w* mx (``least_squares``).
    """
    x, y = validate.array("x", x), validate.array("y", y)
    if x.ndim != 1 or len(x) < 2:
        raise ValueError(f"x must be a 1-D array of at least 2 values; got shape {x.shape}")
    if y.shape != x.shape:
        raise ValueError(f"y must have the same shape as x {x.shape}; got {y.shape}")
    mx, my = x.mean(), y.mean()
    dx, dy = x - mx, y - my
    vxx, vxy, vyy = np.mean(dx * dx), np.mean(dx * dy), np.mean(dy * dy)
    if not vxx > 1e-12 * np.mean(x * x):
        raise ValueError("x must not be constant (its variance is 0 or lost in rounding): "
                         "the slope would be undetermined")

    def f(w, b):
        c = w * mx + b - my
        return w * (w * vxx - 2.0 * vxy) + vyy + c * c

    def df(w, b):
        c = w * mx + b - my
        return 2.0 * (w * vxx - vxy) + 2.0 * c * mx, 2.0 * c

    w_star = vxy / vxx
    b_star = my - w_star * mx
    best = np.array([w_star, b_star])
    j_star = float(np.mean((w_star * x + b_star - y) ** 2))
    # view box: centred on the minimum, in the natural units of w (y per x) and b (y),
    # tall enough to hold the valley b = my - w mx across the range of w
    sx, sy = np.sqrt(vxx), np.sqrt(vyy) or max(abs(my), 1.0)
    hw = 2.0 * max(abs(w_star), sy / sx)
    hb = 2.0 * max(abs(b_star), sy, abs(mx) * hw / 2)
    # start across the valley b = my - w mx, not along it
    side = 1.0 if mx < 0 else -1.0
    return LinearRegressionLandscape(
        name="linear-regression",
        formula=r"J(w, b) = \frac{1}{m}\sum_{i=1}^{m} \left(w x_i + b - y_i\right)^2",
        dim=2,
        bounds=((float(w_star - hw), float(w_star + hw)),
                (float(b_star - hb), float(b_star + hb))),
        start=np.array([w_star - 0.75 * hw, b_star + side * 0.75 * hb]),
        minima=[Minimum(best, j_star, "global")], min_value=j_star, f=f, df=df,
        params={"m": len(x)}, least_squares=best,
    )
