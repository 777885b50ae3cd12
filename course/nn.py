"""A small multilayer network in numpy: dense layers, backpropagation, a gradient check.

Notation for a network with layer sizes ``[n0, n1, ..., nL]`` on a batch of m examples
(one example per row)::

    A0 = X                                   (m, n0)
    Zl = A(l-1) @ Wl + bl                    (m, nl)    Wl: (n(l-1), nl), bl: (nl,)
    Al = g(Zl)           for hidden layers   g = ReLU or sigmoid
    P  = softmax(ZL)     the output layer gives one probability per class
    J  = -(1/m) sum_i log P[i, y_i] + (l2/2) sum_l ||Wl||^2

Backpropagation runs the chain rule from the cost back to the input::

    dZL = (P - Y) / m                        Y: one-hot labels
    dWl = A(l-1).T @ dZl + l2 * Wl
    dbl = sum of dZl over the rows
    dA(l-1) = dZl @ Wl.T
    dZ(l-1) = dA(l-1) * g'(Z(l-1))           ReLU: 1 where Z > 0; sigmoid: A (1 - A)

``net.params`` is the list ``[W1, b1, W2, b2, ...]`` of numpy arrays and ``net.gradients``
returns a list of the same shapes, so any optimizer in ``course.optimizers`` can update each.
"""
import numbers

import numpy as np

from course import losses, validate

__all__ = ["Network", "count_parameters", "gradient_check", "softmax", "relu", "sigmoid"]


def relu(Z):
    """ReLU: max(0, z)."""
    return _relu(validate.array("Z", Z, dtype=None))


def sigmoid(Z):
    """Sigmoid 1 / (1 + exp(-z)), computed as (1 + tanh(z/2)) / 2, which never overflows."""
    return _sigmoid(validate.array("Z", Z, dtype=None))


def softmax(Z):
    """Softmax along the last axis: exp(z_k) / sum_j exp(z_j), with the row maximum subtracted
    first so that exp never overflows (the result is the same). A z of -inf gives probability 0."""
    Z = validate.array("Z", Z, shape=(..., "k"), dtype=None, finite=False)
    finite = np.isfinite(Z)
    if (Z.shape[-1] == 0 or not np.all(finite | (Z == -np.inf)) or not finite.any(axis=-1).all()
            or Z.size and np.abs(np.where(finite, Z, 0)).max() > validate.LARGE):
        raise ValueError(f"Z must hold numbers in [-1e150, 1e150] or -inf, at least one finite "
                         f"number per row, got {validate._show(Z)}")
    return _softmax(Z)


# The formulas without the checks, for the network's own (already checked) arrays.
def _relu(Z):
    return np.maximum(Z, 0)


def _sigmoid(Z):
    return 0.5 * (1.0 + np.tanh(0.5 * Z))


def _softmax(Z):
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


ACTIVATIONS = {"relu": _relu, "sigmoid": _sigmoid}


def _sizes(sizes):
    try:
        sizes = list(sizes) if not isinstance(sizes, (str, bytes)) else []
    except TypeError:                     # not a sequence: None, a number
        sizes = [sizes]
    if len(sizes) < 2 or not all(isinstance(n, numbers.Integral) and not isinstance(n, bool)
                                 and n >= 1 for n in sizes):
        raise ValueError(f"sizes must be a list of at least 2 integers >= 1, "
                         f"got {validate._show(sizes)}")
    return [int(n) for n in sizes]


def _dtype(dtype):
    try:
        if np.dtype(dtype) in (np.float32, np.float64):
            return np.dtype(dtype)
    except TypeError:
        pass
    raise ValueError(f"dtype must be float32 or float64, got {validate._show(dtype)}")


def count_parameters(sizes):
    """Weights plus biases: sum over layers of n(l-1) * nl + nl.

    ``count_parameters([784, 64, 10])`` is 784*64 + 64 + 64*10 + 10 = 50,890.
    """
    sizes = _sizes(sizes)
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


