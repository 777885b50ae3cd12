"""Serve the lessons as Voila dashboards, hardened for a classroom (what ``make dashboard`` runs).

    python scripts/dashboard.py [--lan] [--port N] [any Voila option]

Voila 0.5.13 (the newest release) with these changes, each small enough to go upstream:

* Loopback host names only: a page or websocket whose Host is not ``localhost`` or a loopback
  address is refused (403), as ``jupyter server`` does (a DNS-rebinding page cannot reach it).
* Legacy kernel websockets refused: a websocket that does not offer the
  ``v1.kernel.websocket.jupyter.org`` subprotocol gets HTTP 400 before the upgrade. Voila's
  handler reads every binary message from the kernel as a v1 message; a legacy one (a widget
  update with buffers, e.g. an ipympl frame) gives it a bogus count of offsets in the billions,
  and building that list froze the whole server. Headers are also read with the count bounded.
* The page gets its ``_xsrf`` cookie, so the course template's shutdown request on leaving the
  page is accepted and the page's kernel is freed at once (voila-dashboards/voila#1458).
* A pre-rendered (preheated) page whose render holds an execution error or a timeout is thrown
  away (its kernel shut down, the pool refilled) instead of being served to the next visitor;
  a pooled kernel handed to a visitor counts as active from then, and a kernel whose page has
  not connected yet gets 10 minutes before the idle cull.
* A kernel whose page has connected and then left (its websocket closed, none open again) is
  shut down 30 s later (``CourseKernelManager.left_timeout``), whether or not the page's shutdown
  request arrived: when many pages close at once, a browser may drop that request. The idle
  cull (90 s, voila.json) stays as a last resort. Kernels in the pool never had a page, so
  neither touches them.
* At most one page per core runs its notebook at once; the others queue, so that on a busy
  server the pages already rendered still get their scripts and their kernels.

``--lan`` serves on every interface for a classroom network; it requires a token (``--token=T``,
or ``COURSE_TOKEN`` in the environment, or a random one) and prints the address to give out.
The serving settings (kernel pool, timeouts, idle culling) are in ``voila.json``.
"""
import asyncio
import json
import math
import os
import secrets
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
V1 = "v1.kernel.websocket.jupyter.org"
# Text Voila writes into a page when a cell failed, timed out or the server failed (the course
# template's script names shorter forms of these, which do not match).
BROKEN_RENDER = ("There was an error when executing cell [", "Cell execution timed out, aborting",
                 "An exception occurred at the server (not the notebook)")

# The course template (share/jupyter/voila/templates/course) is found through JUPYTER_PATH.
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    [str(ROOT / "share" / "jupyter"), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))])

import tornado.web  # noqa: E402
from tornado.ioloop import IOLoop  # noqa: E402
from jupyter_core.paths import jupyter_config_path  # noqa: E402
from jupyter_server._tz import utcnow  # noqa: E402
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager  # noqa: E402
from traitlets import Bool, Float, Integer, default  # noqa: E402
from voila.app import Voila  # noqa: E402
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler  # noqa: E402
from voila.tornado.handler import TornadoVoilaHandler  # noqa: E402
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler  # noqa: E402


def v1_header(message):
    """The header of a v1-protocol binary message, or None when ``message`` is not one.

    A v1 message starts with n (8 bytes) then n offsets (8 bytes each): n is checked against
    the message's length before any offset is read.
    """
    if len(message) < 8:
        return None
    count = int.from_bytes(message[:8], "little")
    if not 3 <= count <= len(message) // 8 - 1:
        return None
    start, end = (int.from_bytes(message[8 * i:8 * i + 8], "little") for i in (2, 3))
    try:
        return json.loads(message[start:end].decode("utf-8"))
    except ValueError:
        return None


