#!/usr/bin/env python3
"""Loads every explorer page of a running node in headless Chromium (Debian's chromium and
chromium-driver, driven by selenium from PyPI), checks that the expected elements are there with
the numbers the JSON twins give, saves a screenshot of each page, and fails on any browser
console error.

    python3 scripts/explorer-browser-test.py NODE_URL SCREENSHOT_DIR HOTSPOT_ID

Prints one line per page checked; exits non-zero with the reason on the first failure.
"""
import json
import sys
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

node, out, hotspot = sys.argv[1].rstrip("/"), Path(sys.argv[2]), sys.argv[3]
out.mkdir(parents=True, exist_ok=True)


def twin(path):
    joiner = "&" if "?" in path else "?"
    with urllib.request.urlopen(f"{node}{path}{joiner}format=json", timeout=30) as response:
        return json.load(response)


options = webdriver.ChromeOptions()
for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1400"):
    options.add_argument(flag)
options.binary_location = "/usr/bin/chromium"
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(60)
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print(f"FAIL {message}", flush=True)


def visit(path, name):
    driver.get(node + path)
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    check(not errors, f"{name}: console errors {errors}")
    driver.save_screenshot(str(out / f"{name}.png"))


def text(selector):
    return driver.find_element(By.CSS_SELECTOR, selector).text


def rows(table_id):
    return driver.find_elements(By.CSS_SELECTOR, f"#{table_id} tbody tr")


try:
    network = twin("/")
    visit("/", "network")
    check(text("#devices-total") == str(network["devices"]), "network: device count")
    check(text("#current-epoch") in (str(network["current_epoch"]), str(network["current_epoch"] + 1)),
          "network: current epoch")
    check(len(rows("services")) == len(network["services"]), "network: one row per service")
    check(len(rows("epochs")) == min(20, len(network["epochs"])) and network["epochs"], "network: epochs listed")
    check(driver.find_elements(By.CSS_SELECTOR, "#chart-emission polyline.series"), "network: emission chart drawn")
    check(driver.find_elements(By.CSS_SELECTOR, "#final-root"), "network: latest final root shown")
    print("ok /", flush=True)

    world = twin("/map?res=8")
    visit("/map?res=8", "map")
    hexes = driver.find_elements(By.CSS_SELECTOR, "#map polygon.hex")
    check(len(hexes) == len(world["hexes"]) and hexes, "map: one polygon per hex")
    first = world["hexes"][0]
    driver.get(f"{node}/map?res=8&cell={first['cell']}")
    check(len(rows("hex-devices")) == first["devices"], "map: a hex lists its devices")
    driver.save_screenshot(str(out / "map-hex.png"))
    visit("/map?res=8&color=rewards", "map-rewards")
    print("ok /map", flush=True)

    device = twin(f"/devices/{hotspot}")
    visit(f"/devices/{hotspot}", "device")
    # An epoch may close between the twin and the page: either count is right.
    later = twin(f"/devices/{hotspot}")
    check(text("#device-kind") == "hotspot", "device: kind")
    check(len(rows("earnings")) in (len(device["earnings"]), len(later["earnings"])) and device["earnings"],
          "device: an explanation per epoch")
    check(driver.find_elements(By.CSS_SELECTOR, "#chart-earnings polyline.series"), "device: earnings chart drawn")
    print("ok /devices", flush=True)

    owner = device["owner"]
    account = twin(f"/accounts/{owner}")
    visit(f"/accounts/{owner}", "account")
    check(text("#account-devices") == str(len(account["devices"])), "account: device count")
    check(len(rows("transactions")) == len(account["transactions"]), "account: transactions")
    check(account.get("claim") is None or driver.find_elements(By.CSS_SELECTOR, "#claim"), "account: claim shown")
    print("ok /accounts", flush=True)

    market = twin("/markets/coverage")
    visit("/markets/coverage", "coverage")
    # An epoch may close between the twin and the page: either list is right.
    later = twin("/markets/coverage")
    check(text("#hotspots") == str(market["hotspots"]), "coverage: hotspot count")
    check(len(rows("top-earners")) in (len(market["top_earners"]), len(later["top_earners"])) and market["top_earners"],
          "coverage: top earners")
    print("ok /markets/coverage", flush=True)

    render = twin("/markets/rendering")
    visit("/markets/rendering", "rendering")
    check(text("#render-nodes") == str(render["totals"]["nodes"]), "rendering: node count")
    check(len(rows("render-node-list")) == len(render["nodes"]), "rendering: a row per node")
    check(len(rows("render-job-list")) == len(render["jobs"]), "rendering: a row per job")
    if render["jobs"]:
        job = render["jobs"][0]
        driver.find_element(By.CSS_SELECTOR, f"#render-job-list a[href='/jobs/{job['id']}']").click()
        check(text("#job-id") == job["id"], "rendering: a job's row opens its page")
        page = twin(f"/jobs/{job['id']}")
        check(len(rows("job-frame-list")) == len(page["tasks"]), "rendering: the job page lists every frame")
        driver.save_screenshot(str(out / "render-job.png"))
    print(f"ok /markets/rendering ({len(render['nodes'])} nodes, {len(render['jobs'])} jobs)", flush=True)

    latest = network["epochs"][-1]["epoch"]
    epoch = twin(f"/epochs/{latest}")
    visit(f"/epochs/{latest}", "epoch")
    check(text("#epoch-root") == epoch["root"], "epoch: root")
    check(len(rows("epoch-rewards")) == len(epoch["rewards"]), "epoch: rewards listed")
    print("ok /epochs", flush=True)

    for query, expected in ((str(latest), f"/epochs/{latest}"), (hotspot, f"/devices/{hotspot}")):
        driver.get(node + "/")
        box = driver.find_element(By.ID, "search")
        box.send_keys(query)
        box.send_keys(Keys.RETURN)
        # The search is a form post and a redirect: wait for the page it leads to.
        deadline = time.time() + 10
        while not driver.current_url.endswith(expected) and time.time() < deadline:
            time.sleep(0.1)
        landed = driver.current_url
        check(landed.endswith(expected), f"search {query}: landed on {landed}")
    print("ok /search", flush=True)
finally:
    driver.quit()

if failures:
    sys.exit("explorer browser test failed: " + "; ".join(failures))
print(f"explorer browser test passed; screenshots in {out}")
