"""The dashboard server (scripts/dashboard.py, what ``make dashboard`` runs) against a hostile or
careless client, and the other documented ways to serve the dashboards.

Each test starts a real server on a free loopback port (no network beyond 127.0.0.1).
"""
import asyncio
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

import browser

sys.path.insert(0, str(browser.ROOT / "scripts"))
import dashboard  # noqa: E402  (scripts/dashboard.py)

# One slider whose every move sends a binary widget message (an Image's bytes) back, as an
# ipympl figure's frame does; the cell prints the slider's model id for the test to address it.
FREEZE_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "a", "metadata": {}, "outputs": [], "source": [
        "import ipywidgets as w\n",
        "slider, image = w.IntSlider(), w.Image(format='png', value=b'')\n",
        "slider.observe(lambda change: setattr(image, 'value', bytes([change['new'] % 256]) * 64), 'value')\n",
        "print('slider', slider.model_id)\n",
        "w.VBox([slider, image])"]}],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}
LIGHT = ["--VoilaConfiguration.preheat_kernel=False"]   # no pool: these tests need one kernel each


class Client:
    """HTTP with a cookie jar (the page's _xsrf cookie) against one server."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def request(self, path, method="GET", headers=None, timeout=60):
        """(status, body) of a request; errors and redirects are answers too."""
        req = urllib.request.Request(self.base + path, method=method, headers=headers or {},
                                     data=b"" if method == "POST" else None)
        try:
            with self.opener.open(req, timeout=timeout) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def freeze_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("server")
    (folder / "slider.ipynb").write_text(json.dumps(FREEZE_NOTEBOOK))
    return folder


@pytest.fixture(scope="module")
def server(freeze_dir):
    with browser.Voila(root=freeze_dir, args=LIGHT) as voila:
        yield voila


def _page(client, name="slider.ipynb"):
    """Render a page; return (HTML, its kernel id)."""
    status, html = client.request(f"/voila/render/{name}")
    assert status == 200, html[-2000:]
    config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">\s*(.*?)\s*</script>',
                                  html, re.S).group(1))
    return html, config["kernelId"]


def _answers_within(base, seconds):
    """True when the server answers an HTTP request within ``seconds``."""
    try:
        with urllib.request.urlopen(base + "/voila/static/voila.js", timeout=seconds):
            return True
    except (urllib.error.URLError, OSError):
        return False


def _legacy_update(base, kernel_id, slider_id, headers=None, subprotocols=None):
    """Open the kernel websocket (no v1 subprotocol unless given) and send one slider update in
    the legacy JSON protocol. Returns "refused: <status>" or "sent"."""
    session = uuid.uuid4().hex
    message = {"header": {"msg_id": uuid.uuid4().hex, "msg_type": "comm_msg", "username": "", "session": session,
                          "date": "2026-01-01T00:00:00Z", "version": "5.3"},
               "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
               "content": {"comm_id": slider_id, "data": {"method": "update", "state": {"value": 7},
                                                           "buffer_paths": []}}}

    async def run():
        url = base.replace("http", "ws") + f"/api/kernels/{kernel_id}/channels?session_id={session}"
        try:
            ws = await websocket_connect(HTTPRequest(url, headers=headers or {}), subprotocols=subprotocols)
        except HTTPClientError as error:
            return f"refused: {error.code}"
        await ws.write_message(json.dumps(message))
        await asyncio.sleep(0.5)
        ws.close()
        return "sent"

    return asyncio.run(asyncio.wait_for(run(), 30))


def test_a_legacy_protocol_websocket_and_one_widget_update_do_not_stop_the_server(server):
    # The message that froze Voila 0.5.13 (the loop in read_header_from_binary_message).
    client = Client(server.base)
    html, kernel_id = _page(client)
    slider_id = re.search(r"slider ([0-9a-f]{32})", html).group(1)
    outcome = _legacy_update(server.base, kernel_id, slider_id)
    assert outcome == "refused: 400", outcome
    time.sleep(1.0)   # time for a reply from the kernel, had the update gone through
    assert _answers_within(server.base, 2.0), "the server stopped answering HTTP"
    assert server.process.poll() is None


def test_the_v1_protocol_still_works(server):
    client = Client(server.base)
    html, kernel_id = _page(client)
    slider_id = re.search(r"slider ([0-9a-f]{32})", html).group(1)
    # A v1 client may send legacy-looking JSON text; the server must just keep going.
    assert _legacy_update(server.base, kernel_id, slider_id, subprotocols=[dashboard.V1]) == "sent"
    assert _answers_within(server.base, 2.0)


@pytest.mark.parametrize("message", [
    (2**62).to_bytes(8, "little") + b"\0" * 64,      # a legacy frame read as v1: a huge count
    (5).to_bytes(8, "little"),                        # too short for its offsets
    b"",
    b"{not binary}",
])
def test_v1_header_reads_a_malformed_message_as_no_header_at_once(message):
    start = time.monotonic()
    assert dashboard.v1_header(message) is None
    assert time.monotonic() - start < 0.1


def test_v1_header_reads_a_real_v1_message():
    parts = [b"iopub", json.dumps({"msg_type": "execute_input"}).encode(), b"{}", b"{}", b"{}"]
    offsets, position = [], 8 * (len(parts) + 2)
    for part in parts:
        offsets.append(position)
        position += len(part)
    offsets.append(position)
    message = (len(offsets)).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets) + b"".join(parts)
    assert dashboard.v1_header(message) == {"msg_type": "execute_input"}


def test_a_page_or_websocket_for_a_foreign_host_is_refused(server):
    client = Client(server.base)
    status, _ = client.request("/voila/render/slider.ipynb", headers={"Host": "evil.example"})
    assert status == 403
    _, kernel_id = _page(client)
    outcome = _legacy_update(server.base, kernel_id, "0" * 32, subprotocols=[dashboard.V1],
                             headers={"Host": "evil.example", "Origin": "http://evil.example"})
    assert outcome == "refused: 403", outcome
    status, _ = client.request("/voila/render/slider.ipynb", headers={"Host": "localhost"})
    assert status == 200


def test_leaving_a_page_frees_its_kernel_with_the_xsrf_token_and_only_with_it(server):
    client = Client(server.base)
    _, kernel_id = _page(client)
    xsrf = client.cookie("_xsrf")
    assert xsrf, "the page set no _xsrf cookie"
    assert client.request(f"/voila/api/shutdown/{kernel_id}", "POST")[0] == 403
    assert kernel_id in client.request("/api/kernels/" + kernel_id)[1]
    status, body = client.request(f"/voila/api/shutdown/{kernel_id}", "POST", headers={"X-XSRFToken": xsrf})
    assert status == 204, body
    assert client.request("/api/kernels/" + kernel_id)[0] == 404


def test_lan_mode_refuses_a_request_without_the_token(freeze_dir):
    token = uuid.uuid4().hex
    # --lan on the loopback address here: the test stays off the network
    with browser.Voila(root=freeze_dir, args=[*LIGHT, "--lan", f"--token={token}", "--Voila.ip=127.0.0.1"]) as voila:
        client = Client(voila.base)
        status, _ = client.request("/voila/render/slider.ipynb")
        assert status in (302, 403), status    # to the login page, or refused
        status, _ = client.request("/voila/render/slider.ipynb?token=wrong")
        assert status in (302, 403), status
        status, body = client.request(f"/voila/render/slider.ipynb?token={token}")
        assert status == 200, body[-2000:]


def _serve(cmd, port, env=None, cwd=browser.ROOT):
    """Start a server command; return the process once it answers on ``port``."""
    log = open(os.devnull, "w")
    process = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})}, stdout=log, stderr=log,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{cmd} exited with {process.returncode}"
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            return process
        except urllib.error.HTTPError:
            return process
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    _stop(process)
    raise AssertionError(f"{cmd} did not answer within 90 s")


def _stop(process):
    import psutil

    family = [psutil.Process(process.pid)] + psutil.Process(process.pid).children(recursive=True)
    for proc in family:
        proc.terminate()
    _, alive = psutil.wait_procs(family, timeout=10)
    for proc in alive:
        proc.kill()


def test_plain_voila_in_the_repository_serves_every_page():
    # What a Voila user types, from the repository root (voila.json is read from there); no
    # JUPYTER_PATH. Without a pool here, to start one kernel, not seven.
    port = browser.free_port()
    env = {"JUPYTER_PATH": ""}
    process = _serve([sys.executable, "-m", "voila", "notebooks/", "--no-browser", f"--port={port}",
                      "--Voila.ip=127.0.0.1", *LIGHT], port, env=env)
    try:
        client = Client(f"http://127.0.0.1:{port}")
        status, body = client.request("/voila/render/00-start-here.ipynb", timeout=120)
        assert status == 200, body[-2000:]
        assert "There was an error when executing cell [" not in body
        # voila.json also keeps plain voila to local host names
        assert client.request("/voila/render/00-start-here.ipynb", headers={"Host": "evil.example"})[0] == 403
    finally:
        _stop(process)


def test_binders_voila_urlpath_serves_a_lesson_with_the_course_template(tmp_path):
    # Binder runs `jupyter server` at the repository root with Voila as its extension
    # (urlpath=voila/render/notebooks/NAME.ipynb). binder/postBuild copies the course template
    # under sys.prefix/share/jupyter and jupyter_config.json (naming it) to sys.prefix/etc/jupyter:
    # here JUPYTER_PATH and JUPYTER_CONFIG_PATH stand for those two copies.
    post_build = (browser.ROOT / "binder" / "postBuild").read_text()
    assert 'cp -r share/jupyter/voila/templates/course "$prefix/share/jupyter/voila/templates/"' in post_build
    assert 'cp jupyter_config.json "$prefix/etc/jupyter/jupyter_config.json"' in post_build
    (tmp_path / "jupyter_config.json").write_text((browser.ROOT / "jupyter_config.json").read_text())
    port, token = browser.free_port(), uuid.uuid4().hex
    process = _serve([sys.executable, "-m", "jupyter", "server", "--no-browser", f"--port={port}",
                      "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", "--allow-root",
                      *LIGHT], port, env={"JUPYTER_PATH": str(browser.SHARE), "JUPYTER_CONFIG_PATH": str(tmp_path)})
    try:
        client = Client(f"http://127.0.0.1:{port}")
        status, body = client.request(f"/voila/render/notebooks/00-start-here.ipynb?token={token}", timeout=120)
        assert status == 200, body[-2000:]
        assert '<section class="jp-RenderedHTMLCommon' in body, "not the course template"
        assert "There was an error when executing cell [" not in body
    finally:
        _stop(process)


def _connect_and_leave(base, kernel_id, stay=0.5):
    """Open the page's kernel websocket (v1, as a browser does), keep it ``stay`` s, close it."""
    async def run():
        url = base.replace("http", "ws") + f"/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
        ws = await websocket_connect(HTTPRequest(url), subprotocols=[dashboard.V1])
        await asyncio.sleep(stay)
        ws.close()
        await asyncio.sleep(0.2)

    asyncio.run(asyncio.wait_for(run(), 30))


