"""MomentumBowl: what beta does on an elongated bowl f = (x^2 + k y^2) / 2.

Plain gradient descent (grey), Momentum (orange) and optionally Nesterov (brown) run with the
same learning rate from the same start. Momentum here is the moving-average form
``V = beta V + (1 - beta) dW``, ``W = W - lr V``; it is stable on a curvature k while
``lr < 2 (1 + beta) / ((1 - beta) k)``, Nesterov while ``lr < 2 (1 + beta) / ((1 + 2 beta)(1 - beta) k)``
(plain descent: ``lr < 2 / k``).
"""
import ipywidgets as widgets
import numpy as np

from course import landscapes, plots
from course._display.contours import LiveContours
from course.apps.base import App, set_value
from course.descent import Each, Trajectory, descend
from course.optimizers import make, stable_lr

FLOOR = 1e-12
CONTOUR_LEVELS, CONTOUR_GRID = 14, 60     # 14 bands read as well as 20 and draw in less time
NAMES = ("SGD", "Momentum", "Nesterov")


class MomentumBowl(App):
    """Momentum's beta on an ill-conditioned bowl, with torch's learning rate beside ours."""

    def __init__(self, beta=0.9, lr=0.1, condition=50.0, steps=100):
        super().__init__(width=8.8, height=3.8, ncols=2)
        self.ax, self.ax_cost = self.axes
        self.steps = int(steps)
        wide = {"description_width": "initial"}
        self.beta = widgets.FloatSlider(value=beta, min=0.0, max=0.99, step=0.01, description="beta",
                                        continuous_update=True, style=wide)
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=-3, max=0, step=0.05,
                                         description="learning rate", readout_format=".3f",
                                         style=wide)
        self.condition = widgets.FloatLogSlider(value=condition, base=10, min=0, max=3, step=0.1,
                                                description="condition number k",
                                                readout_format=".0f", style=wide)
        self.nesterov = widgets.Checkbox(value=True, description="Nesterov too", indent=False)
        self.readout = widgets.HTML()

        self.paths, self.heads, self.curves = {}, {}, {}
        for name in NAMES:
            c, m = plots.OPTIMIZER_COLORS[name], plots.OPTIMIZER_MARKERS[name]
            label = "gradient descent (beta = 0)" if name == "SGD" else name
            self.paths[name], = self.ax.plot([], [], "-o", color=c, lw=1.4, ms=2.5, zorder=4)
            # the head's shape is the optimizer's own (colour is never the only cue)
            self.heads[name], = self.ax.plot([], [], m, color=c, mec="k", ms=7, zorder=5,
                                             label=label)
            self.curves[name], = self.ax_cost.plot([], [], "-", color=c, lw=1.8, label=label)
        bowl = landscapes.get("ill-conditioned")
        start, = self.ax.plot(*bowl.start, "o", color=plots.MODEL, mec="k", ms=8, zorder=6)
        minimum, = self.ax.plot(0.0, 0.0, "*", color=plots.MINIMUM, mec="k", mew=0.8, ms=11,
                                zorder=3)
        self.ax.set(xlim=bowl.bounds[0], ylim=bowl.bounds[1],
                    title=r"bowl $(w_1^2 + k\,w_2^2)/2$, minimum at the origin")
        self.ax.grid(False)  # the contour lines are its grid
        # a new k re-contours in place and redraws only the bowl's layer (no text)
        self.contours = LiveContours(self.ax, CONTOUR_LEVELS, plots.LANDSCAPE_CMAP, fill_alpha=0.9)
        self.animate(*self.contours.artists, minimum, start, *self.ax.spines.values(), slow=True)
        self.animate(*self.paths.values(), *self.heads.values(), *self.curves.values())
        self.ax.set_xlabel("$w_1$ (curvature 1)")
        self.ax.set_ylabel("$w_2$ (curvature k)")
        self.ax_cost.set_yscale("log")
        self.ax_cost.set_ylim(FLOOR, 1e3)
        self.ax_cost.set_xlim(0, self.steps)
        self.ax_cost.set_xlabel("iteration")
        self.ax_cost.set_ylabel("cost $J$ (minimum 0)")
        self.ax_cost.legend(loc="lower left", fontsize=8)

        self.observe(self.condition, lambda ch: self._new_bowl())
        for control in (self.beta, self.lr, self.nesterov):
            self.observe(control, lambda ch: self._update())
        self.layout(widgets.HBox([self.beta, self.lr]),
                    widgets.HBox([self.condition, self.nesterov]), self.readout)
        self._new_bowl()

    def _new_bowl(self):
        self.land = landscapes.get("ill-conditioned", condition=float(self.condition.value))
        X, Y, P = plots.grid(self.land.bounds, CONTOUR_GRID)
        self.contours.update(X, Y, np.log10(self.land.value(P) + 1.0))   # even in log(J + 1)
        self._update(slow=True)

    def _update(self, slow=False):
        beta, lr, k = float(self.beta.value), float(self.lr.value), float(self.condition.value)
        shown = [name for name in NAMES if name != "Nesterov" or bool(self.nesterov.value)]
        for name in NAMES:
            for artist in (self.paths[name], self.heads[name], self.curves[name]):
                artist.set_visible(name in shown)
        together = Each([make(name, lr=lr) if name == "SGD" else make(name, lr=lr, beta=beta)
                         for name in shown])      # one descend call runs them side by side
        traj = descend(self.land, together, np.tile(self.land.start, (len(shown), 1)),
                       self.steps, tol=1e-8)
        self.runs = {}
        for i, name in enumerate(shown):
            self.runs[name] = Trajectory(traj.params[:, i:i + 1], traj.cost[:, i:i + 1],
                                         traj.diverged_at[i:i + 1], traj.converged_at[i:i + 1])
            p = traj.params[:, i]
            self.paths[name].set_data(p[:, 0], p[:, 1])
            self.heads[name].set_data(p[-1:, 0], p[-1:, 1])
            self.curves[name].set_data(np.arange(self.steps + 1), np.maximum(traj.cost[:, i], FLOOR))
        lines = [f"<b>{'gradient descent' if n == 'SGD' else n}</b>: {t.message()}"
                 for n, t in self.runs.items()]
        bound = stable_lr(beta, k)
        warn = (f' <span style="color:{plots.MODEL}">Above the limit: the learning rate is '
                f"too large for this curvature.</span>" if lr >= bound else "")
        self.readout.value = (
            " &middot; ".join(lines) + "<br>"
            f"Stable for lr below: gradient descent 2/k = {2 / k:.3g}, "
            f"Momentum 2(1+&beta;)/((1&minus;&beta;)k) = {bound:.3g}, "
            f"Nesterov {stable_lr(beta, k, nesterov=True):.3g}.{warn}<br>"
            f"torch: <code>SGD(lr={lr * (1 - beta):.3g}, momentum={beta:.2f})</code> takes these "
            f"Momentum steps; its effective learning rate lr/(1&minus;&beta;) = {lr:.3g} is our lr.")
        self.refresh(slow=slow)


    def describe(self):
        beta, lr, k = float(self.beta.value), float(self.lr.value), float(self.condition.value)
        runs = "; ".join(f"{'gradient descent' if n == 'SGD' else n} {t.message()}"
                         for n, t in self.runs.items())
        return (f"The paths from one start on the bowl with condition number k = {k:.0f}, "
                f"learning rate {lr:.3g}, beta {beta:.2f}, and their cost per iteration on a log "
                f"scale: {runs}.")


def bench_cases():
    """(label, factory, updates) for ``make bench``."""
    return [("MomentumBowl: beta slider (3 runs)", MomentumBowl,
             [set_value("beta", v) for v in (0.5, 0.8, 0.9, 0.95)]),
            ("MomentumBowl: condition slider (re-contour, 3 runs)", MomentumBowl,
             [set_value("condition", v) for v in (10.0, 20.0, 50.0, 100.0)])]
