#!/usr/bin/env python3
"""Browser checks of built pages, driven by Selenium and Debian's chromium-driver.

    site_check.py pages OUTPUT_DIR ARTIFACTS_DIR PAGE...
        For each page: width at 390 px (scrollWidth against the viewport), the
        smallest figure text and numbers split over two lines at 360 and 390 px,
        axe-core's serious and critical violations in the light and the dark
        theme, and screenshots at 390 and 1280 px in both themes.
    site_check.py search OUTPUT_DIR PAGE WORD
        Types "/" then WORD on PAGE, reports the results, then presses
        ArrowDown and Enter and reports where the browser went.

Prints one JSON object on stdout.
"""
import json
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def driver():
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--allow-file-access-from-files", "--hide-scrollbars", "--force-device-scale-factor=1"]:
        o.add_argument(a)
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.set_page_load_timeout(60)
    d.set_script_timeout(120)
    return d


def viewport(d, width, height, dark):
    d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                      {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    d.execute_cdp_cmd("Emulation.setEmulatedMedia",
                      {"features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})


def load(d, url):
    d.get(url)
    # KaTeX and the page script run on DOMContentLoaded; give layout a moment.
    for _ in range(50):
        if d.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.1)
    time.sleep(0.3)


MEASURE = """
const vw = window.innerWidth;
const doc = document.documentElement.scrollWidth;
const wide = [];
// Elements sticking out of the viewport that are not inside a box that scrolls.
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.right <= vw + 0.5) continue;
  let p = el.parentElement, clipped = false;
  while (p && p !== document.body) {
    const s = getComputedStyle(p);
    if (s.overflowX !== 'visible' && p.getBoundingClientRect().right <= vw + 0.5) { clipped = true; break; }
    p = p.parentElement;
  }
  if (!clipped && wide.length < 5) wide.push(el.tagName.toLowerCase() + '.' + el.className + ' right=' + Math.round(r.right));
}
// Rendered size of figure text: font size in user units times the drawing's scale.
let minText = null, minWhere = '';
for (const svg of document.querySelectorAll('svg.lectern-figure')) {
  const box = svg.getBoundingClientRect();
  if (box.width === 0) continue;  // the layout not shown at this width
  const scale = box.width / svg.viewBox.baseVal.width;
  for (const t of svg.querySelectorAll('text')) {
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (minText === null || px < minText) { minText = px; minWhere = t.textContent; }
  }
}
// Numbers with an exponent that the browser put on two lines.
const broken = [];
for (const n of document.querySelectorAll('.num')) {
  if (n.getClientRects().length > 1) broken.push(n.textContent);
}
return {viewport: vw, scrollWidth: doc, sticking: wide, minFigureText: minText, minFigureTextAt: minWhere, brokenNumbers: broken};
"""


def screenshot(d, path):
    metrics = d.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics["cssContentSize"]
    shot = d.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 16000), "scale": 1}})
    import base64
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def axe_script():
    import axe_selenium_python
    p = os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules", "axe-core", "axe.min.js")
    with open(p) as f:
        return f.read()


def pages(out, artifacts, names):
    d = driver()
    axe = axe_script()
    report = {}
    try:
        for name in names:
            url = "file://" + os.path.join(out, name)
            page = {}
            for width in (360, 390):
                viewport(d, width, 844, False)
                load(d, url)
                page["measure%d" % width] = d.execute_script(MEASURE)
            violations = []
            for dark in (False, True):
                viewport(d, 1280, 900, dark)
                load(d, url)
                d.execute_script(axe)
                result = d.execute_async_script(
                    "const done = arguments[arguments.length - 1];"
                    "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations)).catch(e => done(String(e)));")
                if isinstance(result, str):
                    violations.append({"id": "axe-error", "impact": "critical", "help": result, "theme": dark, "nodes": []})
                    continue
                for v in result:
                    if v.get("impact") in ("serious", "critical"):
                        violations.append({"id": v["id"], "impact": v["impact"], "help": v["help"],
                                           "theme": "dark" if dark else "light",
                                           "nodes": [n["target"] for n in v["nodes"][:5]]})
            page["violations"] = violations
            base = os.path.splitext(name)[0]
            for width in (390, 1280):
                for dark in (False, True):
                    viewport(d, width, 900, dark)
                    load(d, url)
                    screenshot(d, os.path.join(artifacts, "%s-%d-%s.png" % (base, width, "dark" if dark else "light")))
            report[name] = page
    finally:
        d.quit()
    return report


def search(out, name, word):
    d = driver()
    try:
        viewport(d, 1280, 900, False)
        load(d, "file://" + os.path.join(out, name))
        visible = d.execute_script("return !document.querySelector('form.search').hidden")
        d.find_element(By.TAG_NAME, "body").send_keys("/")
        focused = d.execute_script("return document.activeElement && document.activeElement.id")
        d.switch_to.active_element.send_keys(word)
        results = []
        for _ in range(100):
            results = d.execute_script(
                "return Array.from(document.querySelectorAll('#search-results li a')).map(a => "
                "({href: a.getAttribute('href'), where: a.querySelector('.search-where').textContent, "
                "marked: Array.from(a.querySelectorAll('mark')).map(m => m.textContent)}))")
            if results:
                break
            time.sleep(0.1)
        status = d.execute_script("return document.querySelector('.search-status').textContent")
        box = d.switch_to.active_element
        box.send_keys(Keys.ARROW_DOWN)
        selected = d.execute_script("return document.getElementById('search-box').getAttribute('aria-activedescendant')")
        box.send_keys(Keys.ENTER)
        for _ in range(50):
            if not d.current_url.endswith(name):
                break
            time.sleep(0.1)
        return {"visible": visible, "focused": focused, "results": results, "status": status,
                "selected": selected, "went": d.current_url}
    finally:
        d.quit()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "pages":
        os.makedirs(sys.argv[3], exist_ok=True)
        print(json.dumps(pages(sys.argv[2], sys.argv[3], sys.argv[4:])))
    elif mode == "search":
        print(json.dumps(search(sys.argv[2], sys.argv[3], sys.argv[4])))
    else:
        sys.exit("unknown mode " + mode)
