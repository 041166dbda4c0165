#!/usr/bin/env python3
"""Time to first render of the console's users table in headless Chromium (bench/console_render.sh runs it).

usage: console_render.py BASE_URL ADMIN_TOKEN TENANT ROUNDS
Prints RESULT lines: the median over ROUNDS loads of the users page (first page, and a page deep in the list by
its cursor) of the server's answer (requestStart -> responseEnd), DOMContentLoaded and first contentful paint,
in milliseconds, all from the browser's Navigation and Paint Timing.
"""
import statistics
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

base, token, tenant, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"):
    options.add_argument(arg)
browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    browser.get(base + "/console/sign-in")
    browser.find_element(By.ID, "token").send_keys(token)
    browser.find_element(By.ID, "sign-in").click()
    browser.find_element(By.CSS_SELECTOR, "header .who")

    def measure(path):
        server, dcl, fcp, rows = [], [], [], 0
        for _ in range(rounds):
            browser.get(base + path)
            rows = len(browser.find_elements(By.CSS_SELECTOR, "#users tbody tr"))
            # The paint entry is queued after the first frame: wait for it (up to a second).
            t = browser.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "const report = () => {"
                "  const n = performance.getEntriesByType('navigation')[0];"
                "  const p = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');"
                "  return [n.responseEnd - n.requestStart, n.domContentLoadedEventEnd - n.startTime,"
                "          p ? p.startTime : -1];"
                "};"
                "let tries = 0;"
                "const poll = () => { const r = report(); if (r[2] >= 0 || ++tries > 100) done(r);"
                "                     else setTimeout(poll, 10); };"
                "poll();")
            server.append(t[0])
            dcl.append(t[1])
            fcp.append(t[2])
        return statistics.median(server), statistics.median(dcl), statistics.median(fcp), rows

    first = measure("/console/tenants/%s/users" % tenant)
    browser.get(base + "/console/tenants/%s/users" % tenant)
    for _ in range(3):  # three pages in by cursor
        browser.find_element(By.ID, "next-page").click()
    deep_path = browser.current_url[len(base):]
    deep = measure(deep_path)
    for name, (server, dcl, fcp, rows) in (("first_page", first), ("fourth_page", deep)):
        print("RESULT console_users_%s rows=%d server_ms=%.1f dom_content_loaded_ms=%.1f first_contentful_paint_ms=%.1f"
              % (name, rows, server, dcl, fcp))
finally:
    browser.quit()
