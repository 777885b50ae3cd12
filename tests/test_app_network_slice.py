"""NetworkSlice without a browser: each view shows its own slice and path, in place, in words."""
import numpy as np
import pytest

from course.apps.network_slice import COST_RANGE, NetworkSlice
from course.data import digits
from course.network_landscape import BATCH_RUNS, PLANES, batch_slices, rise


@pytest.fixture(scope="module")
def views():
    return batch_slices(digits(0), n=11)


@pytest.mark.parametrize("plane", PLANES)
@pytest.mark.parametrize("batch", list(BATCH_RUNS))
def test_each_view_shows_its_slice_and_its_path(views, plane, batch):
    app = NetworkSlice(views)
    contours_before = app.contours.fills
    app.plane.value, app.batch.value = plane, batch
    s = views[1][batch, plane]
    x, y = app.path.get_data()
    np.testing.assert_allclose(x * s.a[-1], s.path[:, 0])          # the projected path, scaled back
    np.testing.assert_allclose(y * s.b[-1], s.path[:, 1])
    assert np.allclose(app.start.get_xydata()[0], [x[0], y[0]]) and abs(x[-1]) < 1e-9
    assert app.contours.fills is contours_before                    # updated in place
    assert len(app.contours.fills.get_paths()) > 3
    line = app.lines[batch].get_ydata()
    np.testing.assert_allclose(line, np.clip(s.cost[len(s.b) // 2], *COST_RANGE))
    assert app.lines[batch].get_alpha() == 1.0
    text = app.alt.value
    assert f"batches of {BATCH_RUNS[batch][0]}" in text and f"{s.cost.min():.3f}" in text
    if plane == "random":
        assert f"{rise(s, 0.5):.3f}" in text
    assert app.last_error is None and app.output.outputs == ()


def test_the_random_plane_shows_the_whole_path_only_on_the_pca_plane(views):
    """In 2,410 dimensions two random directions are almost orthogonal to the path, so it
    projects near the centre; the PCA plane spreads it over the grid."""
    for batch in BATCH_RUNS:
        random_path = views[1][batch, "random"].path
        pca = views[1][batch, "pca"]
        assert np.abs(random_path).max() < 0.5
        assert np.abs(pca.path[:, 0]).max() == pytest.approx(pca.a[-1] / 1.25)


def test_the_figure_fits_900_pixels(views):
    app = NetworkSlice(views)
    width, _ = app.fig.canvas.get_width_height()
    assert width <= 900
