"""EigenRates: gradient descent and Momentum direction by direction on a quadratic bowl.

The bowl f = (w_1^2 + kappa w_2^2) / 2 has its eigen-directions on the axes: w_1 is the error
along the shallow direction (curvature 1), w_2 along the steep one (curvature kappa). Left: both
errors over the iterations, for gradient descent and for Momentum (the course's average form
``V = beta V + (1 - beta) dW``, ``W = W - lr V``), with the straight lines rate^t of the slower
direction. Right: the rate per step (``course.rates``) against the learning rate, at the current
beta and kappa, with the current learning rate marked.
"""
import ipywidgets as widgets
import numpy as np

from course import plots, rates
from course.apps.base import App, set_value

STEPS = 150
FLOOR, CEILING = 1e-12, 1e4          # the error axis (a diverging error leaves it at the top)
RATE_TOP = 1.3                       # the rate axis; larger rates are drawn at the top
LRS = np.geomspace(1e-3, 10**0.5, 300)
GD, MOM = plots.OPTIMIZER_COLORS["SGD"], plots.OPTIMIZER_COLORS["Momentum"]
NAMES = {"GD": "gradient descent", "Momentum": "Momentum"}


def steps_to(rate, factor=1e-6):
    """Steps until rate**t falls below ``factor``: log(factor) / log(rate); None if rate >= 1."""
    if rate >= 1:
        return None
    if rate == 0:
        return 1
    return int(np.ceil(np.log(factor) / np.log(rate)))


def _steps_text(rate):
    n = steps_to(rate)
    return "never (rate &ge; 1)" if n is None else f"{n} steps"


