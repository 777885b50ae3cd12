"""For the tests of the apps with a "houses m" slider (CostLandscape, GradientDescentLab)."""
import numpy as np


def check_one_more_house_moves_no_other(app, m):
    """m + 1 houses on the slider are the m houses shown before, plus one."""
    app.m.value = m
    before = app.points.get_offsets().copy()
    app.m.value = m + 1
    after = app.points.get_offsets()
    assert len(before) == m and len(after) == m + 1
    np.testing.assert_array_equal(after[:m], before)
