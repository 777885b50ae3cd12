"""OptimizerRace: every optimizer on the same landscape from the same start, side by side.

Pick a landscape, drag the start on the contour plot (or type it), tick optimizers and set
their learning rates (and beta) and how each learning rate decays (a schedule of
``course.schedules``, all with the same half-life, as ``course.lr_experiments.make_schedule``
sets them). Each race is computed in full by ``course.descent.descend`` when a setting changes
(a shorter race is cut from a longer one); Play / Step then reveal it one iteration at a time
(the paths are blitted). The cost panel shows ``J - J*`` on a log axis; the table gives the
final gap, the step at which it fell below the tolerance and any divergence. "Tune first" races
each optimizer with its best starting learning rate from a log grid (``course.search.tune_lr``;
with its decay) and ranks both ways. Each optimizer has its colour and its marker shape.
"""
import html

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from course import landscapes, lr_experiments, plots, schedules, search
from course._display.events import mouse
from course.apps.base import App, Player, set_value
from course.descent import Each, Trajectory, descend
from course.lr_experiments import make_schedule
from course.optimizers import OPTIMIZERS, make

FLOOR = 1e-12                                  # J - J* below this is drawn at this value
LOG_CONTOURS = ("rosenbrock", "beale", "goldstein-price")
BETA_NAME = {"Momentum": "beta", "Nesterov": "beta", "RMSprop": "beta", "Adam": "beta1"}
DEFAULT_LR = {"SGD": 1e-3, "Momentum": 3e-3, "Nesterov": 3e-3, "Adagrad": 0.3,
              "RMSprop": 1e-2, "Adam": 0.1}
TUNE_LRS = search.lr_grid(1e-6, 1.0, 25)       # 4 learning rates per decade
DECAYS = lr_experiments.SCHEDULES[:5]           # constant, step, exponential, inverse-time, cosine
HALF_LIFE = 100                                 # steps until a decaying lr first halves


def race_landscapes():
    """The 2-D landscapes with a known minimum value (the ones a race can be scored on)."""
    out = []
    for name in landscapes.names():
        land = landscapes.get(name)
        if land.dim == 2 and land.min_value is not None:
            out.append(name)
    return out


class Run:
    """One optimizer's race (row ``i`` of ``traj``): path, gap ``J - J*``, divergence, score."""

    def __init__(self, land, traj, i, lr, tol, decay="constant"):
        self.lr, self.decay = lr, decay
        self.params = traj.params[:, i]
        self.gap = search.gap(land, traj.cost[:, i])
        self.diverged_at = int(traj.diverged_at[i])
        self.reached_at = int(traj.converged_at[i])
        self.converged_at = self.reached_at if self.gap[-1] <= tol else -1
        self.score = float(search.score(land, traj, tol)[i])

    def status(self):
        if self.diverged_at >= 0:
            return f"diverged at step {self.diverged_at}"
        if self.converged_at >= 0:
            return f"converged at step {self.converged_at}"
        if self.reached_at >= 0:
            return f"reached the tolerance at step {self.reached_at}, then left it"
        return f"still going after {len(self.gap) - 1} steps"


def prefix(traj, steps):
    """The first ``steps`` steps of ``traj``: what ``descend`` gives for ``steps`` (the same runs
    stopped earlier; divergence and convergence after ``steps`` have not happened yet)."""
    later = lambda at: np.where(at <= steps, at, -1)
    return Trajectory(traj.params[:steps + 1], traj.cost[:steps + 1], later(traj.diverged_at),
                      later(traj.converged_at))


