"""course._display.contours: live contours draw the same pixels as contourf + contour, and follow new data."""
import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.backends.backend_agg import FigureCanvasAgg

from course import landscapes, plots
from course._display.contours import ALGORITHM, LiveContours, auto_levels


def _pixels(land, Z_of, live, n_levels=18, fill_alpha=None):
    fig = Figure(figsize=(4, 3), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0.1, 0.1, 0.8, 0.8])
    ax.set_xlim(*land.bounds[0])
    ax.set_ylim(*land.bounds[1])
    X, Y, P = plots.grid(land.bounds, 120)
    Z = Z_of(land.value(P))
    if live:
        contours = LiveContours(ax, n_levels, plots.LANDSCAPE_CMAP, fill_alpha=fill_alpha)
        contours.update(X, Y, Z + 5.0)      # first other data, then the data compared
        contours.update(X, Y, Z)
    else:
        ax.contourf(X, Y, Z, levels=n_levels, cmap=plots.LANDSCAPE_CMAP, zorder=0, alpha=fill_alpha,
                    algorithm=ALGORITHM)
        ax.contour(X, Y, Z, levels=n_levels, colors="k", linewidths=0.3, alpha=0.35, zorder=1,
                   algorithm=ALGORITHM)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("name, Z_of", [("rosenbrock", lambda v: np.log10(v + 1.0)),
                                        ("himmelblau", lambda v: v),
                                        ("ill-conditioned", lambda v: v)])
def test_same_pixels_as_contourf_and_contour(name, Z_of):
    land = landscapes.get(name)
    assert (_pixels(land, Z_of, live=True) == _pixels(land, Z_of, live=False)).all()


def test_see_through_bands_are_blended_beforehand_to_within_a_rounding():
    """Inside each band, the pre-blended opaque colour is Agg's blend (to 1 level of rounding).
    On the band edges contourf's see-through bands overlap and blend twice (a dark seam,
    under the contour lines); the opaque bands have no seam."""
    land = landscapes.get("ill-conditioned")
    live = _pixels(land, lambda v: v, live=True, fill_alpha=0.6).astype(int)
    drawn = _pixels(land, lambda v: v, live=False, fill_alpha=0.6).astype(int)
    opaque = _pixels(land, lambda v: v, live=True).astype(int)
    same = np.ones(live.shape[:2], dtype=bool)        # pixels whose 8 neighbours share their colour
    inner = live[1:-1, 1:-1]
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            shifted = live[1 + dy:live.shape[0] - 1 + dy, 1 + dx:live.shape[1] - 1 + dx]
            same[1:-1, 1:-1] &= (shifted == inner).all(axis=2)
    same[[0, -1], :] = same[:, [0, -1]] = False
    assert same.mean() > 0.5
    assert np.abs(live - drawn)[same].max() <= 1    # Agg's 8-bit blend against ours in floats
    assert np.abs(live - opaque)[same].max() > 20   # the alpha does change the picture


def test_levels_are_contourfs():
    land = landscapes.get("himmelblau")
    X, Y, P = plots.grid(land.bounds, 50)
    Z = land.value(P)
    fig = Figure()
    cs = fig.add_subplot().contourf(X, Y, Z, levels=7)
    np.testing.assert_array_equal(auto_levels(Z.min(), Z.max(), 7), cs.levels)


def test_bad_level_count_is_refused():
    with pytest.raises(ValueError, match="n_levels"):
        LiveContours(Figure().add_subplot(), 0, plots.LANDSCAPE_CMAP)
