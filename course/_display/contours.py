"""Filled contours that follow new data in place, for apps that re-contour on a slider move.

``ax.contourf`` and ``ax.contour`` build a new ContourSet on each call, about 9 ms each for a
120 x 120 grid, two thirds of it bookkeeping around the contouring. :class:`LiveContours`
keeps two collections (the filled bands and thin lines between them) and gives them new paths
from contourpy, the library matplotlib contours with, with the levels (``MaxNLocator``) and band
colours (the colour of each band's middle value) that ``contourf`` would use. It contours with
contourpy's ``serial`` algorithm, all levels in one call, each level's pieces in one array
(``ChunkCombinedCode``): a third quicker than matplotlib's default ``mpl2014``, whose output
comes piece by piece. The pixels are those of ``contourf(..., algorithm=ALGORITHM)``.
"""

import contourpy
import matplotlib as mpl
import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.path import Path
from matplotlib.ticker import MaxNLocator

from course.validate import integer

EMPTY = Path(np.empty((0, 2)))
ALGORITHM = "serial"


def auto_levels(zmin, zmax, n):
    """The levels ``contourf(..., levels=n)`` picks: about n + 1 round numbers over [zmin, zmax],
    with at most one below zmin and one above zmax."""
    levels = MaxNLocator(n + 1, min_n_ticks=1).tick_values(zmin, zmax)
    under = np.nonzero(levels < zmin)[0]
    over = np.nonzero(levels > zmax)[0]
    i0 = under[-1] if len(under) else 0
    i1 = over[0] + 1 if len(over) else len(levels)
    return levels if i1 - i0 < 3 else levels[i0:i1]


def _paths(pieces):
    """One Path per level from contourpy's one-chunk combined output (``None`` when empty)."""
    return [EMPTY if points[0] is None else Path(points[0], codes[0]) for points, codes in pieces]


class LiveContours:
    """Filled bands (zorder ``zorder``, opacity ``fill_alpha``) and thin black lines
    (``zorder + 1``) on ``ax``.

    With ``fill_alpha`` the band colours are blended with the axes' face colour beforehand,
    ``alpha c + (1 - alpha) face``, and drawn opaque: Agg copies opaque pixels instead of
    blending each one, which halves the time of the fill. Nothing under the bands (a grid)
    shows through them.

    ``update(X, Y, Z)`` re-contours the grid values Z at the points (X, Y) with ``n_levels``
    automatic levels; ``artists`` are the two collections (to animate or remove).
    """

    def __init__(self, ax, n_levels, cmap, zorder=0, line_width=0.3, line_alpha=0.35,
                 fill_alpha=None):
        self.n_levels = integer("n_levels", n_levels, 1)
        self.cmap = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
        self.fills = PathCollection([], edgecolors="none", linewidths=0, antialiaseds=False,
                                    zorder=zorder, transform=ax.transData)
        self.fill_alpha, self.face = fill_alpha, np.asarray(mpl.colors.to_rgba(ax.get_facecolor()))
        self.lines = PathCollection([], facecolors="none", edgecolors="k", linewidths=line_width,
                                    alpha=line_alpha, zorder=zorder + 1, transform=ax.transData)
        ax.add_collection(self.fills, autolim=False)
        ax.add_collection(self.lines, autolim=False)

    @property
    def artists(self):
        return (self.fills, self.lines)

    def update(self, X, Y, Z):
        """Contour new values Z (shape of X and Y) and give both collections the new paths."""
        Z = np.asarray(Z, dtype=float)
        zmin, zmax = float(Z.min()), float(Z.max())
        levels = auto_levels(zmin, zmax, self.n_levels)
        contours = contourpy.contour_generator(
            X, Y, Z, name=ALGORITHM, corner_mask=True, chunk_count=1,
            line_type=contourpy.LineType.ChunkCombinedCode,
            fill_type=contourpy.FillType.ChunkCombinedCode)
        bands = levels.copy()
        if bands[0] == zmin:           # as contourf: the lowest band includes the minimum
            bands[0] -= 1
        self.fills.set_paths(_paths(contours.multi_filled(bands)))
        middles = 0.5 * (levels[:-1] + levels[1:])
        colours = self.cmap((middles - levels[0]) / (levels[-1] - levels[0]))   # as Normalize
        if self.fill_alpha is not None:
            colours[:, :3] = self.fill_alpha * colours[:, :3] + (1 - self.fill_alpha) * self.face[:3]
        self.fills.set_facecolor(colours)
        inside = levels[(levels > zmin) & (levels < zmax)]
        self.lines.set_paths(_paths(contours.multi_lines(inside)))