class EigenRates(App):
    """Learning rate, beta and condition number; the errors per eigen-direction and the rates."""

    def __init__(self, lr=0.015, beta=0.8, condition=100.0):
        super().__init__(width=8.8, height=4.3, ncols=2)
        self.ax, self.ax_rate = self.axes
        wide = {"description_width": "initial"}
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=-3, max=0.5, step=0.001,
                                         description="learning rate η", readout_format=".3g",
                                         style=wide)
        self.beta = widgets.FloatSlider(value=beta, min=0.0, max=0.99, step=0.001,
                                        description="momentum β", readout_format=".3f", style=wide)
        self.condition = widgets.FloatLogSlider(value=condition, base=10, min=0.5, max=3, step=0.05,
                                                description="condition number κ",
                                                readout_format=".3g", style=wide)
        self.best = widgets.Button(description="best η and β for this κ", icon="star",
                                   layout=widgets.Layout(width="auto"))
        self.readout = widgets.HTML()

        t = np.arange(STEPS + 1)
        self.errors = {}
        for name, colour in (("GD", GD), ("Momentum", MOM)):
            for direction, style in (("shallow", "-"), ("steep", "--")):
                self.errors[name, direction], = self.ax.plot(t, np.ones_like(t, dtype=float), style,
                                                             color=colour, lw=1.6)
        self.guides = {name: self.ax.plot(t, np.ones_like(t, dtype=float), ":", color=colour,
                                          lw=2.2, alpha=0.7)[0]
                       for name, colour in (("GD", GD), ("Momentum", MOM))}
        self.ax.set(yscale="log", ylim=(FLOOR, CEILING), xlim=(0, STEPS), xlabel="iteration t",
                    ylabel="|error| along the direction", title="error per eigen-direction")
        styles = [plots.line_key("shallow (curvature 1): solid", "k"),
                  plots.line_key("steep (curvature κ): dashed", "k"),
                  plots.line_key("rate$^t$ of the slower one: dotted", "k")]
        styles[1].set_linestyle("--")
        styles[2].set_linestyle(":")
        plots.legend_below(self.ax, handles=[*styles, plots.line_key("gradient descent", GD),
                                             plots.line_key("Momentum", MOM)],
                           fontsize=7, ncols=2)

        self.curves = {name: self.ax_rate.plot(LRS, np.ones_like(LRS), color=colour, lw=1.8,
                                               label=label)[0]
                       for name, colour, label in (("GD", GD, "gradient descent"),
                                                   ("Momentum", MOM, "Momentum at this β"))}
        # named in the legend, not by a text on the axes that the red line would cross
        self.ax_rate.axhline(1.0, color=plots.NEUTRAL, lw=1, ls="--", label="rate 1: above it, diverges")
        self.now = self.ax_rate.axvline(lr, color=plots.MODEL, lw=1.2)
        self.dots = {name: self.ax_rate.plot([lr], [1.0], "o", color=colour, mec="k", ms=7,
                                             zorder=5)[0]
                     for name, colour in (("GD", GD), ("Momentum", MOM))}
        self.ax_rate.set(xscale="log", xlim=(LRS[0], LRS[-1]), ylim=(0, RATE_TOP),
                         xlabel="learning rate η (red: the current one)",
                         ylabel="rate per step (slower direction)", title="rate against η")
        plots.legend_below(self.ax_rate, fontsize=8)
        self.animate(*self.errors.values(), *self.guides.values(), *self.curves.values(),
                     self.now, *self.dots.values())

        for control in (self.lr, self.beta, self.condition):
            self.observe(control, lambda _change: self.update())
        self.on_click(self.best, self.set_best)
        row = widgets.Layout(flex_flow="row wrap")
        self.layout(widgets.HBox([self.lr, self.beta], layout=row),
                    widgets.HBox([self.condition, self.best], layout=row), self.readout)
        self.update()

    def set_best(self):
        """Set η and β to the best pair for Momentum on curvatures 1..κ (``rates.best_momentum``).

        The best pair puts both ends of the curvatures on the edges of the band where the rate is
        sqrt(β), and a page's slider rounds β to its step: β is rounded up by one more step, which
        widens the band on both sides, and η = 1 / sqrt(κ) stays in its middle (for every β).
        """
        lr, beta, _rate = rates.best_momentum(1.0, float(self.condition.value))
        step = self.beta.step
        self.beta.value = min(np.ceil(beta / step) * step + step, self.beta.max)
        self.lr.value = lr

    def update(self):
        lr = float(np.clip(self.lr.value, LRS[0], LRS[-1]))
        beta = float(np.clip(self.beta.value, 0.0, 0.99))
        kappa = float(np.clip(self.condition.value, 1.0, 1e3))
        lam = np.array([1.0, kappa])                      # shallow, steep
        w, diverged_at = rates.momentum_errors(lr, np.array([[0.0], [beta]]), lam, STEPS)
        t = np.arange(STEPS + 1)
        rate = {"GD": rates.gd_rate(lr, lam).max(), "Momentum": rates.momentum_rate(lr, beta, lam).max()}
        for i, name in enumerate(("GD", "Momentum")):
            for j, direction in enumerate(("shallow", "steep")):
                self.errors[name, direction].set_ydata(np.clip(np.abs(w[:, i, j]), FLOOR, CEILING))
            with np.errstate(over="ignore"):          # a rate above 1 grows past the axis: inf
                guide = rate[name] ** t
            self.guides[name].set_ydata(np.clip(guide, FLOOR, CEILING))
        curve = {"GD": rates.gd_rate(LRS[:, None], lam).max(axis=1),
                 "Momentum": rates.momentum_rate(LRS[:, None], beta, lam).max(axis=1)}
        for name in curve:
            self.curves[name].set_ydata(np.minimum(curve[name], RATE_TOP))
            self.dots[name].set_data([lr], [min(rate[name], RATE_TOP)])
        self.now.set_xdata([lr, lr])
        self.shown = dict(lr=lr, beta=beta, kappa=kappa, rate=rate, last=np.abs(w[-1]))
        self._read_out(kappa, rate, diverged_at)
        self.refresh()

    def _read_out(self, kappa, rate, diverged_at):
        """The line above the figure: each run's rate and fate, the best values for this κ."""
        gd_lr, gd_best = rates.best_gd(1.0, kappa)
        m_lr, m_beta, m_best = rates.best_momentum(1.0, kappa)
        runs = []
        for i, key in enumerate(NAMES):
            d = diverged_at[i][diverged_at[i] >= 0]
            fate = f"diverged at step {d.min()}" if d.size else f"error 10⁻⁶ after {_steps_text(rate[key])}"
            runs.append(f"<b>{NAMES[key]}</b>: rate {rate[key]:.4f} per step, {fate}")
        self.readout.value = (
            " &middot; ".join(runs) + "<br>"
            f"Best for κ = {kappa:.3g}: gradient descent η = 2/(1+κ) = {gd_lr:.3g}, rate "
            f"(κ&minus;1)/(κ+1) = {gd_best:.4f}; Momentum η = {m_lr:.3g} with β = {m_beta:.3f}, rate "
            f"(√κ&minus;1)/(√κ+1) = {m_best:.4f}.")

    def describe(self):
        """The figure in words: the last errors of both runs, their rates at the current η."""
        v = self.shown
        lr, beta, kappa, rate, last = v["lr"], v["beta"], v["kappa"], v["rate"], v["last"]
        ends = [f"{NAMES[key]}: shallow error {min(last[i, 0], CEILING):.1e}, steep error "
                f"{min(last[i, 1], CEILING):.1e} after {STEPS} iterations"
                for i, key in enumerate(NAMES)]
        return (
            "On the left, the size of the error along the shallow "
            f"direction (curvature 1) and the steep one (curvature κ = {kappa:.3g}) over {STEPS} "
            f"iterations at η = {lr:.3g} and β = {beta:.3f}, on a log scale; "
            + "; ".join(ends) + ". On the right, the rate per step of the slower direction against "
            f"the learning rate: at the current η it is {rate['GD']:.3f} for gradient descent and "
            f"{rate['Momentum']:.3f} for Momentum (below 1 converges, above 1 diverges).")


def bench_cases():
    """(label, factory, updates) for ``make bench``."""
    return [("EigenRates: learning rate slider", EigenRates,
             [set_value("lr", v) for v in (0.01, 0.02, 0.05, 0.1, 0.2)]),
            ("EigenRates: beta slider", EigenRates,
             [set_value("beta", v) for v in (0.3, 0.6, 0.8, 0.9, 0.95)]),
            ("EigenRates: condition slider", EigenRates,
             [set_value("condition", v) for v in (10.0, 30.0, 100.0, 300.0)])]