class KernelWebsocket(VoilaKernelWebsocketHandler):
    """Voila's kernel websocket for v1-protocol clients only (every browser front end is one)."""

    async def get(self, *args, **kwargs):
        offered = [p.strip() for p in self.request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
        if V1 not in offered:
            raise tornado.web.HTTPError(400, f"this server speaks only the {V1} websocket protocol")
        return await super().get(*args, **kwargs)

    def write_message(self, message, binary=False):
        if isinstance(message, bytes):
            header = v1_header(message)
        elif isinstance(message, dict):
            header = message.get("header")
        else:
            header = None
        if header and header.get("msg_type") == "execute_input":
            return None  # Voila hides the code, so its echo too
        return super(VoilaKernelWebsocketHandler, self).write_message(message, binary)


class CourseKernelManager(AsyncMappingKernelManager):
    """A kernel is shut down ``left_timeout`` seconds after its page left (the page had its
    websocket open, then none is open), and culled after ``cull_idle_timeout`` idle once its
    page has connected; a kernel whose page never connected yet gets ``first_connection_grace``
    seconds: on a busy server a page may take minutes to load its scripts, and culling its
    kernel meanwhile (after 90 s) left the page without one."""

    first_connection_grace = Float(600.0, config=True, help="seconds a kernel waits for its first page")
    left_timeout = Float(30.0, config=True, help="seconds a kernel is kept after its page left (0: never)")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._course_stopping = set()

    def notify_connect(self, kernel_id):
        super().notify_connect(kernel_id)
        if kernel_id in self:
            self.get_kernel(kernel_id).course_connected = True

    def notify_disconnect(self, kernel_id):
        super().notify_disconnect(kernel_id)
        if kernel_id in self and self.left_timeout > 0 and self.kernel_model(kernel_id)["connections"] == 0:
            self.get_kernel(kernel_id).course_left_at = time.monotonic()
            IOLoop.current().call_later(self.left_timeout, self._shut_down_if_left, kernel_id)

    async def _shut_down_if_left(self, kernel_id):
        """Shut the kernel down if no page connected to it again since it was left."""
        if kernel_id not in self or kernel_id in self._course_stopping:
            return
        kernel = self.get_kernel(kernel_id)
        left_for = time.monotonic() - getattr(kernel, "course_left_at", math.inf)
        if self.kernel_model(kernel_id)["connections"] == 0 and left_for >= self.left_timeout - 0.5:
            self.log.info("Kernel %s: its page left %.0f s ago and did not come back: shutting it down",
                          kernel_id, left_for)
            await self.shutdown_kernel(kernel_id)

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        if kernel_id in self._course_stopping:     # the page's request, left_timeout and the
            return None                            # cull may each come: one shutdown is enough
        self._course_stopping.add(kernel_id)
        try:
            return await super().shutdown_kernel(kernel_id, *args, **kwargs)
        finally:
            self._course_stopping.discard(kernel_id)

    async def cull_kernel_if_idle(self, kernel_id):
        kernel = self._kernels.get(kernel_id)
        if kernel is not None and not getattr(kernel, "course_connected", False):
            if (utcnow() - kernel.last_activity).total_seconds() < self.first_connection_grace:
                return None
        return await super().cull_kernel_if_idle(kernel_id)


class ShutdownHandler(VoilaShutdownKernelHandler):
    """Voila's shutdown request (sent by the course template when its page is left), logged."""

    async def post(self, kernel_id):
        self.log.info("Kernel %s: its page was left and asked for a shutdown", kernel_id)
        return await super().post(kernel_id)


class PageHandler(TornadoVoilaHandler):
    """Voila's page, with an ``_xsrf`` cookie and without pre-rendered pages that broke; at most
    ``render_slots`` pages run their notebook at once (the others wait their turn), so that on a
    busy server the pages being loaded still get their scripts and their kernels."""

    async def get(self, path=None):
        self.xsrf_token  # sets the _xsrf cookie the template's shutdown request sends back
        await self._drop_broken_renders(path)
        self._touch_pool(path)
        async with self.settings["course_render_slots"]:
            return await super().get(path)

    def _touch_pool(self, path):
        """Mark the pool's kernels for this page active now. A pooled kernel's last activity is
        its pre-render, maybe long ago: handed to a visitor whose page takes a while to connect
        (a busy server), it was culled as idle and the page lost its kernel."""
        manager = self.kernel_manager
        for item in getattr(manager, "_pools", {}).get(path, []):
            if item.done() and item.exception() is None and item.result()["kernel_id"] in manager:
                manager.get_kernel(item.result()["kernel_id"]).last_activity = utcnow()

    async def _drop_broken_renders(self, path):
        manager = self.kernel_manager
        pool = getattr(manager, "_pools", {}).get(path, [])
        for item in list(pool):
            if not item.done() or item.exception() is not None:
                continue
            content = item.result()
            render = content["task"]
            if not render.done():
                continue
            html = "".join(content["renderer"].rendered_cache) if render.exception() else "".join(render.result()[0])
            if render.exception() or any(text in html for text in BROKEN_RENDER):
                self.log.warning("Pre-rendered %s (kernel %s) holds an error or a timeout: not served; "
                                 "its kernel is shut down and the pool refilled", path, content["kernel_id"])
                await manager.shutdown_kernel(content["kernel_id"])
                manager.fill_if_needed(delay=0, notebook_name=path)


class CourseVoila(Voila):
    """Voila with the handlers above; loopback host names only unless ``lan``."""

    lan = Bool(False, config=True, help="serve on the network (a token is then required)")
    render_slots = Integer(os.cpu_count() or 2, config=True, help="pages that may run their notebook at once")

    def initialize(self, argv=None):
        super().initialize(argv)
        self.voila_configuration.multi_kernel_manager_class = CourseKernelManager

    @default("config_file_paths")
    def _config_file_paths_default(self):
        return [str(ROOT), *jupyter_config_path()]     # voila.json, wherever this is started

    def init_settings(self):
        settings = super().init_settings()
        # voila.json's tornado_settings (applied after these) say False for plain `voila` too
        self.tornado_settings = {**self.tornado_settings, "allow_remote_access": self.lan}
        settings["course_render_slots"] = asyncio.Semaphore(self.render_slots)
        return settings

    def init_handlers(self):
        swap = {VoilaKernelWebsocketHandler: KernelWebsocket, TornadoVoilaHandler: PageHandler,
                VoilaShutdownKernelHandler: ShutdownHandler}
        return [(rule[0], swap.get(rule[1], rule[1]), *rule[2:]) for rule in super().init_handlers()]


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    lan = "--lan" in argv
    argv = [a for a in argv if a != "--lan"]
    if not any(not a.startswith("-") for a in argv):
        argv.insert(0, str(ROOT / "notebooks"))
    defaults = ["--no-browser", "--Voila.ip=127.0.0.1", "--VoilaConfiguration.template=course"]
    if lan:
        token = next((a.split("=", 1)[1] for a in argv if a.startswith(("--token=", "--Voila.token="))), None)
        token = token or os.environ.get("COURSE_TOKEN") or secrets.token_urlsafe(16)
        defaults[1:2] = ["--Voila.ip=0.0.0.0", "--CourseVoila.lan=True", f"--Voila.token={token}"]
        port = next((a.split("=", 1)[1] for a in argv if a.startswith(("--port=", "--Voila.port="))), "8866")
        print(f"Students open: http://{socket.gethostname()}:{port}/voila/render/00-start-here.ipynb?token={token}",
              flush=True)
    for option in ("--Voila.ip=", "--VoilaConfiguration.template="):   # the caller's own wins
        if any(a.startswith(option) for a in argv):
            defaults = [d for d in defaults if not d.startswith(option)]
    CourseVoila.launch_instance(defaults + argv)


if __name__ == "__main__":
    main()
