"""Optimizers: one small class per update rule, written like the table of the
deeplearning.ai AI Notes article "Parameter optimization in neural networks".

Notation (that article's): ``W`` the parameters, ``dW`` the gradient of the cost,
``lr`` the learning rate (alpha in the article, eta in the lessons), ``beta`` a decay rate,
``eps`` a small number that keeps a division finite, ``t`` the step number (1 on the
first step).

Each class's ``update`` is its formula: it takes the parameters, the gradient and the
state (``V``, ``S`` or ``G``) and returns the new parameters and the new state. The
same rule is kept as data in the class attribute ``formula`` (LaTeX lines, which lesson 06
shows in its table).

Every optimizer works on arrays of any shape. Its state is created on the first step
with the shape of the parameters (zeros), so parameters of shape ``(n, d)`` update ``n``
independent vectors at once. ``step`` returns new parameters and never changes its
arguments::

    opt = Adam(lr=0.1)
    W = np.array([1.0, -2.0])
    for _ in range(100):
        W = opt.step(W, grad(W))
    opt.t, opt.V, opt.S        # plain numpy data you can print
"""

import numpy as np

from . import validate

__all__ = ["Optimizer", "SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam", "AdamW",
           "OPTIMIZERS", "make", "stable_lr"]


class Optimizer:
    """Base class: learning-rate handling, argument checks, the state and the step counter ``t``.

    ``lr`` is a number > 0 or a schedule: a callable ``lr(t)`` of the step number,
    called with t = 1 on the first step (see ``course.schedules``).
    A subclass names its state arrays in ``state_names``, its rule in ``formula`` and
    writes ``update(W, dW, *state, lr)``, returning the new ``W`` followed by the new state.
    """

    name = "Optimizer"
    state_names = ()
    n_state = 0       # how many arrays of the parameters' size it keeps: its memory cost
    formula = ()      # the update rule as LaTeX lines, in the article's names

    def __init__(self, lr):
        if isinstance(lr, type) or not callable(lr):     # a number, or a schedule lr(t)
            lr = validate.learning_rate("lr", lr)
        self.lr = lr
        self.reset()

    def reset(self):
        """Forget everything: t = 0 and every state array back to None."""
        self.t = 0
        self._lr_used = None
        for name in self.state_names:
            setattr(self, name, None)

    def current_lr(self):
        """The learning rate used on the last step (before any step: the one step 1 will use)."""
        if self._lr_used is not None:
            return self._lr_used
        return float(self.lr(1)) if callable(self.lr) else self.lr

    def step(self, params, grads):
        """Return the parameters after one step; ``params`` and ``grads`` are not changed."""
        W = validate.array("params", params, limit=None)
        dW = validate.array("grads", grads, limit=None)
        if W.shape != dW.shape:
            raise ValueError(f"grads must have the shape of params {W.shape}, got {dW.shape}")
        with np.errstate(over="ignore"):    # a step past the largest float is inf: descend stops it
            return self._advance(W, dW)

    def _advance(self, W, dW):
        """``step`` after its argument checks (``Each`` checks a whole race once): the state,
        then t = t + 1 and lr(t), then the rule. Overflow warnings are the caller's to silence."""
        state = []
        for name in self.state_names:
            s = getattr(self, name)
            if s is None:
                s = np.zeros_like(W)        # the state starts at zero
            elif s.shape != W.shape:
                raise ValueError(f"params must keep the shape {s.shape} of the state "
                                 f"(got {W.shape}); call reset() to start over")
            state.append(s)
        self.t += 1
        lr = validate.learning_rate("lr(t)", self.lr(self.t)) if callable(self.lr) else self.lr
        self._lr_used = lr
        if not state:
            return self.update(W, dW, lr)
        W, *state = self.update(W, dW, *state, lr)
        for name, s in zip(self.state_names, state):
            setattr(self, name, s)
        return W

    def update(self, W, dW, *state_then_lr):
        """The rule: ``update(W, dW, lr)`` -> new W, ``update(W, dW, V, lr)`` -> (new W, new V)."""
        raise NotImplementedError

    def __repr__(self):
        hyper = ", ".join(f"{k}={v!r}" for k, v in self.hyper().items())
        return f"{type(self).__name__}({hyper})"

    def hyper(self):
        """The hyperparameters as a dict (the constructor's arguments)."""
        return {"lr": self.lr}


class SGD(Optimizer):
    """Plain gradient descent::

        W = W - lr * dW

    State: none (``n_state = 0``).
    torch: ``torch.optim.SGD(params, lr=lr)`` (momentum=0), the same rule.
    """

    name = "SGD"
    formula = (r"W \leftarrow W - \eta\, dW",)

    def __init__(self, lr=0.01):
        super().__init__(lr)

    def update(self, W, dW, lr):
        W = W - lr * dW
        return W


