"""Every optimizer against a hand computation of its first two steps, its formula, shapes, checks."""
import inspect
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course import optimizers
from course.optimizers import (OPTIMIZERS, SGD, Adagrad, Adam, AdamW, Momentum, Nesterov, RMSprop,
                               make, stable_lr)
from course.schedules import exponential_decay

W0 = np.array([1.0, -2.0])
G1 = np.array([0.5, -1.0])      # gradient fed on step 1
G2 = np.array([0.2, 0.4])       # gradient fed on step 2


def two_steps(opt):
    W1 = opt.step(W0, G1)
    W2 = opt.step(W1, G2)
    return W1, W2


# Expected values are written out by hand from the formulas with lr = 0.1, beta = 0.9.
def test_sgd_by_hand():
    W1, W2 = two_steps(SGD(lr=0.1))
    np.testing.assert_allclose(W1, [0.95, -1.9], rtol=1e-14)
    np.testing.assert_allclose(W2, [0.93, -1.94], rtol=1e-14)


def test_momentum_by_hand():
    opt = Momentum(lr=0.1, beta=0.9)
    W1, W2 = two_steps(opt)
    # V1 = 0.1 * G1 = [0.05, -0.1];  V2 = 0.9 * V1 + 0.1 * G2 = [0.065, -0.05]
    np.testing.assert_allclose(W1, [0.995, -1.99], rtol=1e-14)
    np.testing.assert_allclose(W2, [0.9885, -1.985], rtol=1e-14)
    np.testing.assert_allclose(opt.V, [0.065, -0.05], rtol=1e-14)
    assert opt.t == 2


def test_nesterov_by_hand():
    opt = Nesterov(lr=0.1, beta=0.9)
    W1, W2 = two_steps(opt)
    # look-ahead 1: 0.9 * [0.05, -0.1] + 0.1 * G1 = [0.095, -0.19]
    # look-ahead 2: 0.9 * [0.065, -0.05] + 0.1 * G2 = [0.0785, -0.005]
    np.testing.assert_allclose(W1, [0.9905, -1.981], rtol=1e-14)
    np.testing.assert_allclose(W2, [0.98265, -1.9805], rtol=1e-14)
    np.testing.assert_allclose(opt.V, [0.065, -0.05], rtol=1e-14)


def test_adagrad_by_hand():
    eps = 1e-10
    opt = Adagrad(lr=0.1, eps=eps)
    W1, W2 = two_steps(opt)
    # G1 = [0.25, 1.0];  G2 = [0.29, 1.16]
    W1_hand = np.array([1 - 0.1 * 0.5 / (0.5 + eps), -2 + 0.1 * 1.0 / (1.0 + eps)])
    W2_hand = W1_hand - 0.1 * np.array([0.2 / (np.sqrt(0.29) + eps), 0.4 / (np.sqrt(1.16) + eps)])
    np.testing.assert_allclose(W1, W1_hand, rtol=1e-14)
    np.testing.assert_allclose(W2, W2_hand, rtol=1e-14)
    np.testing.assert_allclose(opt.G, [0.29, 1.16], rtol=1e-14)


def test_rmsprop_by_hand():
    eps = 1e-8
    opt = RMSprop(lr=0.1, beta=0.9, eps=eps)
    W1, W2 = two_steps(opt)
    # S1 = 0.1 * [0.25, 1] = [0.025, 0.1];  S2 = 0.9 * S1 + 0.1 * [0.04, 0.16] = [0.0265, 0.106]
    W1_hand = np.array([1 - 0.1 * 0.5 / (np.sqrt(0.025) + eps), -2 + 0.1 / (np.sqrt(0.1) + eps)])
    W2_hand = W1_hand - 0.1 * np.array([0.2 / (np.sqrt(0.0265) + eps),
                                        0.4 / (np.sqrt(0.106) + eps)])
    np.testing.assert_allclose(W1, W1_hand, rtol=1e-14)
    np.testing.assert_allclose(W2, W2_hand, rtol=1e-14)
    np.testing.assert_allclose(opt.S, [0.0265, 0.106], rtol=1e-14)


