"""Landscapes: gradients against finite differences, minima, shapes, validation."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.landscapes import Landscape, get, linear_regression, names

pytestmark = pytest.mark.filterwarnings("error")  # no overflow/NaN RuntimeWarnings

NON_DEFAULT = [
    ("parabola", {"curvature": 0.1}), ("parabola", {"curvature": 7.5}),
    ("two-minima", {"tilt": 0.05}), ("two-minima", {"tilt": 1.5}),
    ("ill-conditioned", {"condition": 1.0}), ("ill-conditioned", {"condition": 250.0}),
    ("ill-conditioned", {"condition": 50.0, "angle": 30.0}),
    ("ill-conditioned", {"condition": 20.0, "angle": -135.0}),
    ("rosenbrock", {"a": -0.5, "b": 10.0}), ("rosenbrock", {"a": 2.0, "b": 1.0}),
    ("rosenbrock", {"a": -2.0}),
]
CASES = [(n, {}) for n in names()] + NON_DEFAULT + [("linear-regression", {"seed": s})
                                                     for s in range(4)]


def regression_data(seed):
    """Noisy line data; x is off-centre for some seeds (an ill-conditioned landscape)."""
    rng = np.random.default_rng(seed)
    m = int(rng.integers(2, 300))
    x = rng.normal(rng.uniform(-100, 150), rng.uniform(0.1, 40), m)
    y = rng.normal(0, 5) * x + rng.normal(0, 50) + rng.normal(0, rng.uniform(0, 30), m)
    return x, y


def build(name, params):
    if name == "linear-regression":
        return linear_regression(*regression_data(params["seed"]))
    return get(name, **params)


LANDS = {f"{n}-{p}": build(n, p) for n, p in CASES}
IDS = list(LANDS)


def uniform_points(land, n, seed=0):
    rng = np.random.default_rng(seed)
    lo, hi = np.array(land.bounds).T
    return rng.uniform(lo, hi, size=(n, land.dim))


def finite_difference(land, P):
    """Central differences of land.value, step scaled to each coordinate."""
    h = 1e-6 * np.maximum(1.0, np.abs(P))
    cols = []
    for j in range(land.dim):
        e = np.zeros(land.dim)
        e[j] = 1.0
        cols.append((land.value(P + h[..., j:j + 1] * e) - land.value(P - h[..., j:j + 1] * e))
                    / (2 * h[..., j]))
    return np.stack(cols, axis=-1)


def assert_grad_matches(land, P):
    g, fd = land.grad(P), finite_difference(land, P)
    scale = 1.0 + np.abs(land.value(P))[..., None]
    assert np.all(np.abs(g - fd) <= 1e-5 * np.abs(g) + 1e-6 * scale), (land.name, P)


def hessian(land, p, h=1e-5):
    """Hessian by central differences of the (already checked) gradient."""
    H = np.empty((land.dim, land.dim))
    for j in range(land.dim):
        e = np.zeros(land.dim)
        e[j] = h * max(1.0, abs(p[j]))
        H[:, j] = (land.grad(p + e) - land.grad(p - e)) / (2 * e[j])
    return (H + H.T) / 2


# ------------------------------------------------------------- gradients

@pytest.mark.parametrize("key", IDS)
def test_grad_matches_finite_differences_on_many_points(key):
    land = LANDS[key]
    assert_grad_matches(land, uniform_points(land, 500))


@pytest.mark.parametrize("key", IDS)
@settings(max_examples=60, deadline=None)
@given(u=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=2))
def test_grad_matches_finite_differences_hypothesis(key, u):
    land = LANDS[key]
    lo, hi = np.array(land.bounds).T
    assert_grad_matches(land, lo + np.array(u[:land.dim]) * (hi - lo))


# ------------------------------------------------------------- minima

@pytest.mark.parametrize("key", IDS)
def test_minima_are_stationary_with_the_stated_values(key):
    land = LANDS[key]
    for m in land.minima:
        assert m.kind in ("global", "local")
        assert m.point.shape == (land.dim,)
        assert isinstance(m.value, float)
        g = land.grad(m.point)
        assert np.all(np.abs(g) <= 1e-8 * max(1.0, abs(m.value))), (m, g)
        assert land.value(m.point) == pytest.approx(m.value, rel=1e-12, abs=1e-12)
        lo, hi = np.array(land.bounds).T
        assert np.all((lo < m.point) & (m.point < hi)), "minimum outside the view box"


@pytest.mark.parametrize("key", IDS)
def test_global_minimum_is_min_value_and_lowest(key):
    land = LANDS[key]
    if not land.minima:
        assert land.min_value is None
        return
    glob = [m for m in land.minima if m.kind == "global"]
    assert glob
    for m in glob:
        assert m.value == pytest.approx(land.min_value, rel=1e-12, abs=1e-12)
    for m in land.minima:
        assert m.value >= land.min_value - 1e-12 * (1 + abs(land.min_value))
    values = land.value(uniform_points(land, 20000, seed=1))
    assert values.min() >= land.min_value - 1e-9 * (1 + abs(land.min_value))


@pytest.mark.parametrize("key", IDS)
def test_minima_are_true_minima(key):
    land = LANDS[key]
    for m in land.minima:
        eig = np.linalg.eigvalsh(hessian(land, m.point))
        assert eig.min() > 0, (m, eig)
        # the value rises on a small ring (or pair of points) around the minimum
        r = 1e-3 * max(1.0, np.abs(m.point).max())
        angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
        ring = (np.stack([np.cos(angles), np.sin(angles)], -1) if land.dim == 2
                else np.array([[-1.0], [1.0]]))
        assert np.all(land.value(m.point + r * ring) > m.value)


@pytest.mark.parametrize("key", IDS)
def test_start_is_inside_the_box_and_not_at_a_minimum(key):
    land = LANDS[key]
    lo, hi = np.array(land.bounds).T
    assert land.start.shape == (land.dim,)
    assert np.all((lo < land.start) & (land.start < hi))
    if land.min_value is not None:
        assert land.value(land.start) > land.min_value + 1e-3


@pytest.mark.parametrize("tilt", [0.05, 0.3, 1.2, 1.49])
def test_two_minima_has_exactly_one_local_and_one_global(tilt):
    land = get("two-minima", tilt=tilt)
    w = np.linspace(*land.bounds[0], 200001)[:, None]
    g = land.grad(w)[:, 0]
    crossings = np.flatnonzero(np.sign(g[:-1]) != np.sign(g[1:]))
    assert len(crossings) == 3  # minimum, maximum, minimum
    kinds = sorted(m.kind for m in land.minima)
    assert kinds == ["global", "local"]
    for m, i in zip(sorted(land.minima, key=lambda m: m.point[0]), crossings[[0, 2]]):
        assert abs(m.point[0] - w[i, 0]) < 2e-5


def test_known_minima_from_the_literature():
    gp = get("goldstein-price")
    assert gp.min_value == 3.0
    assert np.allclose([m.point for m in gp.minima if m.kind == "global"], [[0.0, -1.0]])
    assert sorted(m.value for m in gp.minima) == [3.0, 30.0, 84.0, 840.0]
    him = get("himmelblau")
    assert len(him.minima) == 4 and all(m.kind == "global" for m in him.minima)
    assert any(np.allclose(m.point, [3.0, 2.0]) for m in him.minima)
    camel = get("six-hump-camel")
    assert sorted(m.kind for m in camel.minima) == ["global"] * 2 + ["local"] * 4
    assert camel.min_value == pytest.approx(-1.0316, abs=1e-4)
    ras = get("rastrigin")
    assert len(ras.minima) == 121  # one near every integer point in [-5, 5]^2
    assert np.all(np.abs(np.array([m.point for m in ras.minima]) -
                         np.round([m.point for m in ras.minima])) < 0.03)
    for name, point in [("rosenbrock", [1, 1]), ("beale", [3, 0.5])]:
        land = get(name)
        assert np.allclose(land.minima[0].point, point) and land.min_value == 0.0
    assert np.allclose(get("rosenbrock", a=-0.5).minima[0].point, [-0.5, 0.25])


def test_saddle_has_no_minimum_and_a_stationary_saddle_point():
    land = get("saddle")
    assert land.minima == [] and land.min_value is None
    assert np.all(land.grad([0.0, 0.0]) == 0)
    assert np.linalg.eigvalsh(hessian(land, np.zeros(2))).tolist() == pytest.approx([-2, 2])


def test_parabola_curvature_is_the_second_derivative():
    for c in [0.1, 1.0, 7.5]:
        assert hessian(get("parabola", curvature=c), np.array([0.3]))[0, 0] == pytest.approx(c)


@pytest.mark.parametrize("angle", [10.0, 45.0, 90.0, -60.0])
def test_a_turned_bowl_is_the_bowl_seen_from_turned_axes(angle):
    """f(R p) on the turned bowl is f(p) on the aligned one, R the rotation by angle; its long
    axis (curvature 1) points along (cos angle, sin angle); the start is the start turned."""
    aligned, turned = get("ill-conditioned", condition=30.0), get("ill-conditioned", condition=30.0, angle=angle)
    t = np.radians(angle)
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    P = uniform_points(aligned, 50)
    np.testing.assert_allclose(turned.value(P @ R.T), aligned.value(P), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(turned.grad(P @ R.T), aligned.grad(P) @ R.T, rtol=1e-9, atol=1e-9)
    eig, vec = np.linalg.eigh(hessian(turned, np.ones(2)))
    np.testing.assert_allclose(eig, [1.0, 30.0], rtol=1e-5)
    assert abs(vec[:, 0] @ [np.cos(t), np.sin(t)]) == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_allclose(turned.start, R @ aligned.start, atol=1e-12)
    assert turned.params == {"condition": 30.0, "angle": angle}
    assert np.all(np.abs(turned.start) < 3.0)              # inside the square view box


def test_ill_conditioned_hessian_has_the_condition_number():
    for k in [1.0, 10.0, 250.0]:
        eig = np.linalg.eigvalsh(hessian(get("ill-conditioned", condition=k), np.ones(2)))
        assert eig[1] / eig[0] == pytest.approx(k)


# ------------------------------------------------------------- shapes

@pytest.mark.parametrize("key", IDS)
@pytest.mark.parametrize("lead", [(), (1,), (7,), (3, 4), (2, 3, 5)])
def test_shapes_and_vectorization(key, lead):
    land = LANDS[key]
    P = uniform_points(land, int(np.prod(lead)), seed=2).reshape(lead + (land.dim,))
    v, g = land.value(P), land.grad(P)
    assert v.shape == lead and g.shape == lead + (land.dim,)
    flat = P.reshape(-1, land.dim)
    one_by_one = np.array([land.value(p) for p in flat]).reshape(lead)
    assert np.allclose(v, one_by_one, rtol=1e-14, atol=0)
    assert np.allclose(g, np.array([land.grad(p) for p in flat]).reshape(g.shape),
                       rtol=1e-14, atol=0)


@pytest.mark.parametrize("key", IDS)
def test_strided_and_fortran_order_points_give_the_same_numbers(key):
    land = LANDS[key]
    P = uniform_points(land, 12, seed=3).reshape(3, 4, land.dim)
    for Q in (np.repeat(P, 2, axis=-1)[..., ::2], np.asfortranarray(P)):
        np.testing.assert_array_equal(land.value(Q), land.value(P))
        np.testing.assert_array_equal(land.grad(Q), land.grad(P))


@pytest.mark.parametrize("key", IDS)
def test_wrong_point_shape_raises(key):
    land = LANDS[key]
    for bad in [np.zeros(land.dim + 1), np.zeros((4, 3)), 1.0]:
        with pytest.raises(ValueError, match="P must have shape"):
            land.value(bad)
        with pytest.raises(ValueError, match="P must have shape"):
            land.grad(bad)


@pytest.mark.parametrize("key", IDS)
@pytest.mark.parametrize("far", [False, True])
def test_no_warnings_and_finite_on_the_box_corners(key, far):
    """Finite on the view box and on the box |p| <= 1e6 where descent stops a divergence."""
    land = LANDS[key]
    bounds = [(-1e6, 1e6)] * land.dim if far else land.bounds
    corners = np.array(np.meshgrid(*[np.array(b) for b in bounds],
                                   indexing="ij")).reshape(land.dim, -1).T
    assert np.all(np.isfinite(land.value(corners)))
    assert np.all(np.isfinite(land.grad(corners)))


# ------------------------------------------------------------- catalogue and validation

def test_catalogue_names_and_attributes():
    assert names() == ["parabola", "two-minima", "ill-conditioned", "saddle", "rosenbrock",
                       "beale", "goldstein-price", "himmelblau", "rastrigin", "six-hump-camel"]
    for name in names():
        land = get(name)
        assert isinstance(land, Landscape) and land.name == name
        assert land.dim == (1 if name in ("parabola", "two-minima") else 2)
        assert len(land.bounds) == land.dim and all(lo < hi for lo, hi in land.bounds)
        assert land.formula and "$" not in land.formula


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="rosenbrock") as info:
        get("rosenbrok")
    assert "name" in str(info.value) and all(n in str(info.value) for n in names())


@pytest.mark.parametrize("name, params, word", [
    ("parabola", {"curvature": 0.0}, "curvature"),
    ("parabola", {"curvature": -1.0}, "curvature"),
    ("parabola", {"curvature": float("nan")}, "curvature"),
    ("parabola", {"curvature": float("inf")}, "curvature"),
    ("two-minima", {"tilt": 0.0}, "tilt"),
    ("two-minima", {"tilt": 1.6}, "tilt"),
    ("ill-conditioned", {"condition": 0.5}, "condition"),
    ("rosenbrock", {"b": 0.0}, "b must"),
    ("rosenbrock", {"a": 3.0}, "a must"),
    ("parabola", {"curvature": "steep"}, "curvature must be a finite number in \\(0, 1e\\+06\\]"),
    ("ill-conditioned", {"condition": None}, "condition must be a finite number in \\[1, 1e\\+06\\]"),
    ("parabola", {"condition": 2.0}, "condition"),
    ("saddle", {"curvature": 2.0}, "curvature"),
])
def test_bad_parameters_raise_naming_the_parameter(name, params, word):
    with pytest.raises(ValueError, match=word):
        get(name, **params)


def test_each_call_builds_an_independent_landscape():
    a, b = get("himmelblau"), get("himmelblau")
    a.minima[0].point[0] = 99.0
    assert b.minima[0].point[0] == 3.0


# ------------------------------------------------------------- linear regression

@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_least_squares_matches_lstsq_and_naive_cost(seed):
    x, y = regression_data(seed)
    land = linear_regression(x, y)
    X = np.stack([x, np.ones_like(x)], axis=1)
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    assert land.least_squares.shape == (2,)
    assert np.allclose(land.least_squares, expected, rtol=1e-8, atol=1e-8 * np.abs(y).max())
    [m] = land.minima
    assert m.kind == "global" and np.array_equal(m.point, land.least_squares)
    naive_min = np.mean((X @ expected - y) ** 2)
    assert land.min_value == pytest.approx(naive_min, rel=1e-8, abs=1e-10 * np.var(y))
    # the value on a grid equals the per-data-point computation
    W, B = np.meshgrid(np.linspace(*land.bounds[0], 9), np.linspace(*land.bounds[1], 7))
    P = np.stack([W, B], axis=-1)
    naive = np.mean((P[..., :1] * x + P[..., 1:] - y) ** 2, axis=-1)
    assert np.allclose(land.value(P), naive, rtol=1e-9, atol=1e-9 * naive.max())
    naive_grad = np.stack([np.mean(2 * (P[..., :1] * x + P[..., 1:] - y) * x, axis=-1),
                           np.mean(2 * (P[..., :1] * x + P[..., 1:] - y), axis=-1)], -1)
    assert np.allclose(land.grad(P), naive_grad, rtol=1e-8,
                       atol=1e-9 * np.abs(naive_grad).max())


def test_linear_regression_exact_line_and_box():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    land = linear_regression(x, 2 * x - 1)
    assert np.allclose(land.least_squares, [2.0, -1.0]) and land.min_value < 1e-24
    (w0, w1), (b0, b1) = land.bounds
    assert (w0 + w1) / 2 == pytest.approx(2.0) and (b0 + b1) / 2 == pytest.approx(-1.0)
    assert w1 - w0 > 4 and b1 - b0 > 2  # wide enough to show the bowl around the minimum


def test_linear_regression_constant_targets_still_get_a_view_box():
    land = linear_regression([0.0, 1.0, 2.0], [5.0, 5.0, 5.0])
    assert np.allclose(land.least_squares, [0.0, 5.0]) and land.min_value == 0.0
    (w0, w1), (b0, b1) = land.bounds
    assert w1 - w0 >= 1 and b1 - b0 >= 1 and b0 < 5.0 < b1


@pytest.mark.parametrize("x, y, word", [
    ([1.0, 2.0, 3.0], [1.0, 2.0], "y"),
    ([1.0], [1.0], "x"),
    ([2.0, 2.0, 2.0], [1.0, 2.0, 3.0], "x must not be constant"),
    ([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]], "x must be a 1-D"),
    ([1.0, np.nan], [1.0, 2.0], "finite"),
    ([1.0, 2.0], [1.0, np.inf], "finite"),
])
def test_linear_regression_bad_data_raises(x, y, word):
    with pytest.raises(ValueError, match=word):
        linear_regression(x, y)

