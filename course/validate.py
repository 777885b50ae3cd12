"""Argument checks shared by the whole package.

Each returns the value (as int, float or float array) or raises ValueError naming the
argument, the allowed range and the value it got, e.g. ``lr must be a finite number > 0,
got -1``. Sizes are bounded too: a loop runs at most ``MAX_STEPS`` steps and one call
allocates at most ``MEMORY_LIMIT`` bytes, so a typo such as ``steps=10**9`` fails at once
instead of running for hours or exhausting the memory.
"""
import numbers

import numpy as np

MAX_STEPS = 10**6
"""The most steps, epochs or runs one call may loop over: about ten seconds of small numpy steps."""

LARGE = 1e150
"""The largest |number| accepted as data: squares of its sums and differences stay finite."""

MEMORY_LIMIT = 2 * 1024**3
"""The most bytes one call may allocate (2 GiB: a Binder session has at most 2 GB)."""


_MAX = float(np.finfo(float).max)     # |value| <= _MAX is False for NaN and inf, and exact for any int


def _show(value):
    """The value given, short enough for a message."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def integer(name, value, low, high=None, high_name=None):
    """An integer (not a bool) in [low, high] (no upper limit when high is None); ``high_name``
    names the argument that sets high, for the message: "in [1, n] = [1, 10]"."""
    ok = (not isinstance(value, bool) and isinstance(value, numbers.Integral) and value >= low
          and (high is None or value <= high))
    if not ok:
        allowed = f"in [{low}, {high}]" if high is not None else f">= {low}"
        if high_name is not None:
            allowed = f"in [{low}, {high_name}] = [{low}, {high}]"
        raise ValueError(f"{name} must be an integer {allowed}, got {_show(value)}")
    return int(value)


def steps(name, value, low=0):
    """A number of steps, epochs or runs: an integer in [low, MAX_STEPS]."""
    return integer(name, value, low, MAX_STEPS)


def number(name, value, low=None, high=None, low_open=False, high_open=False):
    """A finite real number (not a bool) between low and high, each bound closed unless *_open."""
    ok = (not isinstance(value, bool) and isinstance(value, numbers.Real) and abs(value) <= _MAX
          and (low is None or (value > low if low_open else value >= low))
          and (high is None or (value < high if high_open else value <= high)))
    if not ok:
        if high is None and low is not None:
            allowed = f"{'>' if low_open else '>='} {low:g}"
        elif low is None and high is not None:
            allowed = f"{'<' if high_open else '<='} {high:g}"
        else:
            lo = "-inf" if low is None else f"{low:g}"
            hi = "inf" if high is None else f"{high:g}"
            allowed = f"in {'(' if low_open or low is None else '['}{lo}, {hi}" \
                      f"{')' if high_open or high is None else ']'}"
        raise ValueError(f"{name} must be a finite number {allowed}, got {_show(value)}")
    return float(value) + 0.0     # -0.0 becomes 0.0


def positive(name, value):
    """A finite number > 0 (a learning rate, an eps, a noise level)."""
    return number(name, value, low=0.0, low_open=True)


def learning_rate(name, value):
    """A learning rate: a finite number in (0, 1e6] (larger ones overflow in a few steps)."""
    return number(name, value, low=0.0, high=1e6, low_open=True)


def rate(name, value):
    """A decay rate in [0, 1) (beta, beta1, beta2)."""
    return number(name, value, low=0.0, high=1.0, high_open=True)


def boolean(name, value):
    """True or False (a numpy bool too)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {_show(value)}")
    return bool(value)


def array(name, value, shape=None, limit=LARGE, dtype=float, finite=True):
    """An array of finite real numbers, optionally of a given shape and with every
    |value| <= limit (None: no limit), as ``dtype`` (None: as it came). With ``finite=False``
    NaN and inf pass (and the limit is not applied): the caller checks them.

    ``shape`` is a tuple of sizes: an int is a fixed size, a str names a free one (it appears
    in the message), and a leading ``...`` allows any leading axes: ``("m",)``, ``(..., 2)``.
    """
    try:
        arr = np.asarray(value)
    except ValueError:                       # ragged nested lists
        arr = np.asarray(None)
    if arr.dtype.kind not in "biuf":         # strings, None, objects, complex numbers
        raise ValueError(f"{name} must be an array of real numbers, got {_show(value)}")
    if shape is not None and not _fits(arr.shape, shape):
        dims = ", ".join("..." if s is Ellipsis else str(s) for s in shape)
        dims += "," if len(shape) == 1 else ""
        raise ValueError(f"{name} must have shape ({dims}), got shape {arr.shape}")
    if not finite:
        return arr if dtype is None else arr.astype(dtype, copy=False)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold finite numbers, got {_show(value)} with "
                         f"{np.size(arr) - np.isfinite(arr).sum()} NaN or inf")
    if limit is not None and arr.size and float(np.abs(arr).max()) > limit:
        raise ValueError(f"{name} must hold numbers in [-{limit:g}, {limit:g}], "
                         f"got {np.abs(arr).max():g}")
    return arr if dtype is None else arr.astype(dtype, copy=False)


def _fits(actual, shape):
    """Whether the shape ``actual`` matches ``shape`` (see :func:`array`)."""
    if shape and shape[0] is Ellipsis:
        shape = shape[1:]
        if len(actual) < len(shape):
            return False
        actual = actual[len(actual) - len(shape):]
    if len(actual) != len(shape):
        return False
    for a, s in zip(actual, shape):
        if isinstance(s, int) and a != s:
            return False
    return True


def memory(formula, floats, **sizes):
    """Refuse a call that would allocate ``floats`` 8-byte numbers, more than MEMORY_LIMIT.

    ``formula`` says how the count follows from the arguments (``sizes``), as in
    ``steps * n * d floats = 14.6 TiB, more than the 2 GiB limit (steps=10**9, n=1000, d=2)``.
    """
    if floats * 8 > MEMORY_LIMIT:
        given = ", ".join(f"{k}={v!r}" for k, v in sizes.items())
        raise ValueError(f"{formula} floats = {_bytes(floats * 8)}, more than the "
                         f"{_bytes(MEMORY_LIMIT)} limit ({given}): use smaller sizes")


def _bytes(n):
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.3g} {unit}" if unit != "bytes" else f"{n} bytes"
        n /= 1024
