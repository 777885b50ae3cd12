"""AverageLab: an exponentially weighted average of a noisy series, and the weights behind it.

Top: measurements x_s of a slow wave (grey dots), the wave (blue) and the average
V_t = beta V_{t-1} + (1 - beta) x_t from V_0 = 0 (red; with the bias correction V_t / (1 - beta^t),
the other one faint). Bottom: the weight (1 - beta) beta^(t-s) of each value x_s in V_t at the
chosen step t, as bars on the same step axis; the shaded span is the last 1 / (1 - beta) steps,
the window the average remembers (on a log axis: every weight fits, whatever beta and t). A line
above the figure gives its numbers; the caption under it (:meth:`AverageLab.describe`) says in
words what it shows.
"""
import ipywidgets as widgets
import numpy as np

from course import plots
from course.apps.base import App, set_value
from course.averages import ewa, noisy_series, weights, window

STEPS = 200
WEIGHT_YLIM = (1e-4, 1.5)   # a log axis: every weight >= 1e-4 fits, whatever beta and t
LEGEND_TOP = 0.14           # the top panel's legend stays under this fraction of its height
FLOOR = 1e-5                # smaller weights are drawn at this height, under the axis


class AverageLab(App):
    """A beta slider, a step slider and a bias-correction toggle over one noisy series."""

    def __init__(self, beta=0.9, step=20, corrected=False, seed=0):
        super().__init__(width=8.8, height=5.0, nrows=2, sharex=True)
        self.ax, self.ax_w = self.axes
        self.signal, self.series = noisy_series(STEPS, seed=seed)
        self.t = np.arange(1, STEPS + 1)
        wide = {"description_width": "initial"}
        self.beta = widgets.FloatSlider(value=beta, min=0.0, max=0.99, step=0.01,
                                        description="decay β", style=wide)
        self.step = widgets.IntSlider(value=step, min=1, max=STEPS, description="look at step t",
                                      style=wide)
        self.corrected = widgets.Checkbox(value=corrected, indent=False,
                                          description="bias correction: divide by 1 − β^t")
        self.readout = widgets.HTML()               # the numbers at a glance
        self._averages = {}                          # beta -> (V_t, V_t / (1 - beta^t)) for all t
        self._build_axes()
        for control in (self.beta, self.step, self.corrected):
            self.observe(control, lambda _change: self.update())
        self.update()
        self.layout(widgets.HBox([self.beta, self.step, self.corrected],
                                 layout=widgets.Layout(flex_flow="row wrap")),
                    self.readout,
                    header=widgets.HTML("<b>Move β and watch the red average:</b> smooth but late "
                                        "for β near 1, jumpy for β near 0. Move t to see which "
                                        "values it is made of."))

    def _build_axes(self):
        ax, ax_w = self.ax, self.ax_w
        ax.plot(self.t, self.series, "o", color=plots.NEUTRAL, ms=2.5, alpha=0.6,
                label="values $x_s$")
        ax.plot(self.t, self.signal, color=plots.TRUTH, lw=1.2, label="the wave behind them")
        self.other, = ax.plot([], [], "--", color=plots.MODEL, lw=1.0, alpha=0.45,
                              label="the other setting (faint)")
        self.average, = ax.plot([], [], color=plots.MODEL, lw=2.0,
                                label="average (corrected when ticked)")
        self.head, = ax.plot([], [], "o", color=plots.MODEL, mec="k", ms=7, zorder=5)
        self.span = ax.axvspan(0, 1, ymin=LEGEND_TOP, color=plots.WARN, alpha=0.15, lw=0)
        self.span_w = ax_w.axvspan(0, 1, color=plots.WARN, alpha=0.15, lw=0)
        self.now = ax.axvline(1, ymin=LEGEND_TOP, color="k", lw=0.8)
        self.now_w = ax_w.axvline(1, color="k", lw=0.8)
        self.bars = ax_w.stairs([FLOOR], [0.5, 1.5], baseline=FLOOR, fill=True, color=plots.MODEL,
                                alpha=0.8)
        ax.set(xlim=(0, STEPS + 1), ylim=(-6, 20), ylabel="value",
               title=r"$V_t = \beta\, V_{t-1} + (1-\beta)\, x_t$ from $V_0 = 0$")
        ax.legend(handles=[*ax.lines[:2], self.average, self.other], loc="lower center", fontsize=8,
                  ncols=4)
        ax_w.set(yscale="log", ylim=WEIGHT_YLIM, xlabel="step $s$", ylabel="weight (log scale)",
                 title=r"bars: the weight $(1-\beta)\,\beta^{t-s}$ of each $x_s$ in $V_t$;"
                       r" shaded: the last $1/(1-\beta)$ steps")
        self.animate(self.other, self.average, self.head, self.span, self.span_w, self.now,
                     self.now_w, self.bars)

    def update(self):
        """Recompute the averages and the weights at step t; move the artists and the read-out."""
        beta = min(max(float(self.beta.value), 0.0), 0.99)
        t = min(max(int(self.step.value), 1), STEPS)
        corrected = bool(self.corrected.value)
        if beta not in self._averages:          # a step or toggle change reuses them
            plain = ewa(self.series, beta)
            self._averages = {beta: (plain, plain / (1 - beta**self.t))}   # the correction
        plain, fixed = self._averages[beta]
        shown, other = (fixed, plain) if corrected else (plain, fixed)
        self.average.set_data(self.t, shown)
        self.other.set_data(self.t, other)
        self.head.set_data([t], [shown[t - 1]])
        n = window(beta)
        for span in (self.span, self.span_w):
            span.set_x(max(t - n, 0) + 0.5)
            span.set_width(min(n, t))
        self.now.set_xdata([t, t])
        self.now_w.set_xdata([t, t])
        w = weights(beta, t)[::-1]                       # the weight of x_1 .. x_t in V_t
        divisor = 1 - beta**t
        if corrected:
            w = w / divisor
        self.bars.set_data(np.maximum(w, FLOOR), np.arange(t + 1) + 0.5)
        total = w.sum()
        self.values = dict(beta=beta, t=t, corrected=corrected, window=n, total=total,
                           average=shown[t - 1], plain=plain[t - 1], fixed=fixed[t - 1],
                           divisor=divisor, newest=w[-1])
        self.readout.value = (
            f"<b>The bars add up to {total:.3f}</b>"
            + (" (divided by 1 − β<sup>t</sup>)" if corrected else " = 1 − β<sup>t</sup>")
            + f" &middot; window 1/(1 − β) = {n:.3g} steps &middot; V<sub>{t}</sub> = "
            f"{plain[t - 1]:.2f}, corrected {fixed[t - 1]:.2f}")
        self.refresh()

    def describe(self):
        """What the figure shows now: the average at step t, its weights and their sum."""
        v = self.values
        t, beta = v["t"], v["beta"]
        recent = self.series[max(t - round(v["window"]), 0):t].mean()
        if v["corrected"]:
            bias = (f"Divided by 1 − β^t = {v['divisor']:.3g}, the weights add up to 1 and the "
                    f"corrected average is {v['fixed']:.2f} (uncorrected {v['plain']:.2f}).")
        else:
            bias = (f"The weights add up to 1 − β^t = {v['divisor']:.3g}, not 1: the zero start "
                    f"pulls V_{t} = {v['plain']:.2f} towards 0"
                    + (" (the bias has faded)." if v["divisor"] > 0.99 else
                       f"; dividing by {v['divisor']:.3g} would give {v['fixed']:.2f}."))
        return (f"At step t = {t} with β = {beta:.2f}, the average "
                f"is {v['average']:.2f} (the wave is at {self.signal[t - 1]:.2f}, the mean of the "
                f"last {min(round(v['window']), t)} values is {recent:.2f}). "
                f"The newest value weighs {v['newest']:.3g}, each older one β = {beta:.2f} times "
                f"the weight of the one after it, so the average remembers about "
                f"1/(1 − β) = {v['window']:.3g} steps (shaded). {bias}")


def bench_cases():
    """Benchmark: the β slider (two averages recomputed), the step slider, the correction toggle."""
    betas = [set_value("beta", round(b, 2)) for b in np.r_[np.arange(0.5, 0.99, 0.03),
                                                             np.arange(0.98, 0.5, -0.03)]]
    steps = [set_value("step", s) for s in (*range(5, 200, 15), *range(200, 5, -15))]
    toggles = [set_value("corrected", v) for v in (True, False) * 5]
    return [("AverageLab: beta slider", AverageLab, betas),
            ("AverageLab: step slider", AverageLab, steps),
            ("AverageLab: bias correction toggle", AverageLab, toggles)]