class OptimizerRace(App):
    """Race the optimizers of ``course.optimizers`` on a 2-D landscape."""

    def __init__(self, landscape="rosenbrock", steps=200, tol=1e-6,
                 ticked=("SGD", "Momentum", "RMSprop", "Adam")):
        super().__init__(width=8.8, height=4.0, ncols=2)
        self.ax, self.ax_cost = self.axes
        self.ax3d = self.fig.add_subplot(self.ax.get_subplotspec(), projection="3d")
        self.ax3d.set_visible(False)
        self.ax3d.set_in_layout(False)     # a hidden 3-D axes breaks constrained layout
        self.tol = float(tol)
        self.runs, self.untuned, self.tuned = {}, {}, {}
        self.kept = {}          # name -> (setting, Trajectory, row): its last race, maybe longer
        self._surface = None
        self._background_artists = []

        # --- controls ---------------------------------------------------------------------
        wide = {"description_width": "initial"}
        self.landscape = widgets.Dropdown(options=race_landscapes(), value=landscape,
                                          description="landscape", style=wide)
        self.steps = widgets.IntSlider(value=steps, min=50, max=500, step=50, description="steps",
                                       continuous_update=False, style=wide)
        self.view = widgets.ToggleButtons(options=["contours", "3-D surface"], value="contours",
                                          style={"button_width": "100px"})
        self.tune = widgets.Checkbox(value=False, description="tune first (best lr on a log grid)",
                                     indent=False, style=wide)
        self.ticks, self.lrs, self.betas, self.decays = {}, {}, {}, {}
        # The six rows share one layout per column and the sliders' styles: one widget model
        # each instead of six, less state for a page to load.
        symbol_cell, tick_cell = widgets.Layout(width="22px"), widgets.Layout(width="108px")
        lr_cell, decay_cell = widgets.Layout(width="240px"), widgets.Layout(width="170px")
        beta_cell = widgets.Layout(width="200px", margin="2px")     # the slider's margin, shown
        row_layout = widgets.Layout(align_items="center", flex_flow="row wrap")
        lr_style = widgets.SliderStyle(description_width="18px")
        beta_style = widgets.SliderStyle(description_width="40px")
        rows = []
        for name in OPTIMIZERS:
            colour, symbol = plots.OPTIMIZER_COLORS[name], plots.OPTIMIZER_SYMBOLS[name]
            self.ticks[name] = widgets.Checkbox(value=name in ticked, description=name, indent=False,
                                                layout=tick_cell)
            self.lrs[name] = widgets.FloatLogSlider(
                value=DEFAULT_LR[name], base=10, min=-6, max=0, step=0.25, description="lr",
                readout_format=".1e", continuous_update=False, style=lr_style, layout=lr_cell)
            if name in BETA_NAME:
                self.betas[name] = widgets.FloatSlider(
                    value=0.9, min=0.0, max=0.99, step=0.01, description=BETA_NAME[name],
                    continuous_update=False, style=beta_style, layout=beta_cell)
            self.decays[name] = widgets.Dropdown(
                options=DECAYS, value="constant", description="decay",
                tooltip=f"how {name}'s learning rate decays (half-life {HALF_LIFE} steps)",
                style={"description_width": "40px"}, layout=decay_cell)
            # one row per optimizer, its controls in columns; a narrow page wraps the row
            rows.append(widgets.HBox([
                widgets.HTML(f'<span style="color:{plots.text_color(colour)};font-size:18px" title="{name}\'s colour '
                             f'and marker">{symbol}</span>', layout=symbol_cell),
                self.ticks[name], self.lrs[name],
                # without a beta, an empty box of the slider's size and margin: the decays align
                self.betas.get(name, widgets.Box(layout=beta_cell)),
                self.decays[name]], layout=row_layout))
        self.message = widgets.HTML()
        self.table = widgets.HTML()
        self.player = Player(self, self._on_step, self._on_reset, max_steps=steps, interval=80)

        # --- figure -----------------------------------------------------------------------
        self.start_dot, = self.ax.plot([], [], "o", color=plots.MODEL, mec="k", ms=9, zorder=6,
                                       label="start (drag me)")
        self.paths, self.heads, self.curves, self.paths3d, self.heads3d = {}, {}, {}, {}, {}
        for name in OPTIMIZERS:
            # colour and marker shape both tell the optimizers apart (colour is never the only cue)
            c, m = plots.OPTIMIZER_COLORS[name], plots.OPTIMIZER_MARKERS[name]
            self.paths[name], = self.ax.plot([], [], "-", color=c, lw=1.8, zorder=4, label=name)
            self.heads[name], = self.ax.plot([], [], m, color=c, mec="k", ms=7, zorder=5, label=name)
            self.curves[name], = self.ax_cost.plot([], [], "-", color=c, lw=1.8, label=name,
                                                   marker=m, markevery=[-1], mec="k", ms=6)
            self.paths3d[name], = self.ax3d.plot([], [], [], "-", color=c, lw=1.8, label=name)
            self.heads3d[name], = self.ax3d.plot([], [], [], m, color=c, mec="k", ms=7, label=name)
        self._flat = [self.start_dot, *self.paths.values(), *self.heads.values(),
                      *self.curves.values()]
        self._deep = [*self.paths3d.values(), *self.heads3d.values(), *self.curves.values()]
        self.animate(*self._flat)
        for a in self._deep:
            a.set_animated(True)
        # The cost panel's x axis (it follows the steps slider) and its spines (they cover the
        # tick marks) are drawn over a cached image of the rest, so a new length does not draw
        # the contours and the y axis again. Few tick labels: drawing text is what costs.
        self.animate(self.ax_cost.xaxis, *self.ax_cost.spines.values(), slow=True)
        # one key to the colours and markers of both panels, above them. It lists every optimizer,
        # ticked or not: a key of the ticked ones only would be drawn again on every tick, and
        # drawing text is what costs (a tick would cost several times what it does now).
        self.legend = self.fig.legend(
            handles=[plots.line_key(n, plots.OPTIMIZER_COLORS[n], marker=plots.OPTIMIZER_MARKERS[n])
                     for n in OPTIMIZERS], loc="outside upper center", ncols=len(OPTIMIZERS),
            frameon=False)
        self.ax_cost.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10], integer=True))
        # A full draw then draws the y grid before the x grid, as the layers do (the crossings
        # would otherwise differ by one level of rounding).
        self.ax_cost.yaxis.set_zorder(self.ax_cost.xaxis.get_zorder() - 0.1)
        self.ax_cost.set_yscale("log")
        self.ax_cost.set_xlabel("iteration")
        self.ax_cost.set_ylabel(r"cost above the minimum  $J - J^*$")
        self.ax_cost.set_title("cost (log scale)")

        # --- wiring -----------------------------------------------------------------------
        self.observe(self.landscape, lambda ch: self._new_landscape())
        self.observe(self.steps, lambda ch: self._new_steps(slow=True))
        self.observe(self.view, lambda ch: self._new_view())
        self.observe(self.tune, lambda ch: self._recompute(list(OPTIMIZERS)))
        for name in OPTIMIZERS:
            self.observe(self.ticks[name], lambda ch, n=name: self._recompute([n]))
            self.observe(self.lrs[name], lambda ch, n=name: self._recompute([n]))
            self.observe(self.decays[name], lambda ch, n=name: self._recompute([n]))
            if name in self.betas:
                self.observe(self.betas[name], lambda ch, n=name: self._recompute([n]))
        self.draggable(self.ax, self._move_start, on_press=self._jump_start,
                       on_release=self._release, enabled=lambda: self.view.value == "contours")

        self.layout(widgets.HBox([self.landscape, self.steps, self.view]),
                    widgets.VBox(rows), widgets.HBox([self.player.widget, self.tune]), self.message)
        *top, output = self.widget.children
        self.widget.children = (*top, self.table, output)
        self._add_start_fields()
        self._new_landscape()

    # --- settings -----------------------------------------------------------------------------
    def _new_landscape(self):
        self.land = landscapes.get(self.landscape.value)
        self.start = self._raced_from = np.array(self.land.start, dtype=float)
        self._show_start(new_bounds=True)
        self.kept = {}
        for artist in self._background_artists:
            artist.remove()
        before = set(self.ax.get_children())
        plots.contour_landscape(self.ax, self.land, n=120, levels=25,
                                log=self.land.name in LOG_CONTOURS)
        self._background_artists = [a for a in self.ax.get_children() if a not in before]
        self._background = None
        self.ax.set_xlabel("$w_1$")
        self.ax.set_ylabel("$w_2$")
        self.ax.set_title(f"{self.land.name}: drag the start")
        _, _, P = plots.grid(self.land.bounds, 40)
        top = float(search.gap(self.land, self.land.value(P)).max())
        self.ax_cost.set_ylim(FLOOR, max(top, 1.0) * 10)
        if self._surface is not None:
            self._surface.remove()
            self._surface = None
        if self.view.value != "contours":
            self._draw_surface()
        self._new_steps(full=True)

    def _new_steps(self, full=False, slow=False):
        """A new race length: the races are cut short, or raced again to the slider's longest
        length (then any other length is cut from them), and the cost panel's x axis changes."""
        steps = int(self.steps.value)
        self.player.max_steps = steps
        self.player.play.max = steps
        self.ax_cost.set_xlim(0, steps)
        self._recompute(list(OPTIMIZERS), full=full, slow=slow, length=self.steps.max)

    def _new_view(self):
        deep = self.view.value != "contours"
        if deep:
            x0, y0, w, h = self.ax.get_position().bounds   # where the layout put the contours
            self.ax3d.set_position([x0 + 0.02 * w, y0 + 0.04 * h, 0.9 * w, 0.92 * h])
        self.ax.set_visible(not deep)
        self.ax3d.set_visible(deep)
        if deep and self._surface is None:
            self._draw_surface()
        self._animated[:] = self._deep if deep else self._flat
        self._background = None            # blit again only after the next full draw
        for a in self._flat:
            if a not in self.curves.values():
                a.set_visible(not deep)
        self._show(self.player.k, full=True)

    def _draw_surface(self):
        X, Y, P = plots.grid(self.land.bounds, 45)
        self._surface = self.ax3d.plot_surface(X, Y, self._height(self.land.value(P)),
                                               cmap=plots.LANDSCAPE_CMAP, linewidth=0,
                                               alpha=0.75, rstride=1, cstride=1)
        self.ax3d.set_xlabel("$w_1$")
        self.ax3d.set_ylabel("$w_2$")
        log = self.land.name in LOG_CONTOURS
        self.ax3d.set_title(f"{self.land.name}, height " +
                            (r"$\log_{10}(J - J^* + 1)$" if log else "$J$"))

    def _height(self, values):
        if self.land.name in LOG_CONTOURS:
            return np.log10(search.gap(self.land, values) + 1.0)
        return values

    # --- racing -------------------------------------------------------------------------------
    def _hyper(self, name):
        return {BETA_NAME[name]: float(self.betas[name].value)} if name in BETA_NAME else {}

    def _lr(self, name, lr0):
        """``name``'s learning rate: ``lr0``, or a schedule decaying from it (half-life HALF_LIFE).
        The cosine ends at lr0 / 100 (at step 2 HALF_LIFE + 1), not 0: a learning rate of 0
        would stop a longer race."""
        decay = self.decays[name].value
        if decay == "constant":
            return lr0
        if decay == "cosine":
            return schedules.cosine(lr0, total=2 * HALF_LIFE, lr_min=lr0 / 100)
        return make_schedule(decay, lr0, HALF_LIFE)

    def _tuned(self, name):
        """The best starting learning rate from TUNE_LRS for ``name`` with its decay."""
        steps, decay = int(self.steps.value), self.decays[name].value
        if decay == "constant":
            res = search.tune_lr(self.land, name, self.start, steps, lrs=TUNE_LRS, tol=self.tol,
                                 **self._hyper(name))
            return Run(self.land, res.traj, res.best, res.best_lr, self.tol)
        opts = [make(name, lr=self._lr(name, lr), **self._hyper(name)) for lr in TUNE_LRS]
        traj = descend(self.land, Each(opts), np.tile(self.start, (len(opts), 1)), steps,
                       tol=self.tol)
        best = int(np.argmin(search.score(self.land, traj, self.tol)))
        return Run(self.land, traj, best, float(TUNE_LRS[best]), self.tol, decay)

    def _race(self, names, length):
        """``{name: Run}`` of the current length for ``names``. A kept race with the same
        setting, at least that long, is cut short (:func:`prefix`); the others are raced for
        ``length`` steps (at least the current length) in one ``descend`` call."""
        steps = int(self.steps.value)
        settings = {name: (float(self.lrs[name].value), self._hyper(name), self.decays[name].value)
                    for name in names}
        new = [name for name in names if name not in self.kept
               or self.kept[name][0] != settings[name] or self.kept[name][1].steps < steps]
        if new:
            opts = [make(name, lr=self._lr(name, settings[name][0]), **settings[name][1])
                    for name in new]
            traj = descend(self.land, Each(opts), np.tile(self.start, (len(new), 1)),
                           max(length, steps), tol=self.tol)
            self.kept.update({name: (settings[name], traj, i) for i, name in enumerate(new)})
        return {name: Run(self.land, prefix(self.kept[name][1], steps), self.kept[name][2],
                          settings[name][0], self.tol, settings[name][2]) for name in names}

    def _recompute(self, names, full=False, draw=True, slow=False, length=0):
        """Race ``names`` again (the others keep their runs; ``length``: see :meth:`_race`), then
        redraw at the current step (the slow layer too with ``slow=True``, whole with
        ``full=True``)."""
        tune = bool(self.tune.value)
        for name in names:
            self.lrs[name].disabled = bool(self.ticks[name].value) and tune
            for store in (self.runs, self.untuned, self.tuned):
                store.pop(name, None)
        names = [name for name in names if self.ticks[name].value]
        self.untuned.update(self._race(names, length))
        for name in names:
            if tune:
                self.tuned[name] = self._tuned(name)
            self.runs[name] = self.tuned[name] if tune else self.untuned[name]
        for name in OPTIMIZERS:
            visible = name in self.runs
            self.curves[name].set_visible(visible)
            for a in (self.paths, self.heads) if self.view.value == "contours" else (self.paths3d,
                                                                                      self.heads3d):
                a[name].set_visible(visible)
        self._write_table()
        if draw:
            self._show(self.player.k, full=full, slow=slow)


    def _write_table(self):
        if not self.runs:
            self.table.value = "<i>Tick at least one optimizer.</i>"
            self.message.value = ""
            return
        self.table.value = results_table(self.runs, self.tol, int(self.steps.value), self.start,
                                         self.untuned if self.tune.value else None)
        bad = [f"{n} diverged at step {r.diverged_at}" for n, r in self.runs.items()
               if r.diverged_at >= 0]
        self.message.value = (f'<span style="color:{plots.MODEL}">{"; ".join(bad)}: the learning rate '
                              f"is too large for this curvature.</span>" if bad else "")

    # --- showing one iteration ----------------------------------------------------------------
    def _show(self, k, full=False, slow=False):
        k = int(np.clip(k, 0, int(self.steps.value)))
        self.start_dot.set_data([self.start[0]], [self.start[1]])
        flat = self.view.value == "contours"
        for name, r in self.runs.items():
            # At step 0 each line has one point and draws nothing: leave it out of the frame.
            for line in (self.curves[name], self.paths[name] if flat else self.paths3d[name]):
                line.set_visible(k > 0)
            p = r.params[:k + 1]
            self.paths[name].set_data(p[:, 0], p[:, 1])
            self.heads[name].set_data(p[-1:, 0], p[-1:, 1])
            self.curves[name].set_data(np.arange(k + 1), np.maximum(r.gap[:k + 1], FLOOR))
            if not flat:
                z = self._height(r.gap[:k + 1] + (self.land.min_value or 0.0))
                self.paths3d[name].set_data_3d(p[:, 0], p[:, 1], z)
                self.heads3d[name].set_data_3d(p[-1:, 0], p[-1:, 1], z[-1:])
        self.refresh(full=full, slow=slow)

    def _on_step(self, k):
        if k < self.player.k:       # Play jumped several steps at once: draw only the last one
            return
        self._show(k)

    def _on_reset(self):
        self._show(0)

    # --- dragging the start -------------------------------------------------------------------
    def _set_start(self, x, y):
        (x0, x1), (y0, y1) = self.land.bounds
        self.start = np.array([np.clip(x, x0, x1), np.clip(y, y0, y1)])
        self.start_dot.set_data([self.start[0]], [self.start[1]])
        self._show_start()

    def _jump_start(self, x, y):
        """A press races from there at once: a click needs nothing more."""
        self._set_start(x, y)
        self._race_from_start()

    def _move_start(self, x, y):
        """While the button is held, only the start follows the pointer."""
        self._set_start(x, y)
        self.refresh()

    def _release(self):
        if not np.array_equal(self.start, self._raced_from):
            self._race_from_start()

    def _race_from_start(self):
        self.player.play.playing = False
        self._raced_from = self.start.copy()
        self.kept = {}
        self._recompute(list(OPTIMIZERS), draw=False)
        self.player.reset()

    # --- the start from the keyboard ----------------------------------------------------------
    def _add_start_fields(self):
        """Number fields for the start, above the figure: typing one is a click there."""
        self.start_x = self.number_field("start w₁", 0.0, -1.0, 1.0,
                                         lambda v: self._jump_start(v, self.start[1]))
        self.start_y = self.number_field("start w₂", 0.0, -1.0, 1.0,
                                         lambda v: self._jump_start(self.start[0], v))
        parts = list(self.widget.children)
        parts.insert(parts.index(self.fig.canvas), widgets.HBox([self.start_x, self.start_y]))
        self.widget.children = parts

    def _show_start(self, new_bounds=False):
        """The start in its fields (with a new landscape, their new ranges too)."""
        for field, value, (low, high) in zip((self.start_x, self.start_y), self.start,
                                             self.land.bounds):
            if new_bounds:
                self.show_number(field, value, low, high)
            else:
                self.show_number(field, value)

    def describe(self):
        k = int(np.clip(self.player.k, 0, int(self.steps.value)))
        if self.runs:
            gaps = []
            for name, r in self.runs.items():
                gone = 0 <= r.diverged_at <= k
                gaps.append(f"{name} diverged at step {r.diverged_at}" if gone else
                            f"{name} {r.gap[min(k, len(r.gap) - 1)]:.2g}")
            now = f"At step {k} of {int(self.steps.value)}, J − J*: " + ", ".join(gaps) + "."
        else:
            now = "No optimizer is ticked."
        return (f"The {self.land.name} landscape ({self.view.value}) and the cost above its "
                f"minimum, for {len(self.runs)} optimizers started at w₁ = {self.start[0]:.2f}, "
                f"w₂ = {self.start[1]:.2f}. {now}")


