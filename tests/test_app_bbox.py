"""BoundingBoxLoss without a browser: sliders and clicks move the red box; bars show the terms."""
import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent

from course.apps.bbox import BAR_TOP, CARS, BoundingBoxLoss


@pytest.fixture
def app():
    a = BoundingBoxLoss(box_hat=(0.5, 0.5, 0.2, 0.2))
    a.fig.canvas.draw()
    return a


def heights(app):
    return [bar.get_height() for bar in app.bars]


def test_terms_follow_the_formula(app):
    x, y, w, h = CARS[0]
    centre = (x - 0.5) ** 2 + (y - 0.5) ** 2
    size = (w - 0.2) ** 2 + (h - 0.2) ** 2
    np.testing.assert_allclose(heights(app), [centre, size, centre + size])
    assert app.bar_text[2].get_text() == f"{centre + size:.3f}"


def test_moving_the_box_onto_the_car_makes_the_loss_zero(app):
    for slider, v in zip(app.sliders, CARS[0]):
        slider.value = v
    np.testing.assert_allclose(heights(app), 0.0, atol=1e-12)
    np.testing.assert_allclose(app.pred_rect.get_bbox().bounds, app.true_rect.get_bbox().bounds)
    assert "L = 0.0000" in app.readout.value
    assert app.output.outputs == ()


def test_size_slider_changes_only_the_size_term(app):
    before = heights(app)
    app.sliders[2].value = 0.3
    after = heights(app)
    assert after[0] == pytest.approx(before[0])
    assert after[1] != pytest.approx(before[1])
    assert app.pred_rect.get_width() == pytest.approx(0.3)


def test_click_puts_the_centre_there(app):
    px, py = app.axes[0].transData.transform((0.7, 0.3))
    app.fig.canvas.callbacks.process("button_press_event",
                                     MouseEvent("button_press_event", app.fig.canvas, px, py, 1))
    assert [s.value for s in app.sliders[:2]] == pytest.approx([0.7, 0.3])
    np.testing.assert_allclose(np.ravel(app.pred_centre.get_data()), [0.7, 0.3])


def test_large_loss_is_cut_but_written(app):
    for slider, v in zip(app.sliders, (1.0, 0.0, 1.0, 1.0)):
        slider.value = v
    total = float(app.bar_text[2].get_text())
    assert total > BAR_TOP
    assert heights(app)[2] == BAR_TOP


def test_next_image_moves_the_true_box(app):
    app.next_image.click()
    x, y, w, h = CARS[1]
    np.testing.assert_allclose(app.true_rect.get_bbox().bounds, (x - w / 2, y - h / 2, w, h))
    assert app.output.outputs == ()
