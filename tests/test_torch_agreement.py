"""Our optimizers against torch.optim, fed the same gradient sequence (skipped without torch)."""
import numpy as np
import pytest

from course.optimizers import SGD, Adagrad, Adam, AdamW, Momentum, Nesterov, RMSprop

torch = pytest.importorskip("torch")

STEPS = 200


def gradients(shape=(4, 3), seed=0):
    return np.random.default_rng(seed).normal(size=(STEPS,) + shape)


def run_ours(opt, W0, grads):
    W = W0
    for g in grads:
        W = opt.step(W, g)
    return W


def run_torch(make_opt, W0, grads):
    p = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    opt = make_opt([p])
    for g in grads:
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
    return p.detach().numpy()


CASES = {
    "SGD": (lambda: SGD(lr=0.05), lambda ps: torch.optim.SGD(ps, lr=0.05)),
    "Adagrad": (lambda: Adagrad(lr=0.1, eps=1e-10),
                lambda ps: torch.optim.Adagrad(ps, lr=0.1, eps=1e-10)),
    "RMSprop": (lambda: RMSprop(lr=0.01, beta=0.9, eps=1e-8),
                lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, eps=1e-8)),
    "Adam": (lambda: Adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8),
             lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8)),
    # EMA momentum = torch's momentum with the learning rate scaled by (1 - beta)
    "Momentum": (lambda: Momentum(lr=0.05, beta=0.9),
                 lambda ps: torch.optim.SGD(ps, lr=0.05 * (1 - 0.9), momentum=0.9)),
    "Nesterov": (lambda: Nesterov(lr=0.05, beta=0.9),
                 lambda ps: torch.optim.SGD(ps, lr=0.05 * (1 - 0.9), momentum=0.9, nesterov=True)),
    "AdamW": (lambda: AdamW(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.1),
              lambda ps: torch.optim.AdamW(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_agrees_with_torch_over_200_steps(name):
    ours, theirs = CASES[name]
    W0 = np.random.default_rng(1).normal(size=(4, 3))
    grads = gradients()
    a = run_ours(ours(), W0, grads)
    b = run_torch(theirs, W0, grads)
    assert not np.allclose(a, W0)                     # the runs did move
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=0)


def test_momentum_with_torch_dampening_differs_only_by_the_first_step():
    # torch starts its buffer at the raw gradient; with dampening = beta the EMA form then
    # matches from step 2 on. Feeding step 1 a gradient of g / (1 - beta) makes them agree.
    beta = 0.9
    W0 = np.zeros(5)
    grads = gradients(shape=(5,), seed=2)
    torch_grads = grads.copy()
    torch_grads[0] = grads[0] * (1 - beta)
    a = run_ours(Momentum(lr=0.05, beta=beta), W0, grads)
    b = run_torch(lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=beta, dampening=beta),
                  W0, torch_grads)
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-14)
    c = run_torch(lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=beta, dampening=beta),
                  W0, grads)
    assert not np.allclose(a, c, rtol=1e-6)


def test_torch_adam_weight_decay_is_l2_and_adamw_is_not():
    # torch.optim.Adam(weight_decay=wd) adds wd * W to the gradient (L2 regularization, coupled
    # with the adaptive step); AdamW shrinks W apart from it. Our Adam fed dW + wd * W is the first.
    wd, W0, grads = 0.1, np.random.default_rng(3).normal(size=(4, 3)), gradients()
    W, opt = W0, Adam(lr=0.01)
    for g in grads:
        W = opt.step(W, g + wd * W)
    coupled = run_torch(lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=wd), W0, grads)
    np.testing.assert_allclose(W, coupled, rtol=1e-10, atol=0)
    decoupled = run_torch(lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=wd), W0, grads)
    assert not np.allclose(coupled, decoupled, rtol=1e-3)