def _ranks(runs):
    """name -> rank by ``Run.score`` (1 is the best)."""
    order = sorted(runs, key=lambda n: runs[n].score)
    return {n: order.index(n) + 1 for n in runs}


def results_table(runs, tol, steps, start, untuned=None):
    """The races ``runs`` (name -> Run) as an HTML table, best first: learning rate, final
    ``J - J*``, the step at which ``J - J* <= tol``, status, rank. With ``untuned`` (the same
    optimizers with the reader's learning rates, when ``runs`` were tuned first) also those
    learning rates, their ranks and whether tuning changed the ranking."""
    ranks = _ranks(runs)
    head = ["optimizer", "lr", "final J &minus; J*", f"steps to J &minus; J* &le; {tol:g}",
            "status", "rank"]
    if untuned is not None:
        head += ["your lr", "rank with your lr"]
        ranks_yours = _ranks(untuned)
    rows = []
    for name in sorted(runs, key=lambda n: ranks[n]):
        r = runs[name]
        colour = plots.OPTIMIZER_COLORS[name]
        symbol = plots.OPTIMIZER_SYMBOLS[name]
        lr = f"{r.lr:.2g}" + ("" if r.decay == "constant" else f", {r.decay}")
        cells = [f'<b style="color:{plots.text_color(colour)}">{symbol}</b> {name}', lr,
                 f"{r.gap[-1]:.2e}", str(r.converged_at) if r.converged_at >= 0 else "&mdash;",
                 html.escape(r.status()), str(ranks[name])]
        if untuned is not None:
            cells += [f"{untuned[name].lr:.2g}", str(ranks_yours[name])]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    caption = f"after {steps} steps from ({start[0]:.2f}, {start[1]:.2f})"
    if untuned is not None:
        changed = ranks != ranks_yours
        caption += (": <b>tuning changed the ranking</b>" if changed
                    else ": tuning kept the ranking")
    return (f'<table style="border-collapse:collapse;font-size:13px" cellpadding="3">'
            f"<caption style='text-align:left'>{caption}</caption><tr>"
            + "".join(f"<th style='text-align:left;border-bottom:1px solid #999'>{h}</th>" for h in head)
            + "</tr>" + "".join(rows) + "</table>")


