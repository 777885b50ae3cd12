"""Self-checks for lessons 06 and 07, Optimizers and Optimizers in depth. Each shows right / not yet / not answered and never raises.

``compare_with_torch()`` checks the course's optimizers against ``torch.optim`` (when PyTorch is
installed). PyTorch is large, so the notebook runs it in a separate process, keeping its own kernel
small: ``python -m course.checks.optimizers`` prints the comparison as JSON.
"""
import json

import numpy as np

from course import validate
from course.checks import check_close, check_function, show, unanswered
from course.checks.exercise import ask
from course.optimizers import SGD, Adagrad, Adam, Momentum, Nesterov, RMSprop

__all__ = ["RMSPROP_CHOICES", "rmsprop_update", "torch_momentum_lr", "adam_correction",
           "compare_with_torch"]

_RMSPROP_HINT = "S = beta * S + (1 - beta) * dW**2, then W = W - lr * dW / (sqrt(S) + eps)."


def _gradients(seed, steps, shape):
    return np.random.default_rng(seed).normal(size=(steps, *shape))


def _reference(W0, grads, lr, beta, eps):
    opt = RMSprop(lr=lr, beta=beta, eps=eps)
    W, out = np.array(W0, dtype=float), []
    for dW in grads:
        W = opt.step(W, dW)
        out.append(W)
    return np.array(out)


def _student(fn):
    def run(W0, grads, lr, beta, eps):
        W, S, out = np.array(W0, dtype=float), np.zeros(np.shape(W0)), []
        for dW in grads:
            W, S = fn(W, dW, S, lr, beta, eps)
            out.append(np.array(W, dtype=float))
        return np.array(out)
    return run


def rmsprop_update(fn):
    """Check ``fn(W, dW, S, lr, beta, eps) -> (W_new, S_new)`` over 5 steps against RMSprop."""
    if unanswered(fn):
        return show(None, "rmsprop_update: not written yet.")
    try:
        first = fn(np.ones(2), np.ones(2), np.zeros(2), 0.1, 0.9, 1e-8)
    except Exception as exc:  # the student's code failed: say how, gently
        return show(False, f"rmsprop_update: calling it raised {type(exc).__name__}: {exc}")
    if first is None:
        return show(None, "rmsprop_update: not written yet (it returns None).")
    if not (isinstance(first, tuple) and len(first) == 2):
        return show(False, "rmsprop_update: return a pair (new W, new S).")
    cases = [(np.array([1.0, -2.0]), _gradients(0, 5, (2,)), 0.01, 0.9, 1e-8),
             (np.zeros((3, 2)), _gradients(1, 5, (3, 2)), 0.1, 0.99, 1e-8),
             (np.array([0.5]), np.full((5, 1), 3.0), 0.05, 0.5, 1e-6)]
    return check_function("rmsprop_update", _student(fn), _reference, cases, hint=_RMSPROP_HINT)


def torch_momentum_lr(answer):
    """torch's lr that reproduces Momentum(lr=0.1, beta=0.9) with SGD(momentum=0.9): 0.1 * (1 - 0.9)."""
    return check_close("torch learning rate", answer, 0.1 * (1 - 0.9), rtol=1e-6,
                       hint="torch's buffer is V / (1 - beta): scale the learning rate to match.")


def adam_correction(answer):
    """What Adam divides S by on step t = 2 with beta2 = 0.999: 1 - 0.999**2 = 0.001999."""
    return check_close("Adam's divisor for S at t = 2", answer, 1 - 0.999**2, rtol=1e-6,
                       hint="The divisor is 1 - beta2**t (beta2 to the power t), not (1 - beta2)**t.")


def compare_with_torch(steps=50, lr=1e-3, beta=0.9):
    """Run each course optimizer and its torch.optim twin on Rosenbrock in float64.

    Returns rows ``(name, torch call, largest |difference| of the parameters over the path)``.
    Needs PyTorch (imported here only).
    """
    steps = validate.integer("steps", steps, 1, 1000)
    lr = validate.number("lr", lr, 0.0, 1.0, low_open=True)
    # torch's Nesterov needs a momentum > 0
    beta = validate.number("beta", beta, 0.0, 1.0, low_open=True, high_open=True)
    import torch

    from course.landscapes import get

    land = get("rosenbrock")

    def ours(opt):
        W, path = land.start.copy(), [land.start.copy()]
        for _ in range(steps):
            W = opt.step(W, land.grad(W))
            path.append(W)
        return np.array(path)

    def theirs(build):
        w = torch.tensor(land.start, dtype=torch.float64, requires_grad=True)
        opt, path = build([w]), [land.start.copy()]
        for _ in range(steps):
            w.grad = torch.from_numpy(land.grad(w.detach().numpy()))
            opt.step()
            path.append(w.detach().numpy().copy())
        return np.array(path)

    optim = torch.optim
    pairs = [
        ("SGD", SGD(lr), "SGD(lr=lr)", lambda p: optim.SGD(p, lr=lr)),
        ("Momentum", Momentum(lr, beta), "SGD(lr=lr*(1-beta), momentum=beta)",
         lambda p: optim.SGD(p, lr=lr * (1 - beta), momentum=beta)),
        ("Momentum", Momentum(lr, beta), "SGD(lr=lr, momentum=beta, dampening=beta)",
         lambda p: optim.SGD(p, lr=lr, momentum=beta, dampening=beta)),
        ("Nesterov", Nesterov(lr, beta), "SGD(lr=lr*(1-beta), momentum=beta, nesterov=True)",
         lambda p: optim.SGD(p, lr=lr * (1 - beta), momentum=beta, nesterov=True)),
        ("Adagrad", Adagrad(0.1), "Adagrad(lr=0.1, eps=1e-10)",
         lambda p: optim.Adagrad(p, lr=0.1, eps=1e-10)),
        ("RMSprop", RMSprop(0.01, beta=beta), "RMSprop(lr=0.01, alpha=beta, eps=1e-8)",
         lambda p: optim.RMSprop(p, lr=0.01, alpha=beta, eps=1e-8)),
        ("Adam", Adam(0.05), "Adam(lr=0.05)", lambda p: optim.Adam(p, lr=0.05)),
    ]
    return [(name, call, float(np.abs(ours(opt) - theirs(build)).max()))
            for name, opt, call, build in pairs]


def _rmsprop_steps(square, root, new_s_first):
    def update(W, dW, S, lr, beta, eps):
        S_new = beta * S + (1 - beta) * (dW**2 if square else np.abs(dW))
        S_used = S_new if new_s_first else S
        return W - lr * dW / ((np.sqrt(S_used) if root else S_used) + eps), S_new
    return update


# For dashboards, where no code can be written: bodies of rmsprop_update to choose from, one right.
RMSPROP_CHOICES = [
    ("S = beta * S + (1 - beta) * dW**2; return W - lr * dW / (S + eps), S",
     _rmsprop_steps(square=True, root=False, new_s_first=True)),
    ("S = beta * S + (1 - beta) * dW**2; return W - lr * dW / (np.sqrt(S) + eps), S",
     _rmsprop_steps(square=True, root=True, new_s_first=True)),
    ("S = beta * S + (1 - beta) * abs(dW); return W - lr * dW / (np.sqrt(S) + eps), S",
     _rmsprop_steps(square=False, root=True, new_s_first=True)),
    ("W = W - lr * dW / (np.sqrt(S) + eps); return W, beta * S + (1 - beta) * dW**2",
     _rmsprop_steps(square=True, root=True, new_s_first=False)),
]


if __name__ == "__main__":
    print(json.dumps(compare_with_torch()))
