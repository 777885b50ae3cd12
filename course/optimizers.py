"""Optimizers: one small class per update rule, written like the seed's table.

Notation (seed 000): ``W`` the parameters, ``dW`` the gradient of the cost,
``lr`` the learning rate (alpha), ``beta`` a decay rate, ``eps`` a small number
that keeps a division finite, ``t`` the step number (1 on the first step).

Every optimizer works on arrays of any shape. Its state (``V``, ``S`` or ``G``)
is created on the first step with the shape of the parameters, so parameters of
shape ``(n, d)`` update ``n`` independent vectors at once. ``step`` returns new
parameters and never changes its arguments (pass ``out=`` to choose the array the new
parameters are written to, as numpy functions do)::

    opt = Adam(lr=0.1)
    W = np.array([1.0, -2.0])
    for _ in range(100):
        W = opt.step(W, grad(W))
    opt.t, opt.V, opt.S        # plain numpy data you can print
"""

import numpy as np

from . import validate

__all__ = ["Optimizer", "SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam",
           "OPTIMIZERS", "make"]




class Optimizer:
    """Base class: learning-rate handling, argument checks and the step counter ``t``.

    ``lr`` is a number > 0 or a schedule: a callable ``lr(t)`` of the step number,
    called with t = 1 on the first step (see ``course.schedules``).
    Subclasses list their state arrays in ``state_names`` and write ``update``.
    Updates work in place on the state arrays and on ``out`` (on big arrays numpy's
    temporaries cost more than the arithmetic); each line's comment gives its formula.
    To keep a history of the state, store copies: ``opt.V.copy()``.
    """

    name = "Optimizer"
    state_names = ()
    n_state = 0       # how many arrays of the parameters' size it keeps: its memory cost

    def __init__(self, lr):
        if not callable(lr):
            lr = validate.positive("lr", lr)
        self.lr = lr
        self.reset()

    def reset(self):
        """Forget everything: t = 0 and every state array back to None."""
        self.t = 0
        self._lr_used = None
        for s in self.state_names:
            setattr(self, s, None)

    def current_lr(self):
        """The learning rate used on the last step (before any step: the one step 1 will use)."""
        if self._lr_used is not None:
            return self._lr_used
        return float(self.lr(1)) if callable(self.lr) else self.lr

    def step(self, params, grads, out=None):
        """Return the parameters after one step; ``params`` and ``grads`` are not changed.

        ``out``, if given, is a float array of the same shape (not overlapping
        ``params`` or ``grads``) that receives the result.
        """
        W = np.asarray(params, dtype=float)
        dW = np.asarray(grads, dtype=float)
        if W.shape != dW.shape:
            raise ValueError(f"grads must have the shape of params {W.shape}, got {dW.shape}")
        if out is None:
            out = np.empty_like(W)
        elif (not isinstance(out, np.ndarray) or out.shape != W.shape or out.dtype != float
              or np.may_share_memory(out, W) or np.may_share_memory(out, dW)):
            raise ValueError(f"out must be a new float array of shape {W.shape}, "
                             "not overlapping params or grads")
        for s in self.state_names:
            state = getattr(self, s)
            if state is None:
                setattr(self, s, np.zeros_like(W))
            elif state.shape != W.shape:
                raise ValueError(f"params must keep the shape {state.shape} of the state "
                                 f"(got {W.shape}); call reset() to start over")
        return self._advance(W, dW, out)

    def _advance(self, W, dW, out):
        """The step itself, without the checks: ``descend`` checks its arrays once, on step 1."""
        self.t += 1
        lr = float(self.lr(self.t)) if callable(self.lr) else self.lr
        self._lr_used = lr
        self.update(W, dW, lr, out)
        return out

    def update(self, W, dW, lr, out):
        """Write the new parameters into ``out`` (also free as scratch space until then)."""
        raise NotImplementedError

    def __repr__(self):
        hyper = ", ".join(f"{k}={v!r}" for k, v in self.hyper().items())
        return f"{type(self).__name__}({hyper})"

    def hyper(self):
        """The hyperparameters as a dict (the constructor's arguments)."""
        return {"lr": self.lr}


class SGD(Optimizer):
    """Plain gradient descent: ``W = W - lr * dW``.

    State: none (``n_state = 0``).
    torch: ``torch.optim.SGD(params, lr=lr)`` (momentum=0), the same rule.
    """

    name = "SGD"

    def __init__(self, lr=0.01):
        super().__init__(lr)

    def update(self, W, dW, lr, out):
        np.multiply(lr, dW, out=out)
        np.subtract(W, out, out=out)              # W = W - lr * dW