def _running(client, kernel_id):
    return client.request("/api/kernels/" + kernel_id)[0] == 200


def _wait_until(condition, timeout):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.3)
    return condition()


def test_a_kernel_whose_page_left_without_a_shutdown_request_is_freed_after_left_timeout(freeze_dir):
    # When many pages close at once a browser may drop their shutdown requests: the server frees
    # a kernel whose page's websocket closed (and no other opened) left_timeout seconds later.
    # A kernel whose page has not connected yet, or came back, is kept; so is the pool's.
    left = 5.0
    with browser.Voila(root=freeze_dir, args=[f"--CourseKernelManager.left_timeout={left}"]) as voila:
        voila.wait_idle()
        pool = browser.pool_size([freeze_dir / "slider.ipynb"])
        assert pool == 1 and voila.kernel_rss()[0] == pool
        client = Client(voila.base)
        _, gone = _page(client)         # the pool's pre-rendered page
        _, back = _page(client)         # a kernel of its own (the pool is being refilled)
        _, waiting = _page(client)
        _connect_and_leave(voila.base, gone)
        _connect_and_leave(voila.base, back)
        time.sleep(1.0)
        _connect_and_leave(voila.base, back, stay=3.0)   # back, and gone again just before left_timeout
        time.sleep(2.0)                                  # past the first leave's left_timeout
        assert _running(client, back), "a kernel whose page came back was shut down at its first leave's timeout"
        assert _wait_until(lambda: not _running(client, gone), 20), "a kernel whose page left was kept"
        assert _wait_until(lambda: not _running(client, back), 20), "a kernel whose page left again was kept"
        assert _running(client, waiting), "a kernel whose page has not connected yet was shut down"
        client.request(f"/voila/api/shutdown/{waiting}", "POST", headers={"X-XSRFToken": client.cookie("_xsrf")})
        assert _wait_until(lambda: voila.kernel_rss()[0] == pool, 60), "the pool's kernel went too (or was not refilled)"
        assert "its page left" in voila.output(None)
