"""Render notebooks as Voila dashboards in headless Chromium (Debian's, driven by Playwright).

Shared by the dashboard tests, ``scripts/screenshot.py`` and ``benchmarks/bench_browser.py``.
Nothing is downloaded: the browser is the system ``chromium``; Voila runs on a free loopback port.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
SHARE = ROOT / "share" / "jupyter"   # the course's Voila template (see Voila)
SERVER = ROOT / "scripts" / "dashboard.py"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ERROR_TEXTS = ("There was an error when executing cell", "Traceback", "Javascript Error",
               "Error displaying widget")
FIGURE = "div.jupyter-matplotlib-figure"
SLIDER_HANDLE = ".widget-slider .noUi-handle"
# The main ipympl canvas of every figure (the second canvas is the transparent rubber band).
CANVAS_JS = f"Array.from(document.querySelectorAll('{FIGURE} canvas.jupyter-matplotlib-canvas, "\
            f"{FIGURE} .jupyter-matplotlib-canvas-div canvas:first-child'))"

# Installed before the page's own scripts. ipympl draws each frame of a figure with drawImage:
# the received image into a hidden canvas, that canvas into the one on screen. A canvas counts
# as drawn once a loaded image, or a canvas that counts as drawn, was drawn into it. Every
# drawImage is also reported to a watch, if one is set (see Page.nudge_slider).
DRAW_HOOK_JS = """(() => {
    const drawn = window.__drawnCanvases = new WeakSet();
    const hasPixels = src => src instanceof HTMLImageElement ? src.complete && src.naturalWidth > 0
                                                             : drawn.has(src);
    const draw = CanvasRenderingContext2D.prototype.drawImage;
    CanvasRenderingContext2D.prototype.drawImage = function (...args) {
        const result = draw.apply(this, args);
        if (hasPixels(args[0])) drawn.add(this.canvas);
        if (window.__canvasDrawn) window.__canvasDrawn(this.canvas);
        return result;
    };
})();"""


def notebooks():
    """Every notebook under notebooks/, in lesson order (found anew each run)."""
    return sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def chromium():
    """Path of the system Chromium, or None."""
    return shutil.which("chromium")


def unavailable(reason):
    """Skip a browser test for ``reason``, except under CI=true, where that is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; under CI=true the browser tests must run", pytrace=False)
    pytest.skip(reason)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_family(process):
    """Stop a server started with subprocess.Popen and every process it started (kernels too):
    terminate, wait up to 10 s, then kill what is left."""
    if process is None or process.poll() is not None:
        return
    import psutil

    try:
        family = [psutil.Process(process.pid)]
        family += family[0].children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    for proc in family:
        try:
            proc.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(family, timeout=10)
    for proc in alive:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    process.wait(timeout=10)