# --- benchmark ----------------------------------------------------------------------------------
def _click(x, y):
    def update(app):
        mouse(app, app.ax, "button_press_event", x, y)
        mouse(app, app.ax, "button_release_event", x, y)
    return update


def _held():
    """A race whose start is being dragged: the button went down and is still held."""
    app = OptimizerRace()
    mouse(app, app.ax, "button_press_event", -1.0, 2.0)
    return app


def _move(x, y):
    return lambda app: mouse(app, app.ax, "motion_notify_event", x, y)


def _set_lr(value):
    def update(app):
        app.lrs["Adam"].value = value
    return update


def _toggle(name):
    def update(app):
        app.ticks[name].value = not app.ticks[name].value
    return update


def _set_decay(value):
    def update(app):
        app.decays["Adam"].value = value
    return update


def bench_cases():
    """(label, factory, updates) for ``make bench``."""
    return [
        ("OptimizerRace: Step", OptimizerRace, [lambda app: app.player.step()] * 6),
        ("OptimizerRace: steps slider (races cut short, x axis drawn)", OptimizerRace,
         [set_value("steps", v) for v in (250, 300, 250, 200)]),
        ("OptimizerRace: tick an optimizer (one race)", OptimizerRace,
         [_toggle(name) for name in ("Nesterov", "Adagrad", "Nesterov", "Adagrad")]),
        ("OptimizerRace: lr slider (one race)", OptimizerRace,
         [_set_lr(10 ** (e / 4)) for e in range(-10, 0)]),
        ("OptimizerRace: decay dropdown (one race with a schedule)", OptimizerRace,
         [_set_decay(d) for d in ("step", "exponential", "inverse-time", "cosine", "constant")]),
        ("OptimizerRace: click a new start (4 races)", OptimizerRace,
         [_click(x, y) for x, y in ((-1.0, 2.0), (-1.5, 1.5), (0.5, 2.5), (-0.5, -0.5))]),
        ("OptimizerRace: drag the start (it follows the pointer)", _held,
         [_move(x, y) for x, y in ((-1.2, 1.8), (-1.5, 1.5), (0.5, 2.5), (-0.5, -0.5))]),
    ]
