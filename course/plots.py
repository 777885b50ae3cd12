"""Shared look of every figure in the course: one palette, one way to make a figure.

Colours (the same in every notebook):
    TRUTH  blue : the ground truth (the line that made the data, its parameters)
    MODEL  red  : the model, the current parameters, the student's point
    OPTIMIZER_COLORS : one fixed colour per optimizer (and OPTIMIZER_MARKERS a shape each)
"""
import base64
import io
import os
import re
import unicodedata
from html import escape

import matplotlib.pyplot as plt
import numpy as np
from ipywidgets import DOMWidget
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import ScaledTranslation

from course._display.canvas import new_canvas, render_ahead

TRUTH = "#1f77b4"
MODEL = "#d62728"
MINIMUM = "#ffffff"
NEUTRAL = "#555555"
GOOD = "#2ca02c"
WARN = "#ff7f0e"
LANDSCAPE_CMAP = "YlGn_r"
# Chosen to stay apart (CIEDE2000 >= 10 between every two, and from the model's red)
# for readers with protanopia, deuteranopia or tritanopia as well, and to keep 3:1 contrast
# on white (WCAG 1.4.11, graphics): tests/test_palette.py simulates and measures them.
OPTIMIZER_COLORS = {
    "SGD": "#444444",
    "Momentum": "#d27800",
    "Nesterov": "#632c16",
    "Adagrad": "#c32c87",
    "RMSprop": "#9467bd",
    "Adam": "#332288",
}
# A marker shape per optimizer as well, so that colour is never the only cue (and the same
# shape as a character, for keys written in HTML).
OPTIMIZER_MARKERS = {"SGD": "o", "Momentum": "s", "Nesterov": "D", "Adagrad": "^",
                     "RMSprop": "v", "Adam": "P"}
OPTIMIZER_SYMBOLS = {"SGD": "&#9679;", "Momentum": "&#9632;", "Nesterov": "&#9670;",
                     "Adagrad": "&#9650;", "RMSprop": "&#9660;", "Adam": "&#10010;"}
STYLE = {
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "legend.fontsize": 9,
    "legend.framealpha": 0.85,
}


def new_figure(width=8.0, height=3.6, dpi=100, ncols=1, nrows=1, **subplot_kw):
    """A figure drawn by an ipympl canvas widget, and its axes.

    The figure is made under ``plt.ioff()`` and is not registered with pyplot, so it is shown
    only where an app places ``fig.canvas`` and is freed with the app. The course style is applied
    to this figure only; global rcParams are never changed.
    """
    with plt.ioff(), plt.rc_context(STYLE):
        fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
        canvas = new_canvas(fig)     # ipympl's canvas widget, made faster where it can be
        axes = fig.subplots(nrows, ncols, squeeze=False, **subplot_kw)
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.toolbar_visible = False
    canvas.resizable = False
    canvas.capture_scroll = False
    # ipympl re-encodes the whole image into a data URL on every frame until a browser says it
    # is there; the browser asks for a fresh frame when it connects, so that copy is not needed.
    canvas.syncing_data_url = False
    if os.environ.get("VOILA_PREHEAT") == "True":
        render_ahead(fig)
    axes = axes.ravel()
    return fig, (axes[0] if len(axes) == 1 else list(axes))


def show_still(fig, alt=None):
    """Show ``fig`` as a plain PNG image, for a figure that nothing changes after its cell.

    An image comes with the page; a canvas widget (``fig.canvas``) waits for the kernel to send
    its first frame, and each one a dashboard waits for delays its start. The figure's canvas
    widget (:func:`new_figure` made one) is closed, so its model is not sent to the browser.
    The image carries a text alternative: ``alt``, or by default :func:`describe`'s words.
    """
    from IPython.display import display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = describe(fig) if alt is None else alt
    # an <img> with its alt (JupyterLab and Voila show an image/png output without one); the
    # PNG is not sent a second time as image/png, which would double the page's image bytes
    display({"text/html": f'<img src="data:image/png;base64,{png}" alt="{escape(alt)}">',
             "text/plain": alt}, raw=True)
    if isinstance(fig.canvas, DOMWidget):
        fig.canvas.close()


def describe(fig):
    """A figure in words, for its text alternative: per panel its title, what is plotted against
    what (the axis labels) and its legend's entries."""
    parts = [plain_text(fig.get_suptitle())] if fig.get_suptitle() else []
    for ax in fig.axes:
        words = [plain_text(ax.get_title())] if ax.get_title() else []
        x, y = plain_text(ax.get_xlabel()), plain_text(ax.get_ylabel())
        if x and y:
            words.append(f"{y} against {x}")
        legend = ax.get_legend()
        if legend is not None:
            words.append("showing " + "; ".join(plain_text(t.get_text()) for t in legend.get_texts()))
        if words:
            parts.append(", ".join(words))
    return "Figure: " + ". ".join(parts) + "." if parts else "Figure."