class Voila:
    """The course's dashboard server (``scripts/dashboard.py``, what ``make dashboard`` runs) on
    127.0.0.1 serving ``root``; stops with its kernels (``with Voila() as v``).

    It serves with the course template (share/jupyter/voila/templates/course: the markdown's
    mathematics typeset after the widgets are drawn, the kernel freed when the page is left)
    and voila.json's settings; ``template="lab"`` gives Voila's own template.
    """

    def __init__(self, root=NOTEBOOK_DIR, port=None, timeout=120, startup=90, env=None, args=(), template=None):
        self.root, self.port, self.timeout, self.startup = Path(root), port or free_port(), timeout, startup
        self.args = list(args)
        self.env = {**os.environ, **(env or {})}
        paths = [str(SHARE), *filter(None, self.env.get("JUPYTER_PATH", "").split(os.pathsep))]
        self.env["JUPYTER_PATH"] = os.pathsep.join(paths)
        if template is not None:
            self.args.append(f"--VoilaConfiguration.template={template}")
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.log = tempfile.NamedTemporaryFile(prefix="voila-", suffix=".log", delete=False)

    def url(self, notebook):
        """Dashboard URL of a notebook (a path or a name relative to ``root``)."""
        rel = Path(notebook).resolve().relative_to(self.root.resolve()) if Path(notebook).is_absolute() \
            or Path(notebook).exists() else Path(notebook)
        return f"{self.base}/voila/render/{rel.as_posix()}"

    def start(self):
        cmd = [sys.executable, str(SERVER), str(self.root), f"--port={self.port}",
               f"--VoilaExecutor.timeout={self.timeout}", *self.args]
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + self.startup
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"voila exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.base + "/", timeout=5):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"voila did not answer within {self.startup} s:\n{self.output()}")

    def wait_idle(self, quiet=2.0, timeout=180):
        """Wait until Voila and its kernels have used almost no CPU for ``quiet`` seconds.

        With preheated kernels (voila.json) the server runs every notebook ahead of the first
        visit and again after each visit (``fill_delay`` seconds after it): this waits for that
        work, including a refill not started yet, as a classroom server that was started before
        the lesson would have done it.
        """
        import psutil

        deadline, calm_since = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            try:
                family = [psutil.Process(self.process.pid)]
                family += family[0].children(recursive=True)
                busy = sum(p.cpu_times().user + p.cpu_times().system for p in family)
                time.sleep(0.5)
                busy = sum(p.cpu_times().user + p.cpu_times().system for p in family) - busy
            except psutil.NoSuchProcess:
                continue
            if busy > 0.05 or self.refills_pending():  # > 10% of one core over the last half second
                calm_since = None
            elif calm_since is None:
                calm_since = time.monotonic()
            elif time.monotonic() - calm_since >= quiet:
                return
        raise RuntimeError(f"voila stayed busy for {timeout} s")

    def refills_pending(self):
        """Kernel pool refills that Voila's log shows as due but not done (each visit takes the
        pool's kernel; each pool, first filled at start, is filled again after each visit)."""
        log = Path(self.log.name).read_text(errors="replace")
        filled = re.findall(r"Kernel pool of (.+) is filled", log)
        return log.count("Using pre-heated kernel") + len(set(filled)) - len(filled)

    def output(self, last=5000):
        """The server's log (its last ``last`` characters; None: all of it)."""
        text = Path(self.log.name).read_text(errors="replace")
        return text if last is None else text[-last:]

    def kernels(self):
        """The server's kernel processes (psutil), alive now."""
        import psutil

        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        found = []
        for proc in children:
            try:
                if "ipykernel_launcher" in " ".join(proc.cmdline()):
                    found.append(proc)
            except psutil.NoSuchProcess:
                pass
        return found

    def kernel_rss(self):
        """(number of kernels, their total resident memory in MB) now."""
        import psutil

        total = 0
        kernels = self.kernels()
        for proc in kernels:
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return len(kernels), total / 2**20

    def cpu_seconds(self):
        """CPU seconds used so far by the server and every kernel it started, live or ended
        (user + system; ended kernels count through the server's reaped-children times)."""
        import psutil

        try:
            server = psutil.Process(self.process.pid)
            t = server.cpu_times()
        except psutil.NoSuchProcess:
            return 0.0
        total = t.user + t.system + t.children_user + t.children_system
        for proc in server.children(recursive=True):
            try:
                c = proc.cpu_times()
                total += c.user + c.system
            except psutil.NoSuchProcess:
                pass
        return total

    def stop(self):
        """Stop Voila and every process it started (kernels run in their own sessions)."""
        stop_family(self.process)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        self.log.close()
        os.unlink(self.log.name)


def launch(playwright):
    """Headless system Chromium; raises RuntimeError when there is none."""
    path = chromium()
    if path is None:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)


