"""TickLayers: the x ticks of an axes, drawn once per length of the x axis and cached.

For an x axis from 0 to a length that a slider sets: its ticks, their labels and the spines
(:func:`course.apps.base.draw_ticks`) are drawn over a cached image of the rest, and the pixels
kept per length, so a length seen before costs no text (drawing text is what costs).
"""
from matplotlib.transforms import Bbox

from course.apps.base import draw_ticks


class TickLayers:
    """The x-axis layer of ``ax`` per length (its x limits ``(0, length)``)."""

    def __init__(self, ax):
        self.ax = ax
        self.cache = {}         # length -> the pixels of the x ticks, their labels, the spines

    def draw(self, renderer, length):
        """The layer of ``length`` (the current x limits) from the cache, else drawn over what
        is there and cached."""
        canvas = self.ax.figure.canvas
        if length in self.cache:
            canvas.restore_region(self.cache[length])
            return
        draw_ticks(self.ax.xaxis, renderer)
        self.cache[length] = canvas.copy_from_bbox(self._box())

    def draw_ahead(self, renderer, static, length):
        """Draw the layer of ``length`` over the pixels ``static`` into the cache, then leave the
        pixels, the x limits and the figure's staleness as they were."""
        fig = self.ax.figure
        canvas = fig.canvas
        shown, stale, xlim = canvas.copy_from_bbox(fig.bbox), fig.stale, self.ax.get_xlim()
        canvas.restore_region(static)
        self.ax.set_xlim(0, length)
        self.draw(renderer, length)
        self.ax.set_xlim(*xlim)
        canvas.restore_region(shown)
        fig.stale = stale

    def _box(self):
        """Where the x ticks, their labels and the spines are (display)."""
        ax, fig = self.ax.bbox, self.ax.figure.bbox
        return Bbox.from_extents(max(ax.x0 - 40, 0), 0, fig.x1, min(ax.y1 + 2, fig.y1))
