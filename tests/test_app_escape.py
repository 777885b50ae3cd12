"""EscapeApp without a browser: 200 runs per batch size, their histogram and the Goldilocks bars."""
import numpy as np

from course import batch_experiments as bx
from course.apps.escape import BATCH_SIZES, EscapeApp


def test_runs_and_results_for_every_batch_size():
    app = EscapeApp()
    assert set(app.runs) == set(BATCH_SIZES)
    for b, W in app.runs.items():
        assert W.shape == (301, 200)
        assert app.results[b] == bx.outcomes(app.curves, W[-1])
    assert app.results[64]["trapped"] == 1.0     # gradient descent stays in the local minimum
    best = max(BATCH_SIZES, key=lambda b: app.results[b]["settled"])
    assert 1 < best < 64
    assert app.output.outputs == ()


def test_sliders_move_dots_and_histogram():
    app = EscapeApp()
    app.b_slider.value = 64
    x = app.dots.get_xdata()
    np.testing.assert_allclose(x, app.runs[64][-1])
    assert np.sum(app.hist.get_data().values) == 200
    assert "100% trapped" in app.readout.value and "plain gradient descent" in app.readout.value
    app.k_slider.value = 0
    np.testing.assert_allclose(app.dots.get_xdata(), -1.5)
    np.testing.assert_allclose(app.dots.get_ydata(), app.curves.cost(np.full(200, -1.5)))
    app.b_slider.value = 8
    app.k_slider.value = 300
    assert f"<b>{app.results[8]['settled']:.0%}</b> settled" in app.readout.value
    assert app.marker.get_xdata()[0] == BATCH_SIZES.index(8)
    app.k_slider.value = 10_000                    # any value a visitor could send: clamped
    assert app.output.outputs == ()