class Page:
    """One dashboard page, with every page error and console error it produced."""

    def __init__(self, browser, width=1280, height=900):
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors = []
        self.warnings = []
        self.model_ids = []     # the widget models the page's HTML shows (filled as it arrives)
        self.external = []      # every request to anywhere but the loopback server
        self.page.on("request", self._request)
        self.timings = {}
        self.page.add_init_script(DRAW_HOOK_JS)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("console", self._console)
        self.page.on("response", self._document)

    def _request(self, request):
        if not re.match(r"(https?|wss?)://127\.0\.0\.1:\d+/|(data|blob):", request.url):
            self.external.append(request.url)

    def _document(self, response):
        if response.request.resource_type == "document" and "/voila/render/" in response.url:
            self.model_ids = sorted(set(re.findall(r'"model_id": "([0-9a-f]{32})"', response.text())))

    def _console(self, msg):
        if msg.type == "warning":    # kept for failure reports (a widget fetch that timed out)
            self.warnings.append(f"console warning: {msg.text}")
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        self.errors.append(f"console error: {msg.text} ({url})")

    def open(self, url, timeout=120_000):
        """Load a dashboard and wait until its widgets are drawn; returns seconds until then.

        ``self.loaded`` gets the seconds until the page itself was ready (HTML, scripts and the
        kernel connection: Voila's loading indicator is gone), before any widget was drawn.
        ``self.timings`` breaks the wait down, in seconds from the request: ``html`` the whole
        HTML received (Voila streams it as the preheated kernel's cells are rendered), ``dom``
        parsed, ``loaded`` as above, ``restored`` the widget manager holds every model (its
        state fetched from the kernel), ``drawn`` every widget and figure on screen.
        """
        start = time.monotonic()
        self.page.goto(url, wait_until="domcontentloaded", timeout=timeout)
        self.page.wait_for_selector("#loading", state="detached", timeout=timeout)
        self.loaded = time.monotonic() - start
        self.page.wait_for_function("() => window.jupyterapp && window.jupyterapp.widgetManager"
                                    " && window.jupyterapp.widgetManager.restoredStatus", timeout=timeout)
        restored = time.monotonic() - start
        self.wait_for_widgets(timeout)
        drawn = time.monotonic() - start
        nav = self.page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                                 " return [n.responseEnd / 1000, n.domContentLoadedEventEnd / 1000]; }")
        self.timings = {"html": nav[0], "dom": nav[1], "loaded": self.loaded, "restored": restored, "drawn": drawn}
        return drawn

    def wait_for_widgets(self, timeout=120_000):
        """Wait until every widget output is rendered and every figure canvas has pixels."""
        # Voila first writes "Loading widget..." where each widget view will go.
        self.page.wait_for_function(
            """() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))
                         .every(e => !e.textContent.trim().startsWith('Loading widget'))""",
            timeout=timeout)
        # Checked on every animation frame, so it must cost the page nothing: a canvas counts
        # once a frame was drawn into it. (Until 2026-11-23 each check encoded every canvas as
        # a PNG and compared it with a blank one: on the optimizer lesson (now 6) that took up to half of the main
        # thread while the figures were being drawn, and delayed them.)
        self.page.wait_for_function(
            f"() => {CANVAS_JS}.every(c => c.width > 0 && window.__drawnCanvases.has(c))",
            timeout=timeout)

    def wait_for_math(self, timeout=30_000):
        """With the course template, wait until the markdown's mathematics is typeset (it starts
        once the widgets are drawn); returns the seconds waited (0 without that template)."""
        start = time.monotonic()
        self.page.wait_for_function(
            "() => !document.querySelector('section.jp-MarkdownOutput')"
            " || document.body.dataset.mathTypeset === 'done'", timeout=timeout)
        return time.monotonic() - start

    def error_texts(self):
        text = self.page.inner_text("body")
        return [t for t in ERROR_TEXTS if t in text]

    def report(self):
        """The page's errors and the text around each error message, for a failure message."""
        body = self.page.inner_text("body")
        around = [body[max(0, i - 300):i + 300] for t in ERROR_TEXTS for i in [body.find(t)] if i >= 0]
        return "browser errors: " + ("\n".join(self.errors + self.warnings) or "none") + "\ntext around the errors:\n" + "\n---\n".join(around)

    def model_not_found(self):
        """True when the widget manager reported a model the page shows as not found (see the test)."""
        return any("widget model not found" in e for e in self.errors)

    def models_missing(self):
        """The models the page's HTML shows that the widget manager does not hold now."""
        return self.page.evaluate(
            "ids => { const m = window.jupyterapp && window.jupyterapp.widgetManager;"
            " return m ? ids.filter(id => !m.has_model(id)) : ids; }", self.model_ids)

    def figures(self):
        return self.page.evaluate(f"() => {CANVAS_JS}.length")

    def sliders(self):
        return self.page.locator(SLIDER_HANDLE).count()

    def canvases(self):
        """Data URLs of every figure canvas."""
        return self.page.evaluate(f"() => {CANVAS_JS}.map(c => c.toDataURL())")

    def nudge_slider(self, index=0, key="ArrowRight", timeout=8_000, settle=1_500):
        """Press a key on a slider handle; return seconds until some figure's pixels changed, or None.

        The page watches the figures in the slider's own app: each time one of their canvases
        is drawn into (ipympl draws each frame with ``drawImage``), a checksum of its pixels is
        compared with the one from before the press; the figure counts as changed at the next
        animation frame after the first draw that changed them (when the new pixels are painted).
        The time is measured from the page's keydown event (its timeStamp). (Until 2026-11-23 the
        checksums were taken on every animation frame: on the optimizer lesson's large figures that loop took
        most of the main thread and added itself to the latency.) The seconds from the start of
        the watch to that keydown (Playwright's round trip to deliver the key, not the page's
        work) go to ``self.key_delay``. Changes of text written by the kernel (HTML and output
        widgets) are watched too: the seconds until the first one go to ``self.text_changed``
        (None when none did); after such a change the figures get ``settle`` ms more before the
        press counts as text-only.
        """
        handle = self.page.locator(SLIDER_HANDLE).nth(index)
        handle.scroll_into_view_if_needed()
        handle.focus()
        self.page.evaluate(
            f"""([index, timeout, settle]) => {{
                const all = () => {CANVAS_JS};
                let box = document.querySelectorAll('{SLIDER_HANDLE}')[index];
                while (box && !all().some(c => box.contains(c))) box = box.parentElement;
                const pixels = c => {{
                    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    let h = 0;
                    for (let i = 0; i < d.length; i += 4) h = (Math.imul(h, 31) + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) | 0;
                    return h;
                }};
                const TEXTS = '.widget-html-content, .widget-output';
                const texts = () => Array.from(document.querySelectorAll(TEXTS)).map(e => e.textContent).join('\\n');
                const before = new Map(all().filter(c => !box || box.contains(c)).map(c => [c, pixels(c)]));
                const textBefore = texts();
                window.__reaction = new Promise(resolve => {{
                    const t0 = performance.now();
                    let key = null, text = null, changed = false, done = false;
                    document.addEventListener('keydown', e => {{ key = e.timeStamp; }}, {{capture: true, once: true}});
                    const since = () => (performance.now() - (key === null ? t0 : key)) / 1000;
                    const finish = seconds => {{
                        if (done) return;
                        done = true;
                        window.__canvasDrawn = null;
                        observer.disconnect();
                        clearTimeout(timer);
                        resolve([seconds, text, key === null ? null : (key - t0) / 1000]);
                    }};
                    window.__canvasDrawn = c => {{
                        if (changed || !before.has(c) || pixels(c) === before.get(c)) return;
                        changed = true;
                        requestAnimationFrame(() => finish(since()));
                    }};
                    const observer = new MutationObserver(records => {{
                        if (text !== null || changed) return;
                        const inText = records.some(r => {{
                            const e = r.target.nodeType === 1 ? r.target : r.target.parentElement;
                            return e && e.closest(TEXTS);
                        }});
                        if (inText && texts() !== textBefore) {{
                            text = since();
                            setTimeout(() => finish(null), settle);
                        }}
                    }});
                    observer.observe(document.body, {{subtree: true, childList: true, characterData: true}});
                    const timer = setTimeout(() => finish(null), timeout);
                }});
            }}""", [index, timeout, settle])
        handle.press(key)
        figure, self.text_changed, self.key_delay = self.page.evaluate("() => window.__reaction")
        return figure

    def screenshot(self, path, selector=None, max_height=30_000):
        """Save the whole page, or the whole of the first element matching ``selector``, as a PNG.

        Voila's lab template scrolls inside a container, not the body, and a capture stops at
        the window's edge: the viewport is stretched to the tallest scrolling content first (so
        an element taller than the window is captured whole too), then restored.
        """
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        size = self.page.viewport_size
        height = self.page.evaluate(
            "() => Math.max(...Array.from(document.querySelectorAll('*')).map(e => e.scrollHeight))")
        self.page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), max_height)})
        self.page.wait_for_timeout(300)
        try:
            if selector:
                self.page.locator(selector).first.screenshot(path=str(path))
            else:
                self.page.screenshot(path=str(path), full_page=True)
        finally:
            self.page.set_viewport_size(size)
        return Path(path)

    def close(self):
        self.page.close()