def test_adam_by_hand():
    eps = 1e-8
    opt = Adam(lr=0.1, beta1=0.9, beta2=0.999, eps=eps)
    W1, W2 = two_steps(opt)
    # step 1: V = [0.05, -0.1], S = [0.00025, 0.001]; corrected by 1 - 0.9 and 1 - 0.999
    W1_hand = np.array([1 - 0.1 * 0.5 / (0.5 + eps), -2 + 0.1 * 1.0 / (1.0 + eps)])
    # step 2: V = [0.065, -0.05], S = [0.00028975, 0.001159]; 1 - 0.9**2 = 0.19,
    # 1 - 0.999**2 = 0.001999
    Vc = np.array([0.065, -0.05]) / 0.19
    Sc = np.array([0.00028975, 0.001159]) / 0.001999
    W2_hand = W1_hand - 0.1 * Vc / (np.sqrt(Sc) + eps)
    np.testing.assert_allclose(W1, W1_hand, rtol=1e-14)
    np.testing.assert_allclose(W2, W2_hand, rtol=1e-12)
    np.testing.assert_allclose(opt.V, [0.065, -0.05], rtol=1e-14)
    np.testing.assert_allclose(opt.S, [0.00028975, 0.001159], rtol=1e-14)


def test_adamw_by_hand():
    eps = 1e-8
    opt = AdamW(lr=0.1, beta1=0.9, beta2=0.999, eps=eps, weight_decay=0.5)
    W1, W2 = two_steps(opt)
    # each step first shrinks W by lr * weight_decay = 0.05 (W * 0.95), then takes Adam's step,
    # which depends on the gradients only: the same V, S and corrections as in test_adam_by_hand
    W1_hand = 0.95 * W0 - 0.1 * np.array([0.5 / (0.5 + eps), -1.0 / (1.0 + eps)])
    Vc = np.array([0.065, -0.05]) / 0.19
    Sc = np.array([0.00028975, 0.001159]) / 0.001999
    W2_hand = 0.95 * W1_hand - 0.1 * Vc / (np.sqrt(Sc) + eps)
    np.testing.assert_allclose(W1, W1_hand, rtol=1e-14)
    np.testing.assert_allclose(W2, W2_hand, rtol=1e-12)
    np.testing.assert_allclose(opt.V, [0.065, -0.05], rtol=1e-14)
    np.testing.assert_allclose(opt.S, [0.00028975, 0.001159], rtol=1e-14)


def test_adamw_without_decay_is_adam_and_decay_is_not_l2():
    rng = np.random.default_rng(4)
    W, grads = rng.normal(size=3), rng.normal(size=(6, 3))
    np.testing.assert_array_equal(random_run(AdamW(lr=0.1, weight_decay=0.0), W, grads),
                                  random_run(Adam(lr=0.1), W, grads))
    # Adam with L2 adds weight_decay * W to the gradient: a different path
    decoupled = random_run(AdamW(lr=0.1, weight_decay=0.5), W, grads)
    l2, V = W, Adam(lr=0.1)
    for g in grads:
        l2 = V.step(l2, g + 0.5 * l2)
    assert not np.allclose(decoupled, l2, rtol=1e-3)


def test_adam_bias_correction_is_one_minus_beta_to_the_t():
    # A constant gradient g: the corrected averages are exactly g and g**2, so every step
    # moves by lr * g / (|g| + eps). The seed's (1 - beta)**t would make the steps explode.
    opt = Adam(lr=0.01, eps=1e-8)
    W = np.array([0.0])
    for _ in range(50):
        W_new = opt.step(W, np.array([3.0]))
        np.testing.assert_allclose(W - W_new, 0.01 * 3 / (3 + 1e-8), rtol=1e-12)
        W = W_new


CLASSES = [*OPTIMIZERS.values(), AdamW]       # AdamW is not in the race's dict, but is one of them
ALL = [(cls, {"lr": 0.05}) for cls in CLASSES]


def random_run(opt, W, grads):
    for g in grads:
        W = opt.step(W, g)
    return W