_SYMBOLS = {"approx": "≈", "nabla": "∇", "cdot": "·", "times": "×", "le": "≤", "ge": "≥", "to": "→"}


def plain_text(text):
    """Matplotlib's mathtext as plain text: ``$``, braces and backslashes dropped, Greek letters
    and a few symbols as their characters (``r"$\\eta \\approx 0.1$"`` gives ``"η ≈ 0.1"``)."""
    def symbol(match):
        name = match.group(1)
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        try:
            return unicodedata.lookup(f"GREEK {'CAPITAL' if name[0].isupper() else 'SMALL'} LETTER {name.upper()}")
        except KeyError:
            return name
    return re.sub(r"[${}]", "", re.sub(r"\\([A-Za-z]+)", symbol, text)).strip()


def styled(ax):
    """Apply the course style to axes made outside :func:`new_figure`."""
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.grid(True, alpha=STYLE["grid.alpha"])
    return ax


def grid(bounds, n=200):
    """Mesh of n x n points over 2-D bounds ((x0, x1), (y0, y1)): X, Y and P of shape (n, n, 2)."""
    (x0, x1), (y0, y1) = bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return X, Y, np.stack([X, Y], axis=-1)


def contour_landscape(ax, landscape, n=200, levels=25, log=False, cmap=LANDSCAPE_CMAP,
                      bounds=None, show_minima=True):
    """Filled contours of a 2-D landscape's value over its bounds; returns the contour set.

    With ``log=True`` the levels are spaced evenly in log(value - min + 1), which shows deep
    narrow valleys such as Rosenbrock's.
    """
    bounds = landscape.bounds if bounds is None else bounds
    X, Y, P = grid(bounds, n)
    Z = landscape.value(P)
    if log:
        floor = landscape.min_value if landscape.min_value is not None else Z.min()
        Z = np.log10(Z - floor + 1.0)
    cs = ax.contourf(X, Y, Z, levels=levels, cmap=cmap, alpha=0.9, zorder=0)
    ax.contour(X, Y, Z, levels=levels, colors="k", linewidths=0.3, alpha=0.35, zorder=1)
    if show_minima:
        for m in landscape.minima:
            ax.plot(*m.point, marker="*" if m.kind == "global" else "x", ms=11 if m.kind == "global" else 7,
                    color=MINIMUM, mec="k", mew=0.8, ls="none", zorder=3)
    ax.set_xlim(*bounds[0])
    ax.set_ylim(*bounds[1])
    return cs


def legend_below(ax, gap=31, **kwargs):
    """``ax.legend(**kwargs)`` under the axes' x label, outside the data area: no line, marker
    or path of the axes can run through its text, wherever the data go. ``gap`` (points) clears
    the tick labels and the x label; the constrained layout makes room for the legend."""
    under = ax.transAxes + ScaledTranslation(0, -gap / 72, ax.figure.dpi_scale_trans)
    return ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0), bbox_transform=under,
                     frameon=False, **kwargs)


def line_key(label, colour, lw=1.8, marker=None):
    """A legend entry for a line of ``colour`` (with ``marker``, if given; a handle for
    ``ax.legend(handles=...)``), shown even while the line itself is hidden."""
    return Line2D([], [], color=colour, lw=lw, label=label, marker=marker, mec="k")


# ---------------------------------------------------------------- the house-price figures
# Lessons 1 and 2 (CostLandscape, GradientDescentLab) draw house prices in one fixed view,
# centred on the true line y = 3 x + 50, so that resampling moves the minimum, not the axes.
HOUSE_AREA = (0.0, 240.0)                    # floor area x (m²)
HOUSE_PRICE = (-100.0, 900.0)                # price y (thousands)
HOUSE_WB = ((-1.0, 7.0), (-450.0, 550.0))    # slope w (thousands per m²), intercept b (thousands)
HOUSE_LEVELS = 18                            # contour levels of the cost J(w, b)


def log_levels(landscape, bounds, n=80):
    """Grid (W, B) over ``bounds`` and the cost there as log10(J - J_min + 1), for even contours."""
    W, B, P = grid(bounds, n)
    return W, B, np.log10(landscape.value(P) - landscape.min_value + 1.0)


def text_color(colour, contrast=4.5):
    """``colour`` (``"#rrggbb"``) for text on white: darkened towards black, same hue, just until its
    contrast ratio on white reaches ``contrast`` (WCAG 2.1 AA for text: 4.5); unchanged if it does.

    Contrast ratio (WCAG 2.1) = (1.05) / (L + 0.05), L the colour's relative luminance."""
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]

    def luminance(channels):
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for scale in np.arange(1.0, 0.0, -0.01):
        channels = [round(c * scale) for c in rgb]
        if 1.05 / (luminance(channels) + 0.05) >= contrast:
            return "#" + "".join(f"{c:02x}" for c in channels)
    return "#000000"
