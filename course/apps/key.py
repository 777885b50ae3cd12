"""Key: a legend made of plain artists (an opaque frame and, per name, a line and the name).

A matplotlib Legend lays its text out several times per draw (three times the cost); these
artists are laid out once, in points from the lower left corner of the axes, and the inside of
the frame is cached per set of names shown.
"""
import math

from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Affine2D, Bbox, ScaledTranslation

PAD, INNER, ROW, HANDLE, GAP = 4, 3, 11, 16, 5     # the layout (points)


class Key:
    """A legend on ``ax`` for ``names`` (each drawn in ``colours[name]``), all hidden at first.

    Its artists (``self.artists``) belong in an app's slow layer, drawn by :meth:`draw`."""

    def __init__(self, ax, names, colours):
        fig = ax.figure
        points = Affine2D().scale(1 / 72) + fig.dpi_scale_trans + ScaledTranslation(0, 0, ax.transAxes)
        self.frame = Rectangle((PAD, PAD), 1, 1, transform=points, facecolor="white",
                               edgecolor="0.8", linewidth=0.8, zorder=5, visible=False)
        ax.add_artist(self.frame)
        self.lines, self.names = {}, {}
        renderer, width = fig.canvas.get_renderer(), 0.0
        for name in names:
            self.lines[name] = Line2D([], [], color=colours[name], lw=1.8, transform=points,
                                      zorder=5, visible=False)
            ax.add_artist(self.lines[name])
            self.names[name] = ax.text(0, 0, name, fontsize=8, va="center", transform=points,
                                       zorder=5)
            width = max(width, self.names[name].get_window_extent(renderer).width)
            self.names[name].set_visible(False)
        self.width = 2 * INNER + HANDLE + GAP + width * 72 / fig.dpi
        self.artists = [self.frame, *self.lines.values(), *self.names.values()]
        self.shown = None
        self.cache = {}         # tuple of names shown -> the pixels inside the frame

    def show(self, shown):
        """One row per name in ``shown``, top to bottom (nothing when ``shown`` is empty)."""
        if shown == self.shown:
            return
        self.shown = shown
        self.frame.set_visible(bool(shown))
        self.frame.set_width(self.width)
        self.frame.set_height(2 * INNER + ROW * len(shown))
        x = PAD + INNER
        for name in self.lines:
            on = name in shown
            self.lines[name].set_visible(on)
            self.names[name].set_visible(on)
            if on:
                y = PAD + INNER + ROW * (len(shown) - shown.index(name) - 0.5)
                self.lines[name].set_data([x, x + HANDLE], [y, y])
                self.names[name].set_position((x + HANDLE + GAP, y))

    def draw(self, renderer):
        """Draw the frame, then its inside from the cache (drawn and cached the first time for
        these names). The key is opaque: its inside is the same over anything under it."""
        if not self.shown:
            return
        canvas = self.frame.figure.canvas
        self.frame.draw(renderer)
        shown = tuple(self.shown)
        if shown in self.cache:
            canvas.restore_region(self.cache[shown])
            return
        for name in self.shown:
            self.lines[name].draw(renderer)
            self.names[name].draw(renderer)
        self.cache[shown] = canvas.copy_from_bbox(_inside(self.frame))


def _inside(artist, inset=2):
    """The whole pixels ``inset`` inside the artist's extent, clear of its antialiased edge."""
    x0, y0, x1, y1 = artist.get_window_extent().extents
    return Bbox.from_extents(math.ceil(x0) + inset, math.ceil(y0) + inset,
                             math.floor(x1) - inset, math.floor(y1) - inset)
