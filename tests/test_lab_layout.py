"""Every lesson run in real JupyterLab, as a learner sees it: a 1366 x 768 window with the file
browser open (widened until the notebook's output area is at most 900 px wide). Every widget fits
its output area: none is wider, nothing sticks out of it or is cut off.

JupyterLab serves a temporary copy of notebooks/ (its autosave writes there, never into the
course) with temporary Jupyter config, data and runtime directories (nothing of the user's
settings or extensions leaks in; the news pop-up is switched off). All lessons open as tabs of
one JupyterLab page and run at the same time (Run All Cells); then each tab is shown in turn and
measured. Notebooks are found by glob: a new lesson is covered without editing this file.
Screenshots of every widget output go to artifacts/lab-layout/. Without Chromium this skips,
except under CI=true where that is a failure.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import browser

pytestmark = pytest.mark.browser
WINDOW = {"width": 1366, "height": 768}
OUTPUT_WIDTH = 900          # every app fits an output area this wide (the course's rule)
SLACK = 1                   # px: sub-pixel rounding of layout boxes
SCREENSHOTS = browser.ROOT / "artifacts" / "lab-layout"
RUN_TIMEOUT_S = 400         # all lessons run together on a shared 2-core machine
# Settings of the temporary JupyterLab: no news or update pop-up (and no request for them),
# every cell of a notebook laid out (not only those scrolled into view), so each can be measured.
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}
PAGE_CONFIG = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}
WIDGETS = ".jupyter-widgets, .jupyter-matplotlib, [class*='widget-']"


class Lab:
    """``jupyter lab`` on a free loopback port serving a copy of ``notebooks`` (``with Lab() as lab``)."""

    def __init__(self, notebooks=browser.NOTEBOOK_DIR, startup=120):
        self.tmp = Path(tempfile.mkdtemp(prefix="lab-layout-"))
        self.root = self.tmp / "notebooks"
        shutil.copytree(notebooks, self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        config, settings = self.tmp / "config", self.tmp / "settings"
        (config / "labconfig").mkdir(parents=True)
        (config / "labconfig" / "page_config.json").write_text(json.dumps(PAGE_CONFIG))
        for name, values in SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        self.env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config), "JUPYTER_DATA_DIR": str(self.tmp / "data"),
                    "JUPYTER_RUNTIME_DIR": str(self.tmp / "runtime"), "IPYTHONDIR": str(self.tmp / "ipython"),
                    "JUPYTERLAB_SETTINGS_DIR": str(settings), "JUPYTERLAB_WORKSPACES_DIR": str(self.tmp / "workspaces"),
                    "PYTHONPATH": os.pathsep.join(filter(None, [str(browser.ROOT), os.environ.get("PYTHONPATH")])),
                    # a numpy RuntimeWarning in a cell or callback is an error, as under nbval
                    "PYTHONWARNINGS": "error::RuntimeWarning"}
        self.env.pop("JUPYTER_PATH", None)
        self.port, self.token, self.startup = browser.free_port(), os.urandom(16).hex(), startup
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(self.tmp / "lab.log", "w+")
        self.process = None

    def url(self, path=""):
        return f"{self.base}/lab{path}?token={self.token}"

    def start(self):
        cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
               f"--port={self.port}", f"--ServerApp.token={self.token}", f"--ServerApp.root_dir={self.root}",
               "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=", "--ServerApp.open_browser=False"]
        self.process = subprocess.Popen(cmd, cwd=self.tmp, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + self.startup
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=5):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"jupyter lab did not answer within {self.startup} s:\n{self.output()}")

    def output(self):
        self.log.flush()
        return (self.tmp / "lab.log").read_text(errors="replace")[-5000:]

    def stop(self):
        """Stop the server and every process it started (kernels too)."""
        browser.stop_family(self.process)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


# Open every notebook as a tab, wait for its kernel, start Run All Cells in each (they run at the
# same time); resolves to {path: [tab id, whether every cell ran without error]}.
RUN_ALL_JS = """async (paths) => {
    const app = window.jupyterapp;
    const tabs = [];
    for (const path of paths) {
        const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
        await panel.context.ready;
        await panel.sessionContext.ready;
        app.shell.activateById(panel.id);
        tabs.push([path, panel.id, app.commands.execute('notebook:run-all-cells')]);
    }
    const out = {};
    for (const [path, id, ran] of tabs) out[path] = [id, await ran];
    return out;
}"""

# The output areas that hold widgets in the tab ``id``, and what in them does not fit: each
# widget's box, the area's own scroll width, and every element sticking out past its edges
# (only the outermost of a nested run is listed).
MEASURE_JS = """(id) => {
    const panel = document.getElementById(id);
    const outs = Array.from(panel.querySelectorAll('.jp-OutputArea-output'))
        .filter(o => o.querySelector(%r));
    const describe = e => {
        const label = (e.getAttribute('class') || e.tagName.toLowerCase()).split(' ').slice(0, 3).join('.');
        const text = (e.innerText || e.getAttribute('title') || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
        return text ? `${label} "${text}"` : label;
    };
    return outs.map((o, index) => {
        const box = o.getBoundingClientRect();
        const sticking = new Set();
        for (const e of o.querySelectorAll('*')) {
            const r = e.getBoundingClientRect();
            if (r.width === 0 || r.height === 0 || getComputedStyle(e).visibility === 'hidden') continue;
            if (r.right > box.right + %d || r.left < box.left - %d) sticking.add(e);
        }
        const problems = Array.from(sticking).filter(e => !sticking.has(e.parentElement)).map(e => {
            const r = e.getBoundingClientRect();
            return `${describe(e)}: x ${Math.round(r.left - box.left)} to ${Math.round(r.right - box.left)}`;
        });
        if (o.scrollWidth > o.clientWidth + %d)
            problems.push(`the output area scrolls: ${o.scrollWidth} px of content in ${o.clientWidth} px`);
        const cell = o.closest('.jp-Cell');
        const cells = Array.from(panel.querySelectorAll('.jp-Cell'));
        return {index, cell: cells.indexOf(cell), width: box.width, problems};
    });
}""" % (WIDGETS, SLACK, SLACK, SLACK)


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(folder).glob("*.ipynb"))}


def _drawn(page, id, timeout):
    """Wait until every ipympl figure in tab ``id`` shows pixels and no widget is still loading."""
    page.wait_for_function(
        """(id) => { const panel = document.getElementById(id);
                     const canvases = Array.from(panel.querySelectorAll('%s canvas.jupyter-matplotlib-canvas, '
                                                                      + '%s .jupyter-matplotlib-canvas-div canvas:first-child'));
                     return canvases.every(c => c.width > 0 && window.__drawnCanvases.has(c))
                         && !Array.from(panel.querySelectorAll('.jp-OutputArea-output'))
                                 .some(o => o.textContent.trim().startsWith('Loading widget')); }"""
        % (browser.FIGURE, browser.FIGURE), arg=id, timeout=timeout)


def _widen_file_browser(page, id):
    """Drag the file browser's edge until the notebook's output areas are at most OUTPUT_WIDTH wide."""
    width = page.evaluate("(id) => document.getElementById(id).querySelector('.jp-OutputArea-output')"
                          ".getBoundingClientRect().width", id)
    if width <= OUTPUT_WIDTH:
        return width
    handle = page.locator("#jp-main-split-panel > .lm-SplitPanel-handle:not(.lm-mod-hidden)").first
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + (width - OUTPUT_WIDTH) + 2, y, steps=5)
    page.mouse.up()
    page.wait_for_timeout(500)
    return page.evaluate("(id) => document.getElementById(id).querySelector('.jp-OutputArea-output')"
                         ".getBoundingClientRect().width", id)


@pytest.fixture(scope="module")
def lab_runs(chrome):
    """Every lesson run in one JupyterLab page; {notebook name: report} (see the test)."""
    notebooks = browser.notebooks()
    before = _digest(browser.NOTEBOOK_DIR)
    reports = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with Lab() as lab:
        page = chrome.new_page(viewport=WINDOW)
        errors = []
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        page.add_init_script(browser.DRAW_HOOK_JS)
        try:
            page.goto(lab.url(), wait_until="domcontentloaded", timeout=120_000)
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=120_000)
            page.evaluate("() => window.jupyterapp.restored")
            page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
            start = time.monotonic()
            tabs = page.evaluate(f"""(paths) => Promise.race([({RUN_ALL_JS})(paths),
                new Promise((_, no) => setTimeout(() => no(new Error('Run All Cells took over {RUN_TIMEOUT_S} s')),
                                                  {RUN_TIMEOUT_S * 1000}))])""", [p.name for p in notebooks])
            ran_in = time.monotonic() - start
            assert not page.evaluate("() => window.jupyterapp.shell.leftCollapsed"), "the file browser is closed"
            width = None
            for notebook in notebooks:
                id, ok = tabs[notebook.name]
                page.evaluate("(id) => window.jupyterapp.shell.activateById(id)", id)
                _drawn(page, id, timeout=120_000)
                if width is None:
                    width = _widen_file_browser(page, id)
                page.wait_for_timeout(300)     # widgets lay themselves out in the shown tab
                outputs = page.evaluate(MEASURE_JS, id)
                stem = notebook.stem
                for out in outputs:
                    locator = page.locator(f"#{id} .jp-OutputArea-output").filter(
                        has=page.locator(WIDGETS)).nth(out["index"])
                    try:
                        locator.screenshot(path=str(SCREENSHOTS / f"{stem}-cell{out['cell']:02d}.png"), timeout=10_000)
                    except Exception as exc:     # a screenshot is for people; the measure is the test
                        errors.append(f"screenshot of {stem} cell {out['cell']}: {exc}")
                failed = page.evaluate(
                    "(id) => Array.from(document.getElementById(id).querySelectorAll("
                    "'[data-mime-type=\"application/vnd.jupyter.stderr\"]')).map(e => e.innerText).join('\\n')", id)
                reports[notebook.name] = {"ran": ok, "outputs": outputs, "width": width, "seconds": ran_in,
                                          "stderr": failed[-3000:]}
            page.screenshot(path=str(SCREENSHOTS / "window.png"))
        finally:
            page.close()
        for report in reports.values():
            report["errors"] = errors
            report["log"] = lab.output()
    reports["__unchanged__"] = before == _digest(browser.NOTEBOOK_DIR)
    return reports


@pytest.mark.parametrize("notebook", browser.notebooks(), ids=lambda path: path.stem)
def test_every_widget_fits_a_900_px_output_area_in_jupyterlab(notebook, lab_runs):
    report = lab_runs[notebook.name]
    assert report["ran"], (f"Run All Cells stopped on an error in {notebook.name}:\n{report['stderr']}\n"
                           f"server log:\n{report['log'][-1500:]}")
    assert report["width"] <= OUTPUT_WIDTH + SLACK, f"output area {report['width']} px wide"
    outputs = report["outputs"]
    problems = [f"cell {o['cell']}: {p}" for o in outputs for p in o["problems"]]
    assert not problems, f"{notebook.name} in a {report['width']:.0f} px output area:\n" + "\n".join(problems)


def test_jupyterlab_left_the_course_notebooks_as_they_were(lab_runs):
    assert lab_runs["__unchanged__"], "a notebook under notebooks/ changed while JupyterLab ran the lessons"


def test_the_lessons_have_widgets_to_measure(lab_runs):
    # the measure above sees something: the lessons with apps show widget outputs in JupyterLab
    assert sum(len(r["outputs"]) for k, r in lab_runs.items() if k != "__unchanged__") >= len(browser.notebooks())
