"""BatchesApp: a data set shuffled and cut into mini-batches, epoch after epoch.

Left: the houses (floor area, price); the current mini-batch in red, the houses already used in
this epoch in grey, those still waiting in blue. Right: one row per epoch, the shuffled order of
the examples (each colour one house), cut into batches by white lines; the red frame is the
batch of the current step. An epoch has ceil(n / b) steps; the last batch holds n - (steps-1) b.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from course import plots
from course._display.layers import draw_axis_label, draw_ticks
from course.apps.base import App, Player, set_value, step
from course.data import batch_sizes, house_prices

N_MAX = 64
EPOCHS = 4
USED = "#bbbbbb"


class BatchesApp(App):
    """Examples and batch-size sliders; Step / Play walk through the mini-batches."""

    def __init__(self, n=24, batch_size=5, seed=0):
        super().__init__(width=8.8, height=3.8, ncols=2, gridspec_kw={"width_ratios": [1, 1.5]})
        style = {"description_width": "initial"}
        self.houses = house_prices(m=N_MAX, seed=seed)
        self.seed = seed
        self.n_slider = widgets.IntSlider(value=n, min=4, max=N_MAX, description="examples m",
                                          style=style)
        self.b_slider = widgets.IntSlider(value=batch_size, min=1, max=N_MAX,
                                          description="batch size b", style=style)
        self.readout = widgets.HTML()
        self.player = Player(self, self._on_step, self._on_reset, max_steps=EPOCHS * N_MAX)
        self._build_axes()
        self.observe(self.n_slider, self._on_n)
        self.observe(self.b_slider, lambda _c: self.player.reset())
        self._on_n(None)
        self.layout(widgets.HBox([self.n_slider, self.b_slider]), self.player.widget, self.readout,
                    header=widgets.HTML("<b>Mini-batches and epochs.</b> Press Step: each step "
                                        "uses one batch. After the last batch of an epoch the "
                                        "data is shuffled again."))

    # --- state ------------------------------------------------------------------------------
    @property
    def n(self):
        return int(np.clip(self.n_slider.value, 4, N_MAX))

    @property
    def batch_size(self):
        return int(np.clip(self.b_slider.value, 1, self.n))

    @property
    def sizes(self):
        return batch_sizes(self.n, self.batch_size)

    def position(self, k):
        """(epoch, batch) of step k = 1, 2, ... (both counted from 0)."""
        return divmod(k - 1, len(self.sizes))

    def batch(self, k):
        """Example indices used at step k."""
        epoch, j = self.position(k)
        start = j * self.batch_size
        return self.orders[epoch, start:start + self.sizes[j]]

    # --- figure -----------------------------------------------------------------------------
    def _build_axes(self):
        ax, ax_e = self.axes
        h = self.houses
        kw = dict(ls="none", marker="o", ms=6, mec="white", mew=0.5)
        self.waiting, = ax.plot([], [], color=plots.TRUTH, label="waiting", **kw)
        self.used, = ax.plot([], [], color=USED, label="used this epoch", **kw)
        self.current, = ax.plot([], [], color=plots.MODEL, label="current batch", **dict(kw, ms=8))
        ax.set(xlim=(30, 230), ylim=(h.y.min() - 60, h.y.max() + 60), xlabel=h.x_label,
               ylabel=h.y_label, title="The data set")
        ax.legend(loc="upper left", fontsize=8)
        # One cell per example and epoch, for every n at once: the columns from n on lie right of
        # the x limits. (A mesh of cells draws in a fraction of the time of resampling an image.)
        self.cells = ax_e.pcolormesh(np.arange(N_MAX + 1) - 0.5, np.arange(EPOCHS + 1) - 0.5,
                                     np.zeros((EPOCHS, N_MAX)), cmap="viridis", vmin=0, vmax=1,
                                     antialiased=False, zorder=0)
        ax_e.set_ylim(EPOCHS - 0.5, -0.5)                       # epoch 1 on top
        ax_e.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))   # few labels: text costs
        self.cuts = LineCollection([], colors="white", linewidths=2.5, zorder=2)
        ax_e.add_collection(self.cuts)
        self.frame = Rectangle((0, 0), 1, 1, fill=False, ec=plots.MODEL, lw=2.5, zorder=3)
        ax_e.add_patch(self.frame)
        ax_e.set_yticks(range(EPOCHS), [f"epoch {e + 1}" for e in range(EPOCHS)])
        ax_e.set(xlabel="position in the shuffled order (colour = which house)",
                 title="Shuffle, then cut into batches")
        ax_e.grid(False)
        self.animate(self.waiting, self.used, self.current, self.cuts, self.frame)
        # A new n changes the orders and the x ticks below them: drawn over a cached image of the
        # rest (the spines too, which the cells would otherwise cover). See _draw_slow.
        self.animate(self.cells, ax_e.xaxis, *ax_e.spines.values(), slow=True)
        self._new_orders = False

    def _on_draw(self, event):
        """After a full draw (which leaves out the slow layer): the x axis's label goes into the
        cached image of the rest (new ticks do not move it), then the layers as usual."""
        draw_axis_label(self.axes[1].xaxis, self.fig.canvas.get_renderer())
        super()._on_draw(event)

    def _draw_slow(self):
        """The orders, the x ticks without the axis label (drawing text is what costs), the
        spines, in this order (their zorder), over the cached image of the rest."""
        canvas, renderer = self.fig.canvas, self.fig.canvas.get_renderer()
        canvas.restore_region(self._static)
        self.cells.draw(renderer)
        draw_ticks(self.axes[1].xaxis, renderer)
        self._background = canvas.copy_from_bbox(self.fig.bbox)

    def _on_n(self, _change):
        n = self.n
        rng = np.random.default_rng(self.seed)
        self.orders = np.array([rng.permutation(n) for _ in range(EPOCHS)])
        colours = np.zeros((EPOCHS, N_MAX))
        colours[:, :n] = self.orders / max(n - 1, 1)
        self.cells.set_array(colours)
        self.axes[1].set_xlim(-0.5, n - 0.5)
        self._new_orders = True     # the reset's refresh draws them (one frame)
        self.player.reset()

    def _on_reset(self):
        self.player.max_steps = self.player.play.max = EPOCHS * len(self.sizes)
        ends = np.cumsum(self.sizes)[:-1] - 0.5
        self.cuts.set_segments([[(e, -0.5), (e, EPOCHS - 0.5)] for e in ends])
        self.update(0)

    def _on_step(self, k):
        self.update(min(k, self.player.max_steps))

    def update(self, k):
        """Show the state after step k (0: before the first step)."""
        x, y, n, sizes = self.houses.x, self.houses.y, self.n, self.sizes
        if k == 0:
            used, current = np.array([], int), np.array([], int)
            self.frame.set_visible(False)
            text = "Press Step to take the first mini-batch."
        else:
            epoch, j = self.position(k)
            start = j * self.batch_size
            used = self.orders[epoch, :start]
            current = self.batch(k)
            self.frame.set_visible(True)
            self.frame.set_bounds(start - 0.5, epoch - 0.5, len(current), 1)
            text = (f"Step {k}: epoch {epoch + 1}, batch {j + 1} of {len(sizes)} "
                    f"({len(current)} examples).")
        waiting = np.setdiff1d(np.arange(n), np.concatenate([used, current]))
        for line, idx in ((self.waiting, waiting), (self.used, used), (self.current, current)):
            line.set_data(x[idx], y[idx])
        rest = f" + {sizes[-1]}" if sizes[-1] != sizes[0] else ""
        full = len(sizes) - (1 if rest else 0)
        self.readout.value = (f"m = {n}, b = {self.batch_size}: <b>{len(sizes)}</b> steps per epoch "
                              f"= ceil({n}/{self.batch_size}) ({full} × {sizes[0]}{rest}). {text}")
        self.refresh(slow=self._new_orders)
        self._new_orders = False


def bench_cases():
    """Slider moves and steps, for ``make bench``."""
    return [
        ("BatchesApp: batch size", BatchesApp, [set_value("b_slider", v) for v in [3, 4, 7, 8, 12, 16, 2, 6] * 4]),
        ("BatchesApp: step", BatchesApp, [step] * 32),
        ("BatchesApp: examples n (new orders and x axis)", BatchesApp,
         [set_value("n_slider", v) for v in (25, 26, 27, 26)]),
    ]
