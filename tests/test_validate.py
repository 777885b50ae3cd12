"""course.validate: the messages name the argument, the allowed range and the value."""
import numpy as np
import pytest

from course import validate


def test_memory_gives_the_figure_and_the_limit():
    steps, n, d = 10**9, 1000, 2
    with pytest.raises(ValueError, match=r"^steps \* n \* d floats = 14\.6 TiB, more than the "
                                         r"2 GiB limit \(steps=1000000000, n=1000, d=2\)"):
        validate.memory("steps * n * d", steps * n * d, steps=steps, n=n, d=d)
    validate.memory("n", validate.MEMORY_LIMIT // 8, n=0)      # exactly at the limit: accepted


def test_steps_are_bounded():
    assert validate.steps("steps", validate.MAX_STEPS) == validate.MAX_STEPS
    with pytest.raises(ValueError, match=r"^steps must be an integer in \[0, 1000000\], got 1000001$"):
        validate.steps("steps", validate.MAX_STEPS + 1)


@pytest.mark.parametrize("value, words", [
    ("abc", "x must be an array of real numbers, got 'abc'"),
    ([[1.0, 2.0], [3.0]], "x must be an array of real numbers"),
    ([None, 1.0], "x must be an array of real numbers"),
    (np.ones((3, 7)), r"x must have shape \(\.\.\., 2\), got shape \(3, 7\)"),
    ([1.0, np.nan], "x must hold finite numbers"),
    ([1.0, 1e200], r"x must hold numbers in \[-1e\+150, 1e\+150\], got 1e\+200"),
])
def test_array_names_what_is_wrong(value, words):
    with pytest.raises(ValueError, match=words):
        validate.array("x", value, shape=(..., 2))


def test_array_keeps_or_converts_the_dtype():
    labels = validate.array("y", [0, 2, 1], shape=("m",), dtype=None)
    assert labels.dtype.kind == "i" and validate.array("x", [1, 2]).dtype == float


@pytest.mark.parametrize("value", [2**64, 10**400, float("inf"), float("nan"), True, "1"])
def test_number_refuses_what_is_not_a_finite_float(value):
    with pytest.raises(ValueError, match="^lr must be a finite number"):
        validate.number("lr", value, high=1e6)


def test_integer_can_name_the_argument_behind_its_bound():
    with pytest.raises(ValueError, match=r"^batch_size must be an integer in \[1, n\] = \[1, 10\], got 11$"):
        validate.integer("batch_size", 11, 1, 10, high_name="n")
