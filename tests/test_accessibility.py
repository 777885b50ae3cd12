"""Every notebook as a Voila dashboard passes axe-core's WCAG 2.1 A and AA rules: no serious or
critical violation, once its widgets are drawn and a slider has been moved.

axe-core (Deque's accessibility engine) comes from npm at package-lock.json's version: `make
install` runs `npm ci`, and the test reads node_modules/axe-core/axe.min.js and runs it inside
each page; nothing is downloaded here. Without it (or without Chromium) the test skips, except
under CI=true where that is a failure. Every violation found, of any impact, is written to
artifacts/accessibility/<notebook>.json.
"""
import json
import warnings

import pytest

import browser

pytestmark = pytest.mark.browser
AXE = browser.ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = ("serious", "critical")
REPORTS = browser.ROOT / "artifacts" / "accessibility"


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.is_file():
        browser.unavailable(f"axe-core is not installed ({AXE.relative_to(browser.ROOT)} is missing): "
                            "run make install, or npm ci --no-audit --no-fund")
    return AXE.read_text()


def scan(page, source):
    """axe-core's violations of the WCAG 2.1 A and AA rules in the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=source)
    return page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                         " resultTypes: ['violations']}).then(r => r.violations)", TAGS)


def summary(violations):
    return "\n".join(f"{v['impact']} {v['id']} ({len(v['nodes'])}): {v['help']}\n" + "\n".join(
        f"    {node['target']} {node['html'][:160]}" for node in v["nodes"][:4]) for v in violations)


@pytest.mark.parametrize("notebook", browser.notebooks(), ids=lambda path: path.stem)
def test_dashboard_has_no_serious_accessibility_violation(notebook, voila, chrome, axe_source):
    voila.wait_idle(quiet=1.0)
    page = browser.Page(chrome)
    try:
        page.open(voila.url(notebook))
        if page.model_not_found():    # ipywidgets#4026 (see test_dashboards.py): load it once more
            warnings.warn(f"{notebook.stem}: ipywidgets' get_model gave up too early; loading the page once more")
            page.close()
            page = browser.Page(chrome)
            page.open(voila.url(notebook))
        page.wait_for_math()
        if page.sliders():            # the page as a learner leaves it: after one move of a slider
            page.nudge_slider(0, key="ArrowRight", timeout=5_000, settle=500)
        violations = scan(page.page, axe_source)
        REPORTS.mkdir(parents=True, exist_ok=True)
        (REPORTS / f"{notebook.stem}.json").write_text(json.dumps(violations, indent=1))
        failing = [v for v in violations if v["impact"] in FAILING]
        assert not failing, f"axe-core: serious or critical WCAG 2.1 AA violations:\n{summary(failing)}"
        assert not page.external, f"requests beyond the Voila server: {page.external}"
    finally:
        page.close()


def test_the_scan_finds_what_it_must(chrome, axe_source):
    """The same scan on a page with an unnamed slider and an icon-only button: both are found."""
    page = chrome.new_page()
    try:
        page.set_content('<html lang="en"><head><title>t</title></head><body><main>'
                         '<div role="slider" tabindex="0" aria-valuenow="1" aria-valuemin="0" aria-valuemax="2"></div>'
                         '<button><i class="fa fa-play"></i></button></main></body></html>')
        found = {v["id"]: v["impact"] for v in scan(page, axe_source)}
        assert found == {"aria-input-field-name": "serious", "button-name": "critical"}
    finally:
        page.close()
