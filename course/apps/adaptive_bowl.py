"""AdaptiveBowl: per-coordinate step sizes on an elongated bowl, aligned with the axes or turned.

The bowl f = (u^2 + k v^2) / 2 (``course.landscapes`` "ill-conditioned" with an ``angle``) has
its axes u, v turned by theta from x, y. Adagrad, RMSprop and Adam divide each coordinate's step
by a running size of that coordinate's gradient: on the aligned bowl (theta = 0) that undoes the
k-fold difference between x and y, on a turned bowl x and y each mix both curvatures and it no
longer can. Gradient descent (grey, at its best learning rate 2 / (1 + k)) does not care about
theta: its path turns with the bowl and its cost curve stays the same.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.transforms import Affine2D

from course import landscapes, plots
from course.apps.base import App, set_value
from course.descent import descend
from course.optimizers import SGD, make

CONDITION = 20.0
STEPS = 100
TOL = 1e-3                           # "converged": the cost below this
FLOOR = 1e-12
VIEW = 3.0                           # the square view box [-3, 3]^2
NAMES = ("Adagrad", "RMSprop", "Adam")
DEFAULT_LR = {"Adagrad": 1.0, "RMSprop": 0.1, "Adam": 0.1}
GD = plots.OPTIMIZER_COLORS["SGD"]


def run(name, lr, angle):
    """A descend run of optimizer ``name`` on the bowl turned by ``angle`` (degrees), from its start."""
    bowl = landscapes.get("ill-conditioned", condition=CONDITION, angle=angle)
    optimizer = SGD(lr) if name == "SGD" else make(name, lr=lr)
    return descend(bowl, optimizer, bowl.start, STEPS, tol=TOL)


def _when(traj):
    """"step k" where the cost first fell below TOL, or what happened instead."""
    if traj.diverged_at[0] >= 0:
        return f"diverged at step {traj.diverged_at[0]}"
    k = traj.converged_at[0]
    return f"step {k}" if k >= 0 else f"not within {STEPS} steps"


class AdaptiveBowl(App):
    """Angle of the bowl, the optimizer and its learning rate; paths on the contours, costs."""

    def __init__(self, optimizer="Adagrad", angle=0.0, lr=None):
        super().__init__(width=8.8, height=4.3, ncols=2)
        self.ax, self.ax_cost = self.axes
        wide = {"description_width": "initial"}
        self.angle = widgets.FloatSlider(value=angle, min=0.0, max=90.0, step=5.0,
                                         description="bowl's angle θ (degrees)",
                                         readout_format=".0f", style=wide)
        self.optimizer = widgets.Dropdown(options=NAMES, value=optimizer, description="optimizer",
                                          style=wide)
        self.lr = widgets.FloatLogSlider(value=DEFAULT_LR[optimizer] if lr is None else lr, base=10,
                                         min=-3, max=1, step=0.05, description="its learning rate η",
                                         readout_format=".3g", style=wide)
        self.readout = widgets.HTML()

        # gradient descent at its best learning rate: the same run at every angle, turned
        self.gd_lr = 2 / (1 + CONDITION)
        self.gd = run("SGD", self.gd_lr, 0.0)
        aligned = landscapes.get("ill-conditioned", condition=CONDITION)
        X, Y, P = plots.grid(((-1.5 * VIEW, 1.5 * VIEW), (-1.5 * VIEW, 1.5 * VIEW)), 60)
        self.contours = self.ax.contourf(X, Y, np.log10(aligned.value(P) + 1.0), levels=14,
                                         cmap=plots.LANDSCAPE_CMAP, alpha=0.9, zorder=0)
        self.axes_lines = [self.ax.plot([], [], "--", color="w", lw=1.0, zorder=1)[0] for _ in range(2)]
        self.gd_path, = self.ax.plot([], [], "-o", color=GD, lw=1.2, ms=2, zorder=3,
                                     label=f"gradient descent, η = {self.gd_lr:.3g}")
        self.path, = self.ax.plot([], [], "-o", lw=1.4, ms=2.5, zorder=4)
        self.start, = self.ax.plot([], [], "o", color=plots.MODEL, mec="k", ms=8, zorder=5)
        minimum, = self.ax.plot(0.0, 0.0, "*", color=plots.MINIMUM, mec="k", mew=0.8, ms=11, zorder=5)
        self.ax.set(xlim=(-VIEW, VIEW), ylim=(-VIEW, VIEW), aspect="equal", xlabel="$x$",
                    ylabel="$y$", title=f"bowl of condition {CONDITION:g} (dashed: its axes)")
        self.ax.grid(False)

        t = np.arange(STEPS + 1)
        self.gd_cost, = self.ax_cost.plot(t, np.maximum(self.gd.cost[:, 0], FLOOR), color=GD, lw=1.6)
        self.cost, = self.ax_cost.plot(t, np.ones(STEPS + 1), lw=1.8)
        self.cost0, = self.ax_cost.plot(t, np.ones(STEPS + 1), "--", lw=1.4, alpha=0.8)
        self.ax_cost.axhline(TOL, color=plots.NEUTRAL, lw=0.8, ls=":")
        self.ax_cost.set(yscale="log", ylim=(FLOOR, 1e3), xlim=(0, STEPS), xlabel="iteration",
                         ylabel="cost $J$ (minimum 0)", title="cost (dotted: 10$^{-3}$)")
        keys = [plots.line_key("gradient descent (any θ)", GD),
                plots.line_key("chosen optimizer, this θ", plots.NEUTRAL),
                plots.line_key("the same on the aligned bowl", plots.NEUTRAL)]
        keys[2].set_linestyle("--")
        self.keys = plots.legend_below(self.ax_cost, handles=keys, fontsize=8).get_lines()[1:]
        self.animate(self.contours, *self.axes_lines, self.gd_path, self.start, minimum,
                     *self.ax.spines.values(), slow=True)
        self.animate(self.path, self.cost, self.cost0)

        self.observe(self.angle, lambda _change: self.update(turned=True))
        self.observe(self.optimizer, lambda _change: self._new_optimizer())
        self.observe(self.lr, lambda _change: self.update(aligned=True))
        row = widgets.Layout(flex_flow="row wrap")
        self.layout(widgets.HBox([self.optimizer, self.lr], layout=row), self.angle, self.readout)
        self.update(turned=True, aligned=True)

    def _new_optimizer(self):
        name = self.optimizer.value
        if self.lr.value != DEFAULT_LR[name]:
            self.lr.value = DEFAULT_LR[name]        # its own default: the lr observer updates
        else:
            self.update(aligned=True)

    def _settings(self):
        """The optimizer, its learning rate and the angle, as shown (clipped to the sliders)."""
        return (self.optimizer.value, float(np.clip(self.lr.value, 1e-3, 10.0)),
                float(np.clip(self.angle.value, 0.0, 90.0)))

    def update(self, turned=False, aligned=False):
        """Run the chosen optimizer on the turned bowl (and on the aligned one when it changed)."""
        name, lr, theta = self._settings()
        colour = plots.OPTIMIZER_COLORS[name]
        self.traj = run(name, lr, theta)
        if aligned or not hasattr(self, "traj0"):
            self.traj0 = run(name, lr, 0.0)
        p = self.traj.params[:, 0]
        self.path.set_data(p[:, 0], p[:, 1])
        self.path.set_color(colour)
        self.cost.set_ydata(np.maximum(self.traj.cost[:, 0], FLOOR))
        self.cost0.set_ydata(np.maximum(self.traj0.cost[:, 0], FLOOR))
        for line in (self.cost, self.cost0):
            line.set_color(colour)
        new_colour = self.keys[0].get_color() != colour
        for key in self.keys:           # the legend is drawn once: a new colour redraws the figure
            key.set_color(colour)
        if turned:
            self._turn(theta)
        here, there, gd = _when(self.traj), _when(self.traj0), _when(self.gd)
        self.readout.value = (
            f"<b>{name}</b> (η = {lr:.3g}): cost below 10⁻³ at <b>{here}</b> on this bowl "
            f"(θ = {theta:.0f}°), {there} on the aligned one (θ = 0). "
            f"<b>Gradient descent</b> (η = 2/(1+k) = {self.gd_lr:.3g}): {gd} at every angle.")
        self.refresh(full=new_colour, slow=turned)

    def _turn(self, theta):
        """Turn the contours, the bowl's axes, the start and gradient descent's path by theta."""
        turn = Affine2D().rotate_deg(theta)
        self.contours.set_transform(turn + self.ax.transData)
        c, s = np.cos(np.radians(theta)), np.sin(np.radians(theta))
        reach = 1.5 * VIEW
        self.axes_lines[0].set_data([-reach * c, reach * c], [-reach * s, reach * s])
        self.axes_lines[1].set_data([reach * s, -reach * s], [-reach * c, reach * c])
        gd = turn.transform(self.gd.params[:, 0])
        self.gd_path.set_data(gd[:, 0], gd[:, 1])
        self.start.set_data(gd[:1, 0], gd[:1, 1])

    def describe(self):
        name, lr, theta = self._settings()
        here, there, gd = _when(self.traj), _when(self.traj0), _when(self.gd)
        return (
            "On the left, contours of the bowl turned by "
            f"{theta:.0f} degrees with its two axes dashed, the path of gradient descent (grey) and of "
            f"{name} (coloured, η = {lr:.3g}) from the red start to the minimum at the origin; on the right, their "
            f"costs over {STEPS} iterations on a log scale, with {name} on the aligned bowl dashed. "
            f"{name} gets below 10⁻³ at {here} here and at {there} when aligned; gradient descent "
            f"at {gd}.")


def bench_cases():
    """(label, factory, updates) for ``make bench``."""
    return [("AdaptiveBowl: angle slider (1 run, turned contours)", AdaptiveBowl,
             [set_value("angle", v) for v in (15.0, 30.0, 45.0, 60.0, 0.0)]),
            ("AdaptiveBowl: learning rate slider (2 runs)", AdaptiveBowl,
             [set_value("lr", v) for v in (0.05, 0.1, 0.2, 0.3)])]