def pool_size(notebooks, args=()):
    """Kernels a server started with ``args`` keeps ready at rest: voila.json's
    ``default_pool_size`` per notebook when ``preheat_kernel`` is on (either may be overridden),
    except for the notebooks ``VoilaKernelManager.preheat_denylist`` names (Voila's rule: a
    pattern found in the name, or a regular expression matching its start)."""
    import json

    settings = json.loads((ROOT / "voila.json").read_text())
    config = settings.get("VoilaConfiguration", {})
    denylist = settings.get("VoilaKernelManager", {}).get("preheat_denylist", [])
    preheat, size = config.get("preheat_kernel", False), config.get("default_pool_size", 1)
    for arg in args:
        if arg.startswith("--VoilaConfiguration.preheat_kernel="):
            preheat = arg.split("=", 1)[1] == "True"
        if arg.startswith(("--VoilaConfiguration.default_pool_size=", "--pool_size=")):
            size = int(arg.split("=", 1)[1])
    pooled = [n for n in notebooks if not any(p in Path(n).name or re.match(p, Path(n).name) for p in denylist)]
    return len(pooled) * size if preheat else 0


async def _visit(chromium, url, timeout_ms, record):
    """One visitor: open the page (new context, so its own cookies), wait for its widgets (at
    most ``timeout_ms`` in all), move the first slider, close. Fills ``record`` with the seconds
    to widgets and its ``stages`` (seconds until: ``html`` the whole HTML arrived, ``loaded``
    the scripts ran and the kernel connected, ``restored`` the widget manager holds every model),
    every error seen, and the page's ``kernel`` id."""
    context = await chromium.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    errors, stages = record["errors"], record["stages"]
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: errors.append(f"console error: {msg.text}") if msg.type == "error" else None)
    await page.add_init_script(DRAW_HOOK_JS)
    start = time.monotonic()
    left = lambda: max(1.0, timeout_ms - 1000 * (time.monotonic() - start))  # noqa: E731  (one deadline)
    try:
        response = await page.goto(url, wait_until="domcontentloaded", timeout=left())
        if response is not None and response.status != 200:
            errors.append(f"HTTP {response.status} for the page: {(await response.text())[:300]}")
        record["kernel"] = await page.evaluate("() => { const c = document.getElementById('jupyter-config-data');"
                                               " return c && JSON.parse(c.textContent).kernelId; }")
        await page.wait_for_selector("#loading", state="detached", timeout=left())
        stages["loaded"] = time.monotonic() - start
        await page.wait_for_function("() => window.jupyterapp && window.jupyterapp.widgetManager"
                                     " && window.jupyterapp.widgetManager.restoredStatus", timeout=left())
        stages["restored"] = time.monotonic() - start
        await page.wait_for_function(
            """() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))
                         .every(e => !e.textContent.trim().startsWith('Loading widget'))""", timeout=left())
        await page.wait_for_function(f"() => {CANVAS_JS}.every(c => c.width > 0 && window.__drawnCanvases.has(c))",
                                     timeout=left())
        record["seconds"] = time.monotonic() - start
        stages["html"] = await page.evaluate("() => performance.getEntriesByType('navigation')[0].responseEnd / 1000")
        handles = page.locator(SLIDER_HANDLE)
        if await handles.count():
            await handles.first.scroll_into_view_if_needed()
            await handles.first.focus()
            await handles.first.press("ArrowRight")
            await handles.first.press("ArrowLeft")
            record["slider"] = True
            await page.wait_for_timeout(1500)     # the kernel's answer, and any error it brings
        text = await page.inner_text("body")
        errors += [f"page text: {t}" for t in ERROR_TEXTS if t in text]
        if await page.locator("#course-reload").count():
            errors.append("page text: " + await page.inner_text("#course-reload"))
    except Exception as exc:   # a timeout is a failed visit, reported with the others
        errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        await page.close()     # fires pagehide: the course template asks for the kernel's shutdown
        await context.close()


