"""The bookkeeping of OptimizerRace: races kept per setting, cut short, carried on, scored.

A race of ``s`` steps is the first ``s`` steps of any longer race with the same settings
(:func:`prefix`), and a longer one is a shorter one carried on with each optimizer in its state
(:func:`extend`): both bit for bit what ``descend`` from the start gives. :class:`Races` keeps
the races of the last ``KEPT`` settings of each optimizer, so a slider moved back races nothing.
"""
import html

import numpy as np

from course import plots, search
from course.descent import Each, Trajectory, descend
from course.optimizers import make

KEPT = 8                                       # races kept per optimizer, for settings seen again


class Run:
    """One optimizer's race (row ``i`` of ``traj``): path, gap ``J - J*``, divergence, score."""

    def __init__(self, land, traj, i, lr, tol):
        self.lr = lr
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


def extend(land, traj, optimizers, steps, tol):
    """``traj`` carried on to ``steps`` steps, where run i goes on with ``optimizers[i]`` in its
    state after the last step of ``traj``: what ``descend`` from the start would give, without
    taking the first steps again. A run that diverged stays where it stopped, as in ``descend``."""
    done, live = traj.steps, traj.diverged_at < 0
    more = steps - done
    params = np.concatenate([traj.params, np.repeat(traj.params[-1:], more, axis=0)])
    cost = np.concatenate([traj.cost, np.repeat(traj.cost[-1:], more, axis=0)])
    diverged_at = traj.diverged_at.copy()
    if live.any():
        going = _GoingOn([opt for opt, on in zip(optimizers, live) if on])
        on = descend(land, going, traj.params[-1][live], more)
        params[done + 1:, live] = on.params[1:]
        cost[done + 1:, live] = on.cost[1:]
        diverged_at[live] = np.where(on.diverged_at >= 0, on.diverged_at + done, -1)
    hit = cost - land.min_value <= tol
    return Trajectory(params, cost, diverged_at, np.where(hit.any(axis=0), hit.argmax(axis=0), -1))


class _GoingOn:
    """Optimizers under way, as one optimizer for ``descend`` (row i: ``optimizers[i]``): its
    reset leaves their state alone, so each run goes on from where it stopped."""

    def __init__(self, optimizers):
        self.optimizers = optimizers

    def reset(self):
        pass

    def step(self, params, grads):
        return np.array([opt.step(w, g) for opt, w, g in zip(self.optimizers, params, grads)])


def _rows(trajs):
    """One Trajectory of several one-run Trajectories of the same length."""
    return Trajectory(np.concatenate([t.params for t in trajs], axis=1),
                      np.concatenate([t.cost for t in trajs], axis=1),
                      np.concatenate([t.diverged_at for t in trajs]),
                      np.concatenate([t.converged_at for t in trajs]))


def _row(traj, i):
    return Trajectory(traj.params[:, i:i + 1], traj.cost[:, i:i + 1], traj.diverged_at[i:i + 1],
                      traj.converged_at[i:i + 1])


class Races:
    """The races from ``start`` on ``land`` of the last ``KEPT`` settings of each optimizer."""

    def __init__(self, land, start, tol):
        self.land, self.start, self.tol = land, start, tol
        self.kept = {}          # name -> {setting: (its race so far, its optimizer in its state)}

    def get(self, settings, steps):
        """``{name: Run}`` of ``steps`` steps for ``settings`` (name -> ``(lr, ((hyperparameter,
        value), ...))``). The settings not kept are raced in one ``descend`` call; a kept race is
        cut short (:func:`prefix`) or carried on (:func:`extend`) instead of run again."""
        new, shorter = [], {}
        for name, setting in settings.items():
            raced = self.kept.setdefault(name, {}).get(setting)
            if raced is None:
                new.append(name)
            elif raced[0].steps < steps:
                shorter.setdefault(raced[0].steps, []).append(name)
        if new:
            opts = [make(name, lr=settings[name][0], **dict(settings[name][1])) for name in new]
            traj = descend(self.land, Each(opts), np.tile(self.start, (len(new), 1)), steps,
                           tol=self.tol)
            for i, name in enumerate(new):
                self._keep(name, settings[name], _row(traj, i), opts[i])
        for group in shorter.values():
            opts = [self.kept[name][settings[name]][1] for name in group]
            traj = extend(self.land, _rows([self.kept[name][settings[name]][0] for name in group]),
                          opts, steps, self.tol)
            for i, name in enumerate(group):
                self._keep(name, settings[name], _row(traj, i), opts[i])
        return {name: Run(self.land, prefix(self.kept[name][setting][0], steps), 0, setting[0],
                          self.tol) for name, setting in settings.items()}

    def _keep(self, name, setting, traj, opt):
        """The race of ``setting`` is the newest of ``name``'s; the oldest goes beyond KEPT."""
        kept = self.kept[name]
        kept.pop(setting, None)
        kept[setting] = (traj, opt)
        if len(kept) > KEPT:
            del kept[next(iter(kept))]


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
        cells = [f'<b style="color:{colour}">&#9632;</b> {name}', f"{r.lr:.2g}",
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
