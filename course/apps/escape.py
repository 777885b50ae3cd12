"""EscapeApp: can mini-batch noise carry SGD out of a local minimum? 200 seeds per batch size.

Left: the cost J(w) (black), the mean of 64 example curves (a few shown faintly), with its local
minimum on the left and its global minimum on the right; the red dots are the 200 runs at the
chosen step, all started at w = -1.5. Middle: a histogram of where they are. Right: for every
batch size, the share of runs that ended settled at the global minimum, trapped on the left
of the barrier, or escaped but still wandering. All runs are computed once, when the app starts.
"""
import ipywidgets as widgets
import numpy as np

from course import batch_experiments as bx
from course import plots
from course.apps.base import App, set_value

BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64)
BINS = np.linspace(-2.0, 2.0, 41)
OUTCOME_COLORS = {"settled": plots.GOOD, "wandering": plots.WARN, "trapped": plots.NEUTRAL}


class EscapeApp(App):
    """Batch-size and step sliders over precomputed runs of 200 seeds each."""

    def __init__(self, batch_size=8, lr=0.15, steps=300, seeds=200, seed=0):
        super().__init__(width=8.8, height=4.0, ncols=3,
                         gridspec_kw={"width_ratios": [1.35, 1, 1]})
        style = {"description_width": "initial"}
        self.curves = bx.example_curves()
        self.lr, self.steps, self.seeds = lr, steps, seeds
        self.runs = {b: bx.sgd_seeds(self.curves, b, lr=lr, steps=steps, seeds=seeds, seed=seed)
                     for b in BATCH_SIZES}
        self.results = {b: bx.outcomes(self.curves, W[-1]) for b, W in self.runs.items()}
        self.b_slider = widgets.SelectionSlider(options=BATCH_SIZES, value=batch_size,
                                                description="batch size b", style=style)
        self.k_slider = widgets.IntSlider(value=steps, min=0, max=steps, description="after step",
                                          style=style)
        self.readout = widgets.HTML()
        self._build_axes()
        self.observe(self.b_slider, lambda _c: self.update())
        self.observe(self.k_slider, lambda _c: self.update())
        self.update()
        self.layout(widgets.HBox([self.b_slider, self.k_slider]), self.readout,
                    header=widgets.HTML(f"<b>Escaping a local minimum.</b> {seeds} runs of "
                                        f"mini-batch SGD per batch size (learning rate {lr}, "
                                        f"{steps} steps, 64 examples), all from w = −1.5."))

    @property
    def batch_size(self):
        b = self.b_slider.value
        return b if b in self.runs else BATCH_SIZES[0]

    # --- figure -----------------------------------------------------------------------------
    def _build_axes(self):
        ax, ax_h, ax_r = self.axes
        c = self.curves
        w = np.linspace(-2.0, 2.0, 400)
        L = c.losses(w)
        for i in range(0, len(c.shifts), 9):
            ax.plot(w, L[:, i], color=plots.TRUTH, lw=0.7, alpha=0.3,
                    label="a few example curves" if i == 0 else None)
        ax.plot(w, L.mean(axis=1), color="k", lw=2.2, label="cost J(w): their mean")
        for x, name in ((c.local, "local"), (c.global_min, "global")):
            ax.annotate(f"{name}\nminimum", (x, c.cost(x)), xytext=(0, -30),
                        textcoords="offset points", ha="center", fontsize=8,
                        arrowprops=dict(arrowstyle="->", lw=0.8))
        self.dots, = ax.plot([], [], "o", color=plots.MODEL, ms=4, alpha=0.35, label="200 runs")
        ax.set(xlim=(-2, 2), ylim=(-2.2, 1.2), xlabel="parameter w", ylabel="cost",
               title="Where the runs are")
        ax.legend(loc="upper center", fontsize=7.5, ncols=2)

        counts = np.zeros(len(BINS) - 1)
        self.hist = ax_h.stairs(counts, BINS, fill=True, color=plots.MODEL, alpha=0.8)
        for x in (c.local, c.global_min):
            ax_h.axvline(x, color="k", ls=":", lw=1)
        ax_h.axvline(c.barrier, color=plots.NEUTRAL, ls="--", lw=1)
        ax_h.text(c.barrier, self.seeds * 0.97, " barrier", fontsize=8, va="top")
        ax_h.set(xlim=(-2, 2), ylim=(0, self.seeds), xlabel="parameter w",
                 ylabel=f"runs (of {self.seeds})", title="Histogram")

        x = np.arange(len(BATCH_SIZES))
        bottom = np.zeros(len(x))
        for key, color in OUTCOME_COLORS.items():
            share = np.array([self.results[b][key] for b in BATCH_SIZES])
            ax_r.bar(x, share, bottom=bottom, color=color, label=key, width=0.75)
            bottom += share
        ax_r.set_xticks(x, [str(b) for b in BATCH_SIZES])
        ax_r.set(ylim=(0, 1.18), xlabel="batch size b", ylabel="share of runs at the end",
                 title="Goldilocks")
        ax_r.legend(loc="upper center", fontsize=7.5, ncols=3, handlelength=1, columnspacing=0.8)
        self.marker, = ax_r.plot([], [], "v", color="k", ms=8)
        self.animate(self.dots, self.hist, self.marker)

    # --- model ------------------------------------------------------------------------------
    def update(self):
        """Show the runs of the chosen batch size after the chosen step."""
        b = self.batch_size
        k = int(np.clip(self.k_slider.value, 0, self.steps))
        w = self.runs[b][k]
        self.dots.set_data(w, self.curves.cost(w))
        counts, _ = np.histogram(np.clip(w, BINS[0], BINS[-1]), BINS)
        self.hist.set_data(counts)
        self.marker.set_data([BATCH_SIZES.index(b)], [1.06])
        now = bx.outcomes(self.curves, w)
        gd = " (every batch is the whole data set: plain gradient descent)" if b == 64 else ""
        self.readout.value = (
            f"b = {b}{gd}, after step {k}: <b>{now['settled']:.0%}</b> settled at the global "
            f"minimum, {now['wandering']:.0%} escaped but wandering, {now['trapped']:.0%} "
            f"trapped in the local minimum.")
        self.refresh()


def bench_cases():
    """Batch-size and step slider moves, for ``make bench``."""
    return [
        ("EscapeApp: batch size", EscapeApp,
         [set_value("b_slider", v) for v in (1, 2, 4, 8, 16, 32, 64, 4)] * 4),
        ("EscapeApp: step", EscapeApp, [set_value("k_slider", v) for v in range(0, 300, 10)]),
    ]
