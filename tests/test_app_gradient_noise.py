"""GradientNoiseApp without a browser: the cloud, the variance law, dragging."""
import numpy as np
from matplotlib.backend_bases import MouseEvent

from course import batch_experiments as bx
from course.apps.gradient_noise import LR, SAMPLES, SIZES, GradientNoiseApp


def press(app, kind, w, b):
    ax = app.axes[0]
    px, py = ax.transData.transform((w, b))
    canvas = app.fig.canvas
    canvas.callbacks.process(kind, MouseEvent(kind, canvas, px, py, 1))


def test_cloud_is_centred_on_the_full_step_and_shrinks_with_b():
    app = GradientNoiseApp(batch_size=1)
    end = app.full_end.get_xydata()[0]
    spreads = []
    for b in (1, 4, 16):
        app.b_slider.value = b
        cloud = app.cloud.get_offsets()
        assert cloud.shape == (SAMPLES, 2)
        spreads.append(np.mean(np.sum((cloud - end) ** 2, axis=1)))
        # the cloud's mean is the full step, up to the sampling error
        assert np.linalg.norm(cloud.mean(axis=0) - end) < 4 * np.sqrt(spreads[-1] / SAMPLES)
    assert spreads[0] > 3 * spreads[1] > 9 * spreads[2]
    # measured spread of the step cloud is lr^2 times the gradient noise, near the formula
    G = bx.per_example_gradients(app.houses.x, app.houses.y, app.point)
    np.testing.assert_allclose(spreads[2] / LR**2, bx.noise_variance(G, 16), rtol=0.25)
    assert app.output.outputs == ()


def test_full_batch_has_no_noise_and_replacement_switch():
    app = GradientNoiseApp()
    app.b_slider.value = 50
    cloud = app.cloud.get_offsets()
    np.testing.assert_allclose(cloud, np.tile(app.full_end.get_xydata()[0], (SAMPLES, 1)), atol=1e-9)
    assert "no noise" in app.readout.value
    assert len(app.current.get_xdata()) == 0
    app.replace_box.value = True
    assert "with replacement" in app.readout.value
    assert np.ptp(app.cloud.get_offsets()[:, 0]) > 0
    ratio = app.measured.get_ydata()
    np.testing.assert_allclose(ratio, 1.0 / SIZES, rtol=0.3)
    assert app.output.outputs == ()


def test_drag_moves_the_point_and_ignores_other_axes():
    app = GradientNoiseApp()
    w0, b0 = app.landscape.least_squares
    press(app, "button_press_event", w0 + 20, b0 - 50)
    np.testing.assert_allclose(app.point, [w0 + 20, b0 - 50], rtol=1e-6)
    press(app, "motion_notify_event", w0 - 30, b0 + 40)
    np.testing.assert_allclose(app.point, [w0 - 30, b0 + 40], rtol=1e-6)
    np.testing.assert_allclose(app.dot.get_xydata()[0], app.point)
    press(app, "button_release_event", w0, b0)
    press(app, "motion_notify_event", w0 + 5, b0 + 5)       # no button held: nothing moves
    np.testing.assert_allclose(app.point, [w0 - 30, b0 + 40], rtol=1e-6)
    # at the minimum the full gradient vanishes: the blue step has length zero
    press(app, "button_press_event", w0, b0)
    (x0, x1), (y0, y1) = app.full.get_data()
    assert abs(x1 - x0) < 1 and abs(y1 - y0) < 1
    assert app.output.outputs == ()