class Momentum(Optimizer):
    """Momentum, as an exponential moving average of the gradients (as in the AI Notes article)::

        V = beta * V + (1 - beta) * dW
        W = W - lr * V

    State: ``V`` (``n_state = 1``).
    torch: ``torch.optim.SGD(params, lr=lr * (1 - beta), momentum=beta)`` gives the
    same steps. torch keeps ``buf = beta * buf + dW`` (no (1 - beta)), which is
    ``V / (1 - beta)``, so its learning rate must be ``lr * (1 - beta)``.
    ``SGD(momentum=beta, dampening=beta)`` is the EMA form from step 2 on, but torch
    starts its buffer at the raw gradient (``V = dW`` on step 1, not ``(1 - beta) dW``).
    """

    name = "Momentum"
    state_names = ("V",)
    n_state = 1
    formula = (r"V \leftarrow \beta V + (1 - \beta)\, dW",
               r"W \leftarrow W - \eta V")

    def __init__(self, lr=0.01, beta=0.9):
        super().__init__(lr)
        self.beta = validate.rate("beta", beta)

    def hyper(self):
        return {"lr": self.lr, "beta": self.beta}

    def update(self, W, dW, V, lr):
        beta = self.beta
        V = beta * V + (1 - beta) * dW
        W = W - lr * V
        return W, V


class Nesterov(Momentum):
    """Nesterov momentum: Momentum that steps with a look-ahead of the average::

        V = beta * V + (1 - beta) * dW
        W = W - lr * (beta * V + (1 - beta) * dW)

    State: ``V`` (``n_state = 1``), kept as in :class:`Momentum`; only the step differs.
    torch: ``torch.optim.SGD(params, lr=lr * (1 - beta), momentum=beta, nesterov=True)``
    gives the same steps: torch's buffer is ``V / (1 - beta)`` and its step
    ``dW + beta * buf``. torch allows nesterov only with dampening=0, so the
    learning-rate scaling is the only way to match the EMA form.
    """

    name = "Nesterov"
    formula = (r"V \leftarrow \beta V + (1 - \beta)\, dW",
               r"W \leftarrow W - \eta\, (\beta V + (1 - \beta)\, dW)")

    def update(self, W, dW, V, lr):
        beta = self.beta
        V = beta * V + (1 - beta) * dW
        W = W - lr * (beta * V + (1 - beta) * dW)
        return W, V


class Adagrad(Optimizer):
    """Adagrad: each parameter's step shrinks with the sum of its squared gradients::

        G = G + dW**2
        W = W - lr * dW / (sqrt(G) + eps)

    State: ``G`` (``n_state = 1``).
    torch: ``torch.optim.Adagrad(params, lr=lr, eps=eps)`` with its defaults
    lr_decay=0 and initial_accumulator_value=0; torch also adds eps outside the root.
    """

    name = "Adagrad"
    state_names = ("G",)
    n_state = 1
    formula = (r"G \leftarrow G + dW^2",
               r"W \leftarrow W - \eta\, \dfrac{dW}{\sqrt{G} + \varepsilon}")

    def __init__(self, lr=0.01, eps=1e-10):
        super().__init__(lr)
        self.eps = validate.positive("eps", eps)

    def hyper(self):
        return {"lr": self.lr, "eps": self.eps}

    def update(self, W, dW, G, lr):
        eps = self.eps
        G = G + dW**2
        W = W - lr * dW / (np.sqrt(G) + eps)
        return W, G


class RMSprop(Optimizer):
    """RMSprop: divide the step by a moving root mean square of the gradients::

        S = beta * S + (1 - beta) * dW**2
        W = W - lr * dW / (sqrt(S) + eps)

    State: ``S`` (``n_state = 1``).
    torch: ``torch.optim.RMSprop(params, lr=lr, alpha=beta, eps=eps)`` (momentum=0,
    centered=False); eps sits outside the root there too. torch's default alpha
    is 0.99, ours beta is 0.9.
    """

    name = "RMSprop"
    state_names = ("S",)
    n_state = 1
    formula = (r"S \leftarrow \beta S + (1 - \beta)\, dW^2",
               r"W \leftarrow W - \eta\, \dfrac{dW}{\sqrt{S} + \varepsilon}")

    def __init__(self, lr=0.01, beta=0.9, eps=1e-8):
        super().__init__(lr)
        self.beta = validate.rate("beta", beta)
        self.eps = validate.positive("eps", eps)

    def hyper(self):
        return {"lr": self.lr, "beta": self.beta, "eps": self.eps}

    def update(self, W, dW, S, lr):
        beta, eps = self.beta, self.eps
        S = beta * S + (1 - beta) * dW**2
        W = W - lr * dW / (np.sqrt(S) + eps)
        return W, S