class Momentum(Optimizer):
    """Momentum, as an exponential moving average of the gradients (seed 000)::

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

    def __init__(self, lr=0.01, beta=0.9):
        super().__init__(lr)
        self.beta = validate.rate("beta", beta)

    def hyper(self):
        return {"lr": self.lr, "beta": self.beta}

    def update(self, W, dW, lr, out):
        beta, V = self.beta, self.V
        V *= beta
        V += np.multiply(1 - beta, dW, out=out)   # V = beta * V + (1 - beta) * dW
        np.multiply(lr, V, out=out)
        np.subtract(W, out, out=out)              # W = W - lr * V


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

    def update(self, W, dW, lr, out):
        beta, V = self.beta, self.V
        V *= beta
        V += np.multiply(1 - beta, dW, out=out)   # V = beta * V + (1 - beta) * dW
        out += beta * V                           # look-ahead: beta * V + (1 - beta) * dW
        out *= lr
        np.subtract(W, out, out=out)              # W = W - lr * look-ahead


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

    def __init__(self, lr=0.01, eps=1e-10):
        super().__init__(lr)
        self.eps = validate.positive("eps", eps)

    def hyper(self):
        return {"lr": self.lr, "eps": self.eps}

    def update(self, W, dW, lr, out):
        G = self.G
        G += np.square(dW, out=out)               # G = G + dW**2
        np.sqrt(G, out=out)
        out += self.eps                           # sqrt(G) + eps
        np.divide(dW, out, out=out)
        out *= lr
        np.subtract(W, out, out=out)              # W = W - lr * dW / (sqrt(G) + eps)


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

    def __init__(self, lr=0.01, beta=0.9, eps=1e-8):
        super().__init__(lr)
        self.beta = validate.rate("beta", beta)
        self.eps = validate.positive("eps", eps)

    def hyper(self):
        return {"lr": self.lr, "beta": self.beta, "eps": self.eps}

    def update(self, W, dW, lr, out):
        beta, S = self.beta, self.S
        S *= beta
        np.square(dW, out=out)
        out *= 1 - beta
        S += out                                  # S = beta * S + (1 - beta) * dW**2
        np.sqrt(S, out=out)
        out += self.eps                           # sqrt(S) + eps
        np.divide(dW, out, out=out)
        out *= lr
        np.subtract(W, out, out=out)              # W = W - lr * dW / (sqrt(S) + eps)


class Adam(Optimizer):
    """Adam: Momentum's average V over RMSprop's average S, both bias-corrected::

        V  = beta1 * V + (1 - beta1) * dW
        S  = beta2 * S + (1 - beta2) * dW**2
        Vc = V / (1 - beta1**t)
        Sc = S / (1 - beta2**t)
        W  = W - lr * Vc / (sqrt(Sc) + eps)

    The correction divides by ``1 - beta**t`` (beta to the power t). The seed's
    table prints ``(1 - beta)**t``, which is wrong: that number shrinks towards 0
    and would blow the step up instead of undoing the zero start of V and S.

    State: ``V`` and ``S`` (``n_state = 2``).
    torch: ``torch.optim.Adam(params, lr=lr, betas=(beta1, beta2), eps=eps)``, the
    same rule (amsgrad=False, weight_decay=0).
    """

    name = "Adam"
    state_names = ("V", "S")
    n_state = 2

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(lr)
        self.beta1 = validate.rate("beta1", beta1)
        self.beta2 = validate.rate("beta2", beta2)
        self.eps = validate.positive("eps", eps)

    def hyper(self):
        return {"lr": self.lr, "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}

    def update(self, W, dW, lr, out):
        beta1, beta2, t, V, S = self.beta1, self.beta2, self.t, self.V, self.S
        V *= beta1
        V += np.multiply(1 - beta1, dW, out=out)  # V = beta1 * V + (1 - beta1) * dW
        S *= beta2
        np.square(dW, out=out)
        out *= 1 - beta2
        S += out                                  # S = beta2 * S + (1 - beta2) * dW**2
        # The step in the order the Adam paper suggests, one pass fewer: with c = sqrt(1 - beta2**t),
        # lr * Vc / (sqrt(Sc) + eps) = lr * c / (1 - beta1**t) * V / (sqrt(S) + eps * c)
        c = (1 - beta2**t) ** 0.5
        np.sqrt(S, out=out)
        out += self.eps * c                       # (sqrt(Sc) + eps) * c
        np.divide(V, out, out=out)
        out *= lr * c / (1 - beta1**t)            # lr * Vc / (sqrt(Sc) + eps)
        np.subtract(W, out, out=out)              # W = W - lr * Vc / (sqrt(Sc) + eps)


OPTIMIZERS = {cls.name: cls for cls in (SGD, Momentum, Nesterov, Adagrad, RMSprop, Adam)}


def make(name, **hyper):
    """Build an optimizer by display name, e.g. ``make("Adam", lr=0.01)``."""
    if name not in OPTIMIZERS:
        raise ValueError(f"name must be one of {list(OPTIMIZERS)}, got {name!r}")
    return OPTIMIZERS[name](**hyper)