class Network:
    """A dense network: hidden layers with ``activation``, softmax output, cross-entropy cost.

    Initialization (seeded): He for ReLU, W ~ N(0, 2 / n_in); Xavier (Glorot) for sigmoid,
    W ~ N(0, 2 / (n_in + n_out)); biases start at 0. ``dtype`` float32 (the default) halves the
    memory and speeds up the matrix products; :func:`gradient_check` works on a float64 copy.
    """

    def __init__(self, sizes, activation="relu", seed=0, dtype=np.float32):
        self.sizes = _sizes(sizes)
        validate.memory("count_parameters(sizes)", count_parameters(sizes), sizes=sizes)
        if not (isinstance(activation, str) and activation in ACTIVATIONS):
            raise ValueError(f"activation must be one of {list(ACTIVATIONS)}, "
                             f"got {validate._show(activation)}")
        self.activation = activation
        self.dtype = _dtype(dtype)
        rng = np.random.default_rng(validate.integer("seed", seed, 0))
        self.params = []
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            var = 2.0 / n_in if activation == "relu" else 2.0 / (n_in + n_out)
            self.params.append(rng.normal(0.0, np.sqrt(var), (n_in, n_out)).astype(self.dtype))
            self.params.append(np.zeros(n_out, dtype=self.dtype))

    @property
    def weights(self):
        """The weight matrices W1, W2, ... (views of ``params``, the biases left out)."""
        return self.params[0::2]

    def copy(self, dtype=None):
        """An independent copy, optionally with another dtype."""
        new = object.__new__(Network)
        new.sizes, new.activation = list(self.sizes), self.activation
        new.dtype = self.dtype if dtype is None else _dtype(dtype)
        new.params = [p.astype(new.dtype, copy=True) for p in self.params]
        return new

    # --- forward -------------------------------------------------------------------------
    def forward(self, X):
        """Class probabilities P (m, nL) and the activations [A0, A1, ..., A(L-1)] backprop needs."""
        return self._forward(self._inputs(X))

    def _inputs(self, X):
        """X checked: rows of n0 finite numbers (|x| <= 1e15, so that float32 products stay finite)."""
        X = validate.array("X", X, shape=("m", self.sizes[0]), limit=1e15, dtype=self.dtype)
        if len(X) == 0:
            raise ValueError(f"X must hold at least one row, got shape {X.shape}")
        return X

    def _forward(self, A):
        g = ACTIVATIONS[self.activation]
        activations = [A]
        n_layers = len(self.params) // 2
        for l in range(n_layers):
            W, b = self.params[2 * l], self.params[2 * l + 1]
            Z = A @ W + b
            if l < n_layers - 1:
                A = g(Z)
                activations.append(A)
        return _softmax(Z), activations

    def predict(self, X):
        """The most probable class of each row of X."""
        return self.forward(X)[0].argmax(axis=1)

    def accuracy(self, X, y):
        """Fraction of rows whose predicted class equals the label."""
        X = self._inputs(X)
        y = _labels(y, self.sizes[-1], len(X))
        return float(np.mean(self._forward(X)[0].argmax(axis=1) == y))

    def cost(self, X, y, l2=0.0):
        """J = mean cross-entropy -log P[i, y_i] + (l2/2) sum ||W||^2 (biases not penalized)."""
        X = self._inputs(X)
        y, l2 = _labels(y, self.sizes[-1], len(X)), _l2(l2)
        return _cross_entropy(self._forward(X)[0], y) + self._penalty(l2)

    def _penalty(self, l2):
        if l2 == 0:
            return 0.0
        return 0.5 * l2 * float(sum(np.sum(W.astype(np.float64) ** 2) for W in self.weights))

    # --- backward ------------------------------------------------------------------------
    def backward(self, P, activations, y, l2=0.0):
        """Gradients [dW1, db1, dW2, db2, ...] of J by the chain rule (module docstring)."""
        P = validate.array("P", P, shape=("m", self.sizes[-1]), dtype=None)
        if not (isinstance(activations, (list, tuple)) and len(activations) == len(self.sizes) - 1):
            raise ValueError(f"activations must be the list of {len(self.sizes) - 1} arrays that "
                             f"forward returns, got {validate._show(activations)}")
        activations = [validate.array("activations", A, dtype=None) for A in activations]
        shapes = [(len(P), n) for n in self.sizes[:-1]]
        if [A.shape for A in activations] != shapes:
            raise ValueError(f"activations must have shapes {shapes} (one row per row of P), "
                             f"got {[A.shape for A in activations]}")
        return self._backward(P, activations, _labels(y, self.sizes[-1], len(P)), _l2(l2))

    def _backward(self, P, activations, y, l2):
        m = len(y)
        dZ = P.copy()
        dZ[np.arange(m), y] -= 1.0          # P - Y without building the one-hot matrix
        dZ /= m
        grads = [None] * len(self.params)
        for l in range(len(self.params) // 2 - 1, -1, -1):
            W, A_prev = self.params[2 * l], activations[l]
            grads[2 * l] = A_prev.T @ dZ + l2 * W if l2 else A_prev.T @ dZ
            grads[2 * l + 1] = dZ.sum(axis=0)
            if l > 0:
                dA = dZ @ W.T
                if self.activation == "relu":
                    dZ = dA * (A_prev > 0)
                else:
                    dZ = dA * A_prev * (1.0 - A_prev)
        return grads

    def gradients(self, X, y, l2=0.0):
        """The cost J and its gradients on (X, y): one forward pass and one backward pass."""
        X = self._inputs(X)
        y, l2 = _labels(y, self.sizes[-1], len(X)), _l2(l2)
        P, activations = self._forward(X)
        return _cross_entropy(P, y) + self._penalty(l2), self.backward(P, activations, y, l2)

    def __repr__(self):
        return (f"Network({self.sizes}, activation={self.activation!r}, "
                f"{count_parameters(self.sizes):,} parameters, {self.dtype.name})")


def _labels(y, n_classes, m):
    y = validate.array("y", y, dtype=None)
    if (y.shape != (m,) or not np.issubdtype(y.dtype, np.integer)
            or m and (y.min() < 0 or y.max() >= n_classes)):
        raise ValueError(f"y must hold {m} integer labels in [0, {n_classes - 1}], "
                         f"got {validate._show(y)}")
    return y


def _l2(l2):
    return validate.number("l2", l2, low=0.0, high=1e6)   # larger squares overflow


def _cross_entropy(P, y):
    """Mean cross-entropy with ``course.losses`` (probabilities clipped at 1e-12 before the log);
    inf when P is not finite (a diverged network), so the caller can say so."""
    if not np.isfinite(P).all():
        return float("inf")
    return losses.cost(losses.cross_entropy(y, P))


def gradient_check(net, X, y, l2=0.0, eps=1e-6, per_array=None, seed=0):
    """Largest relative error between backprop and central finite differences, in float64.

    For each parameter array, numeric dJ/dw = (J(w + eps) - J(w - eps)) / (2 eps) entry by entry,
    then ``|| backprop - numeric || / (|| backprop || + || numeric ||)``; the maximum over the
    arrays is returned. Below 1e-7 the backpropagation is right (a mistake gives 1e-3 or more). ``per_array`` checks
    only that many entries of each array (chosen with ``seed``), for large networks.
    """
    if not isinstance(net, Network):
        raise ValueError(f"net must be a course.nn.Network, got {validate._show(net)}")
    eps = validate.number("eps", eps, low=0.0, high=1.0, low_open=True)
    if per_array is not None:
        per_array = validate.integer("per_array", per_array, 1)
    net64 = net.copy(dtype=np.float64)
    _, grads = net64.gradients(X, y, l2)
    X = np.asarray(X, dtype=np.float64)
    rng = np.random.default_rng(validate.integer("seed", seed, 0))
    worst = 0.0
    for p, g in zip(net64.params, grads):
        flat, gflat = p.reshape(-1), g.reshape(-1)      # views: changing flat changes p
        idx = np.arange(flat.size)
        if per_array is not None and per_array < flat.size:
            idx = rng.choice(flat.size, per_array, replace=False)
        numeric = np.empty(len(idx))
        for k, i in enumerate(idx):
            w = flat[i]
            flat[i] = w + eps
            up = net64.cost(X, y, l2)
            flat[i] = w - eps
            down = net64.cost(X, y, l2)
            flat[i] = w
            numeric[k] = (up - down) / (2 * eps)
        scale = np.linalg.norm(gflat[idx]) + np.linalg.norm(numeric)
        if scale > 0:
            worst = max(worst, float(np.linalg.norm(gflat[idx] - numeric) / scale))
    return worst
