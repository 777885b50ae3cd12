"""NetworkSlice: the training cost of the digits network on a plane through its trained weights.

Left: contours of J(theta* + a d1 + b d2) and the optimizer's path projected on the plane (from
the hollow circle, the initial weights, to the star, the trained ones). The plane is spanned by
two random directions normalised neuron by neuron, or by the path's two principal directions.
Right: the cost along the line b = 0 through the centre, for both batch sizes, so that a flat and
a sharp valley can be compared. Axes are in units of each slice's half-width, so that switching
views only redraws the data; the half-widths are in the caption under the figure.
"""
import ipywidgets as widgets
import numpy as np

from course import plots
from course._display.contours import LiveContours
from course.apps.base import App, set_value
from course.data import digits
from course.network_landscape import BATCH_RUNS, PLANES, batch_slices, rise

PLANE_LABELS = {"random": "random (filter-normalised)", "pca": "PCA of the path"}
BATCH_COLORS = {"small": plots.MODEL, "large": plots.TRUTH}
COST_RANGE = (0.005, 20.0)       # the cross-section's (log) cost axis


class NetworkSlice(App):
    """Choose the plane and the batch size; the contours and the path follow."""

    def __init__(self, views=None, plane="random", batch="small", n=41):
        super().__init__(width=8.8, height=3.8, ncols=2, gridspec_kw={"width_ratios": [1.15, 1]})
        self.paths, self.slices = views if views is not None else batch_slices(digits(0), n=n)
        self.plane = widgets.ToggleButtons(options=[(PLANE_LABELS[p], p) for p in PLANES],
                                           value=plane, description="plane",
                                           style={"button_width": "190px"})
        self.batch = widgets.ToggleButtons(
            options=[(f"{name}: {BATCH_RUNS[name][0]}", name) for name in BATCH_RUNS],
            value=batch, description="batch size", style={"button_width": "110px"})
        self._texts = {}                 # each view's caption, made once
        self._build_axes()
        self.observe(self.plane, lambda _c: self.update())
        self.observe(self.batch, lambda _c: self.update())
        self.update()
        self.layout(widgets.HBox([self.plane, self.batch],
                                 layout=widgets.Layout(flex_flow="row wrap")),
                    header=widgets.HTML("<b>The cost around the trained weights.</b> Pick a plane "
                                        "and the batch size the network was trained with."))

    def _view(self):
        plane = self.plane.value if self.plane.value in PLANES else PLANES[0]
        batch = self.batch.value if self.batch.value in BATCH_RUNS else "small"
        return plane, batch

    # --- figure -----------------------------------------------------------------------------
    def _build_axes(self):
        ax, ax_line = self.axes
        ax.grid(False)
        ax.set(xlim=(-1, 1), ylim=(-1, 1), aspect="equal", xticks=[-1, -0.5, 0, 0.5, 1],
               xlabel="along $d_1$ (× half-width)", ylabel="along $d_2$ (× half-width)")
        self.contours = LiveContours(ax, 16, plots.LANDSCAPE_CMAP)
        self.path, = ax.plot([], [], "-o", color="k", lw=1.2, ms=2.5, zorder=4,
                             label="path (one dot per epoch)")
        self.start, = ax.plot([], [], "o", mfc="white", mec="k", ms=8, zorder=5,
                              label="initial weights")
        self.end, = ax.plot([0], [0], "*", color=plots.MINIMUM, mec="k", ms=14, zorder=6,
                            label="trained weights")
        legend = ax.legend(loc="lower left", fontsize=7, framealpha=1, fancybox=False)
        ax.set_title("Training cost around the trained weights")
        self.lines = {}
        for name in BATCH_RUNS:
            self.lines[name], = ax_line.plot([], [], color=BATCH_COLORS[name], lw=2,
                                             label=f"batch {BATCH_RUNS[name][0]}")
        ax_line.set(xlim=(-1, 1), ylim=COST_RANGE, yscale="log", xticks=[-1, -0.5, 0, 0.5, 1],
                    xlabel="along $d_1$ (× half-width)",
                    ylabel="training cost (log scale)")
        ax_line.legend(loc="upper center", fontsize=8)
        ax_line.set_title("The cost along the line $b = 0$")
        spines = [s for a in self.axes for s in a.spines.values()]
        self.animate(*self.contours.artists, self.path, self.start, self.end,
                     *self.lines.values(), *spines, slow=True)
        self.keep_on_top(legend)

    def update(self):
        """Show the slice of the chosen plane and batch size."""
        plane, batch = self._view()
        s = self.slices[batch, plane]
        half_a, half_b = s.a[-1], s.b[-1]
        A, B = np.meshgrid(s.a / half_a, s.b / half_b)
        self.contours.update(A, B, np.log10(np.clip(s.cost, *COST_RANGE)))
        self.path.set_data(s.path[:, 0] / half_a, s.path[:, 1] / half_b)
        self.start.set_data([s.path[0, 0] / half_a], [s.path[0, 1] / half_b])
        for name, line in self.lines.items():
            other = self.slices[name, plane]
            row = other.cost[np.argmin(np.abs(other.b))]
            line.set_data(other.a / other.a[-1], np.clip(row, *COST_RANGE))
            line.set_alpha(1.0 if name == batch else 0.35)
        self.refresh(slow=True)

    def describe(self):
        """The figure in words: what the slice and the path show, with the numbers."""
        plane, batch = self._view()
        if (batch, plane) not in self._texts:
            self._texts[batch, plane] = self._words(plane, batch)
        return self._texts[batch, plane]

    def _words(self, plane, batch):
        s = self.slices[batch, plane]
        size, lr, epochs = BATCH_RUNS[batch]
        centre = s.cost[np.argmin(np.abs(s.b)), np.argmin(np.abs(s.a))]
        where = ("two random directions, each scaled neuron by neuron to the trained weights' size"
                 if plane == "random" else "the two directions along which the weights moved most")
        text = (f"Training cost of the network trained with batches of {size} (SGD, learning rate "
                f"{lr}, {epochs} epochs) on the plane of {where}. The grid spans ±{s.a[-1]:.3g} along "
                f"d₁ and ±{s.b[-1]:.3g} along d₂. At the trained weights (the star) the cost is "
                f"{centre:.3f}; over the grid it ranges from {s.cost.min():.3f} to {s.cost.max():.3g}. "
                f"The path starts at ({s.path[0, 0]:.3g}, {s.path[0, 1]:.3g}).")
        if plane == "random":
            text += (f" Within half a step of the centre the cost is on average "
                     f"{rise(s, 0.5):.3f} higher than at the centre (batch {BATCH_RUNS['small'][0]}: "
                     f"{rise(self.slices['small', plane], 0.5):.3f}, batch {BATCH_RUNS['large'][0]}: "
                     f"{rise(self.slices['large', plane], 0.5):.3f}).")
        return text


def bench_cases():
    """Switching the plane and the batch size (re-contour, slow layer), for ``make bench``."""
    views = batch_slices(digits(0))

    def make():
        return NetworkSlice(views)

    return [
        ("NetworkSlice: plane", make, [set_value("plane", p) for p in ["pca", "random"] * 8]),
        ("NetworkSlice: batch size", make, [set_value("batch", b) for b in ["large", "small"] * 8]),
    ]