@pytest.mark.parametrize("cls, hyper", ALL)
def test_n_vectors_at_once_equal_n_runs(cls, hyper):
    rng = np.random.default_rng(1)
    n, d, steps = 5, 3, 6
    W = rng.normal(size=(n, d))
    grads = rng.normal(size=(steps, n, d))
    together = random_run(cls(**hyper), W, grads)
    for i in range(n):
        alone = random_run(cls(**hyper), W[i], grads[:, i])
        np.testing.assert_allclose(together[i], alone, rtol=1e-15, atol=0)


@pytest.mark.parametrize("cls, hyper", ALL)
def test_any_shape_and_no_mutation(cls, hyper):
    rng = np.random.default_rng(2)
    W = rng.normal(size=(2, 3, 4))
    grads = rng.normal(size=(4, 2, 3, 4))
    W_copy, grads_copy = W.copy(), grads.copy()
    opt = cls(**hyper)
    out = random_run(opt, W, grads)
    assert out.shape == W.shape
    np.testing.assert_array_equal(W, W_copy)
    np.testing.assert_array_equal(grads, grads_copy)
    flat = random_run(cls(**hyper), W.ravel(), grads.reshape(4, -1))
    np.testing.assert_allclose(out.ravel(), flat, rtol=1e-15)
    for name in opt.state_names:
        assert getattr(opt, name).shape == W.shape


def test_step_returns_a_new_array_even_for_zero_gradient():
    W = np.array([1.0, 2.0])
    out = SGD(lr=0.1).step(W, np.zeros(2))
    out[0] = 99.0
    assert W[0] == 1.0


def test_n_state_matches_the_seed_memory_comparison():
    assert [cls.n_state for cls in OPTIMIZERS.values()] == [0, 1, 1, 1, 1, 2]
    for cls in OPTIMIZERS.values():
        assert cls.n_state == len(cls.state_names)
        opt = cls()
        assert all(getattr(opt, s) is None for s in cls.state_names)


def test_optimizers_dict_order_and_make():
    assert list(OPTIMIZERS) == ["SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam"]
    opt = make("Adam", lr=0.02, beta1=0.8)
    assert isinstance(opt, Adam) and opt.lr == 0.02 and opt.beta1 == 0.8 and opt.name == "Adam"
    with pytest.raises(ValueError, match="name"):
        make("adamw")


def test_defaults():
    assert SGD().lr == 0.01 and Momentum().beta == 0.9 and Nesterov().beta == 0.9
    assert Adagrad().eps == 1e-10 and Adagrad().lr == 0.01
    r = RMSprop()
    assert (r.lr, r.beta, r.eps) == (0.01, 0.9, 1e-8)
    a = Adam()
    assert (a.lr, a.beta1, a.beta2, a.eps) == (0.001, 0.9, 0.999, 1e-8)
    w = AdamW()
    assert (w.lr, w.beta1, w.beta2, w.eps, w.weight_decay) == (0.001, 0.9, 0.999, 1e-8, 0.01)
    assert "AdamW" not in OPTIMIZERS and w.hyper() == a.hyper() | {"weight_decay": 0.01}


@pytest.mark.parametrize("cls, hyper", ALL)
def test_reset_forgets_state(cls, hyper):
    rng = np.random.default_rng(3)
    W, grads = rng.normal(size=3), rng.normal(size=(4, 3))
    opt = cls(**hyper)
    first = random_run(opt, W, grads)
    opt.reset()
    assert opt.t == 0
    assert all(getattr(opt, s) is None for s in opt.state_names)
    np.testing.assert_array_equal(random_run(opt, W, grads), first)


def test_shape_change_without_reset_raises():
    opt = Adam()
    opt.step(np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match="reset"):
        opt.step(np.zeros(3), np.ones(3))
    opt.reset()
    assert opt.step(np.zeros(3), np.ones(3)).shape == (3,)


def test_schedule_as_lr():
    opt = SGD(lr=exponential_decay(0.1, rate=0.5))
    assert opt.current_lr() == 0.1          # the rate step 1 will use
    W1 = opt.step(W0, G1)
    assert opt.current_lr() == 0.1
    W2 = opt.step(W1, G2)
    assert opt.current_lr() == 0.05
    np.testing.assert_allclose(W2, [1 - 0.05 - 0.01, -2 + 0.1 - 0.02], rtol=1e-14)