def visit_together(voila, notebooks, pages, spread=0.0, after=60.0, timeout=300.0, sample=1.0, until_kernels=None):
    """``pages`` visitors at once (started ``spread`` seconds apart in all), round-robin over
    ``notebooks``: each opens its page, moves a slider and closes it. Then ``after`` seconds
    of watching the kernels (or less: until at most ``until_kernels`` are left, when given).

    Returns a dict: ``visits`` (per page: notebook, seconds to widgets or None, errors,
    slider moved), ``during`` and ``after`` (lists of (seconds since start, kernels, kernel MB)
    samples), ``closed_at`` (seconds since start when the last page closed), ``cpu_seconds``
    (the server's and all its kernels' CPU from the first visit to the end of ``after``),
    ``browser_cpu_seconds`` (the headless browsers', sampled every ``sample`` seconds: a lower
    bound, as the last second of each page's processes is missed).
    """
    import asyncio

    import psutil

    from playwright.async_api import async_playwright

    visits = [{"notebook": Path(notebooks[i % len(notebooks)]).stem, "url": voila.url(notebooks[i % len(notebooks)]),
               "seconds": None, "stages": {}, "kernel": None, "errors": [], "slider": False}
              for i in range(pages)]
    result = {"visits": visits, "during": [], "after": []}

    async def run():
        start = time.monotonic()
        cpu0 = voila.cpu_seconds()
        done = asyncio.Event()

        browser_cpu = {}     # pid -> CPU seconds last seen, for every Chromium process

        def sample_browsers():
            for proc in psutil.Process().children(recursive=True):
                try:
                    if "chrom" in proc.name():
                        t = proc.cpu_times()
                        browser_cpu[proc.pid] = t.user + t.system
                except psutil.NoSuchProcess:
                    pass

        async def watch(samples, until):
            while not until():
                samples.append((time.monotonic() - start, *voila.kernel_rss()))
                if samples is result["during"]:
                    sample_browsers()
                await asyncio.sleep(sample)

        async with async_playwright() as playwright:
            chromium = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS,
                                                        headless=True)
            try:
                watcher = asyncio.create_task(watch(result["during"], done.is_set))

                async def one(i, visit):
                    await asyncio.sleep(spread * i / max(pages - 1, 1))
                    await _visit(chromium, visit["url"], timeout * 1000, visit)

                await asyncio.gather(*(one(i, v) for i, v in enumerate(visits)))
                sample_browsers()
            finally:
                await chromium.close()
        done.set()
        await watcher
        result["closed_at"] = time.monotonic() - start
        end = time.monotonic() + after
        await watch(result["after"], lambda: time.monotonic() >= end or (
            until_kernels is not None and result["after"] and result["after"][-1][1] <= until_kernels))
        result["cpu_seconds"] = voila.cpu_seconds() - cpu0
        result["browser_cpu_seconds"] = sum(browser_cpu.values())

    asyncio.run(run())
    for visit in visits:
        visit.pop("url")
    return result


def chromium_path():
    path = chromium()
    if path is None:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    return path