class Adam(Optimizer):
    """Adam: Momentum's average V over RMSprop's average S, both bias-corrected::

        V = beta1 * V + (1 - beta1) * dW
        S = beta2 * S + (1 - beta2) * dW**2
        V_hat = V / (1 - beta1**t)
        S_hat = S / (1 - beta2**t)
        W = W - lr * V_hat / (sqrt(S_hat) + eps)

    The correction divides by ``1 - beta**t`` (beta to the power t). The AI Notes
    table prints ``(1 - beta)**t``, which is wrong: that number shrinks towards 0
    and would blow the step up instead of undoing the zero start of V and S.

    State: ``V`` and ``S`` (``n_state = 2``).
    torch: ``torch.optim.Adam(params, lr=lr, betas=(beta1, beta2), eps=eps)``, the
    same rule (amsgrad=False, weight_decay=0).
    """

    name = "Adam"
    state_names = ("V", "S")
    n_state = 2
    formula = (r"V \leftarrow \beta_1 V + (1 - \beta_1)\, dW",
               r"S \leftarrow \beta_2 S + (1 - \beta_2)\, dW^2",
               r"\hat{V} = \dfrac{V}{1 - \beta_1^t}",
               r"\hat{S} = \dfrac{S}{1 - \beta_2^t}",
               r"W \leftarrow W - \eta\, \dfrac{\hat{V}}{\sqrt{\hat{S}} + \varepsilon}")

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1 = validate.rate("beta1", beta1)
        self.beta2 = validate.rate("beta2", beta2)
        self.eps = validate.positive("eps", eps)

    def hyper(self):
        return {"lr": self.lr, "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}

    def update(self, W, dW, V, S, lr):
        beta1, beta2, eps, t = self.beta1, self.beta2, self.eps, self.t
        V = beta1 * V + (1 - beta1) * dW
        S = beta2 * S + (1 - beta2) * dW**2
        V_hat = V / (1 - beta1**t)
        S_hat = S / (1 - beta2**t)
        W = W - lr * V_hat / (np.sqrt(S_hat) + eps)
        return W, V, S


class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay (Loshchilov and Hutter, 2019)::

        W = W - lr * weight_decay * W
        V = beta1 * V + (1 - beta1) * dW
        S = beta2 * S + (1 - beta2) * dW**2
        V_hat = V / (1 - beta1**t)
        S_hat = S / (1 - beta2**t)
        W = W - lr * V_hat / (sqrt(S_hat) + eps)

    The first line shrinks every parameter by the same fraction ``lr * weight_decay``; then
    comes Adam's step, computed from the gradient ``dW`` alone. L2 regularization with Adam
    (``torch.optim.Adam(weight_decay=...)``) instead adds ``weight_decay * W`` to ``dW``, so the
    decay is divided by ``sqrt(S_hat)`` with the rest: parameters with large gradients are
    hardly decayed. With plain SGD the two are the same rule.

    State: ``V`` and ``S`` (``n_state = 2``). Not in ``OPTIMIZERS``: its steps also pull every
    parameter towards zero, so on a landscape it does not settle at the landscape's minimum.
    torch: ``torch.optim.AdamW(params, lr=lr, betas=(beta1, beta2), eps=eps,
    weight_decay=weight_decay)``, the same rule and the same default ``weight_decay=0.01``
    (torch multiplies the decay by ``lr``, as here; the paper scales it by the schedule only).
    """

    name = "AdamW"
    formula = (r"W \leftarrow W - \eta\, \lambda\, W",) + Adam.formula

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        super().__init__(lr, beta1, beta2, eps)
        self.weight_decay = validate.number("weight_decay", weight_decay, low=0.0, high=1e6)

    def hyper(self):
        return super().hyper() | {"weight_decay": self.weight_decay}

    def update(self, W, dW, V, S, lr):
        beta1, beta2, eps, t = self.beta1, self.beta2, self.eps, self.t
        weight_decay = self.weight_decay
        W = W - lr * weight_decay * W
        V = beta1 * V + (1 - beta1) * dW
        S = beta2 * S + (1 - beta2) * dW**2
        V_hat = V / (1 - beta1**t)
        S_hat = S / (1 - beta2**t)
        W = W - lr * V_hat / (np.sqrt(S_hat) + eps)
        return W, V, S


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, Nesterov, Adagrad, RMSprop, Adam)}
"""The optimizers of the race (lesson 6), by display name; AdamW, a regularizer too, is apart."""


def make(name, **hyper):
    """Build an optimizer by display name, e.g. ``make("Adam", lr=0.01)``."""
    if not isinstance(name, str) or name not in OPTIMIZERS:
        raise ValueError(f"name must be one of {list(OPTIMIZERS)}, got {name!r}")
    return OPTIMIZERS[name](**hyper)


def stable_lr(beta, curvature, nesterov=False):
    """The largest learning rate at which Momentum (or Nesterov) converges on f = k/2 w^2.

    There dW = k W, and the steps of Momentum, ``V = beta V + (1 - beta) k W``,
    ``W = W - lr V``, shrink for every start exactly when
    ``lr < 2 (1 + beta) / ((1 - beta) k)``; Nesterov's when
    ``lr < 2 (1 + beta) / ((1 + 2 beta)(1 - beta) k)``. With beta = 0 both are plain
    gradient descent's ``2 / k``. ``beta`` may be an array (one limit per value).
    """
    b = validate.array("beta", beta)
    if not np.all((b >= 0) & (b < 1)):
        raise ValueError(f"beta must be in [0, 1), got {beta!r}")
    k = validate.number("curvature", curvature, 1e-12, 1e6)
    return 2 * (1 + b) / ((1 + 2 * b if nesterov else 1.0) * (1 - b) * k)