def test_adam_with_schedule_uses_lr_of_t():
    seen = []
    opt = Adam(lr=lambda t: seen.append(t) or 0.1)
    for _ in range(3):
        opt.step(W0, G1)
    assert seen == [1, 2, 3]


@pytest.mark.parametrize("make_bad, name", [
    (lambda: SGD(lr=0), "lr"), (lambda: SGD(lr=-0.1), "lr"),
    (lambda: SGD(lr=float("nan")), "lr"), (lambda: SGD(lr=float("inf")), "lr"),
    (lambda: SGD(lr="0.1"), "lr"), (lambda: Adam(lr=True), "lr"),
    (lambda: Momentum(beta=1.0), "beta"), (lambda: Momentum(beta=-0.1), "beta"),
    (lambda: Nesterov(beta=1.5), "beta"), (lambda: RMSprop(beta=1), "beta"),
    (lambda: Adam(beta1=1.0), "beta1"), (lambda: Adam(beta2=-1e-3), "beta2"),
    (lambda: Adagrad(eps=0), "eps"), (lambda: RMSprop(eps=-1e-8), "eps"),
    (lambda: Adam(eps=0.0), "eps"),
    (lambda: AdamW(weight_decay=-0.1), "weight_decay"), (lambda: AdamW(weight_decay="0.1"), "weight_decay"),
])
def test_bad_hyperparameters_raise(make_bad, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        make_bad()


@pytest.mark.parametrize("cls", CLASSES)
def test_params_and_grads_of_different_shapes_raise(cls):
    with pytest.raises(ValueError, match="grads must have the shape of params"):
        cls().step(np.zeros((3, 2)), np.zeros(2))


def test_beta_zero_is_allowed_and_momentum_becomes_sgd():
    W_m = two_steps(Momentum(lr=0.1, beta=0.0))[1]
    W_s = two_steps(SGD(lr=0.1))[1]
    np.testing.assert_allclose(W_m, W_s, rtol=1e-15)


def test_module_exports():
    assert set(optimizers.__all__) >= {"SGD", "Adam", "OPTIMIZERS", "make"}


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(list(OPTIMIZERS)), n=st.integers(1, 4), d=st.integers(1, 3),
       lr=st.floats(1e-4, 1.0), beta=st.floats(0.0, 0.999), seed=st.integers(0, 2**16))
def test_rows_are_independent_for_any_hyperparameters(name, n, d, lr, beta, seed):
    hyper = {"lr": lr}
    if name in ("Momentum", "Nesterov", "RMSprop"):
        hyper["beta"] = beta
    if name == "Adam":
        hyper["beta1"] = beta
    rng = np.random.default_rng(seed)
    W, grads = rng.normal(size=(n, d)), rng.normal(size=(5, n, d))
    together = random_run(make(name, **hyper), W, grads)
    assert np.all(np.isfinite(together))
    for i in range(n):
        np.testing.assert_array_equal(together[i], random_run(make(name, **hyper), W[i], grads[:, i]))


# --- the formulas the classes declare are the code they run -----------------------------

LATEX = [(r"\dfrac", r"\frac"), (r"\leftarrow", "="), (r"\hat{V}", "V_hat"), (r"\hat{S}", "S_hat"),
         (r"\beta_1", "beta1"), (r"\beta_2", "beta2"), (r"\beta", "beta"), (r"\eta", "lr"),
         (r"\varepsilon", "eps"), (r"\lambda", "weight_decay"), (r"\,", " "), ("^", "**")]


