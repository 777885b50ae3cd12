"""Lesson 9's self-checks accept the right answer, refuse the near misses, wait for None."""
import pytest

from course.checks import collected
from course.checks import inside_network as check

CASES = [(check.scaled_lr, 0.4, [0.1, 0.2, 0.8, 1.6]),
         (check.clipped_step, 1.0, [4.0, 0.5, 2.0, 0.25]),
         (check.filter_scale, 0.25, [4.0, 3.0, 12.0, 36.0])]


@pytest.mark.parametrize("fn, right, wrong", CASES)
def test_right_wrong_and_unanswered(fn, right, wrong):
    with collected() as results:
        assert fn(right) is True
        assert not any(fn(w) for w in wrong)
        assert fn(None) is False
    assert results[-1][0] is None and all(status is False for status, _ in results[1:-1])