def python_of(latex):
    """One line of an optimizer's ``formula`` as Python: \\dfrac{A}{B} -> ((A) / (B)),
    \\sqrt{A} -> sqrt(A), the seed's symbols by the code's names, juxtaposition -> *."""
    line = latex
    for symbol, name in LATEX:
        line = line.replace(symbol, name)

    def group(i):                                    # the {...} opening at i: (content, end)
        depth = 0
        for j in range(i, len(line)):
            depth += {"{": 1, "}": -1}.get(line[j], 0)
            if depth == 0:
                return line[i + 1:j], j + 1
        raise AssertionError(f"unbalanced braces in {latex!r}")

    while "\\" in line:                             # the last command has no other inside it
        i = max(line.rfind("\\frac{"), line.rfind("\\sqrt{"))
        assert i >= 0, f"unknown LaTeX in {latex!r}: {line!r}"
        if line.startswith("\\frac", i):
            a, j = group(i + 5)
            b, j = group(j)
            line = f"{line[:i]}(({a}) / ({b})){line[j:]}"
        else:
            a, j = group(i + 5)
            line = f"{line[:i]}sqrt({a}){line[j:]}"
    assert "{" not in line and "}" not in line, (latex, line)
    return re.sub(r"(?<=[\w)])\s+(?=[\w(])", " * ", line)


def test_python_of_reads_the_latex_as_meant():
    assert python_of(r"W \leftarrow W - \eta\, \dfrac{dW}{\sqrt{G} + \varepsilon}") == \
        "W = W - lr * ((dW) / (sqrt(G) + eps))"
    assert python_of(r"\hat{S} = \frac{S}{1 - \beta_2^t}") == "S_hat = ((S) / (1 - beta2**t))"


@pytest.mark.parametrize("cls", CLASSES)
def test_formula_updates_the_state_and_then_w(cls):
    targets = [python_of(line).split("=")[0].strip() for line in cls.formula]
    assert targets and targets[-1] == "W"
    assert [t for t in targets if t in ("V", "S", "G")] == list(cls.state_names)
    assert set(targets) <= {"W", "V", "S", "G", "V_hat", "S_hat"}


@pytest.mark.parametrize("cls", CLASSES)
def test_formula_run_as_python_gives_the_steps_of_the_code(cls):
    rng = np.random.default_rng(5)
    hyper = {"lr": 0.07} | {k: v for k, v in [("beta", 0.8), ("beta1", 0.7), ("beta2", 0.95),
                                              ("eps", 1e-3), ("weight_decay", 0.3)] if k in cls().hyper()}
    opt = cls(**hyper)
    W = rng.normal(size=(3, 2))
    names = dict(hyper, W=W, sqrt=np.sqrt, **{s: np.zeros_like(W) for s in cls.state_names})
    for t in range(1, 5):
        dW = rng.normal(size=W.shape)
        W = opt.step(W, dW)
        names.update(dW=dW, t=t)
        for line in cls.formula:
            exec(python_of(line), {}, names)
        np.testing.assert_allclose(names["W"], W, rtol=1e-13)
        for s in cls.state_names:
            np.testing.assert_allclose(names[s], getattr(opt, s), rtol=1e-13)


@pytest.mark.parametrize("cls", CLASSES)
def test_docstring_formula_lines_are_the_lines_of_update(cls):
    doc = inspect.getdoc(cls)
    block = doc.split("::", 1)[1].strip("\n").split("\n\n")[0]
    code = inspect.getsource(cls.update)
    for line in block.splitlines():
        assert line.strip().replace("sqrt(", "np.sqrt(") in code, (cls.name, line)


@pytest.mark.parametrize("cls", [Momentum, Nesterov])
@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_stable_lr_is_the_edge_between_converging_and_diverging(cls, beta):
    k = 50.0                                        # f = k/2 w^2: dW = k W
    limit = stable_lr(beta, k, nesterov=cls is Nesterov)
    for factor, converges in ((0.97, True), (1.03, False)):
        opt, W = cls(lr=factor * limit, beta=beta), np.array([1.0])
        for _ in range(3000):
            W = opt.step(W, k * W)
            if abs(W[0]) > 1e6:
                break
        assert (abs(W[0]) < 1e-6 if converges else abs(W[0]) > 1e6), (factor, W)


def test_stable_lr_checks_its_arguments_and_takes_arrays():
    np.testing.assert_allclose(stable_lr(np.array([0.0, 0.5]), 4.0), [0.5, 1.5])
    assert stable_lr(0.0, 4.0, nesterov=True) == 0.5
    with pytest.raises(ValueError, match="^beta must"):
        stable_lr(1.0, 4.0)
    with pytest.raises(ValueError, match="^curvature must"):
        stable_lr(0.5, 0.0)
