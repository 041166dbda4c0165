#!/usr/bin/env python3
"""The admin console in a real browser: Debian's chromium and chromedriver driven by python3-selenium against
the real dirsyncd, started here on a loopback port in a temp directory.

usage: console_test.py DIRSYNCD [unittest args...]
Set DIRSYNC_SCREENSHOTS=DIR to keep a screenshot of each main page there.
"""
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

DIRSYNCD = None
OPERATOR_TOKEN = "console-operator-token"
ACME_ADMIN_TOKEN = "console-acme-admin-token"
UPSTREAM_SCIM_TOKEN = "console-upstream-scim-token"


def digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    """dirsyncd on a temp SQLite file: tenants acme (invitations, owner admin@acme.example), globex, upstream
    (the SCIM origin of a source) and feed (fed from upstream by that source)."""

    def __init__(self, work):
        self.work = work
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        token_file = os.path.join(work, "upstream.token")
        with open(token_file, "w") as f:
            f.write(UPSTREAM_SCIM_TOKEN)
        config = os.path.join(work, "dirsyncd.yaml")
        with open(config, "w") as f:
            f.write(f"""
server: {{ listen: "127.0.0.1:{self.port}", threads: 1, workers: 2 }}
storage: {{ sqlite: {work}/dirsyncd.db }}
logging: {{ level: info, access_log: false }}
console: {{ idle_timeout: 10m, absolute_timeout: 1h }}
admin_tokens: [ {{ sha256: "{digest(OPERATOR_TOKEN)}" }} ]
tenants:
  - id: acme
    name: Acme Corp
    seats: 20
    provisioning: invite
    owner: admin@acme.example
    admin_tokens: [ {{ sha256: "{digest(ACME_ADMIN_TOKEN)}" }} ]
  - id: globex
    name: Globex
    scim_tokens: [ {{ sha256: "{digest('console-globex-scim-token')}" }} ]
  - id: upstream
    name: Upstream IdP
    scim_tokens: [ {{ sha256: "{digest(UPSTREAM_SCIM_TOKEN)}" }} ]
  - id: feed
    name: Fed by a source
    scim_tokens: [ {{ sha256: "{digest('console-feed-scim-token')}" }} ]
sources:
  - name: from-upstream
    tenant: feed
    type: scim
    url: {self.base}/scim/v2
    auth: {{ bearer_token: {{ file: {token_file} }} }}
    # The first scheduled run comes at a random time within the jitter: hours away, not in the middle of the
    # runs the tests make (an incremental run after the blocked one would end the block).
    schedule: {{ every: 24h, jitter: 23h }}
    users:
      map:
        userName: "{{userName}}"
""")
        self.log = open(os.path.join(work, "dirsyncd.log"), "w")
        self.process = subprocess.Popen([DIRSYNCD, "--config", config], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if self.request("GET", "/readyz")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError("dirsyncd did not become ready: " + open(os.path.join(work, "dirsyncd.log")).read())

    def request(self, method, path, body=None, token=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if token:
            req.add_header("Authorization", "Bearer " + token)
        if body is not None:
            req.add_header("Content-Type", "application/scim+json" if path.startswith("/scim") else "application/json")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                text = res.read().decode()
                return res.status, text
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def admin(self, method, path, body=None):
        status, text = self.request(method, "/admin/v1" + path, body, OPERATOR_TOKEN)
        return status, (json.loads(text) if text else None)

    def run_source(self, mode="full"):
        status, started = self.admin("POST", "/sync/sources/from-upstream/runs", {"mode": mode})
        assert status == 202, (status, started)
        deadline = time.time() + 60
        while time.time() < deadline:
            status, run = self.admin("GET", "/sync/runs/%d" % started["run"])
            if run["status"] != "running":
                return run
            time.sleep(0.1)
        raise RuntimeError("run did not end")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def gone(element):
    """Whether `element` left the document: stale, or what Chromium says instead of stale while the page it
    belonged to is being replaced ("Node with given id does not belong to the document")."""
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as e:
        if "does not belong to the document" in str(e):
            return True
        raise


class ConsoleInBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="dirsync-console-")
        cls.daemon = Daemon(cls.work)
        d = cls.daemon
        # A blocked run: the source imports three users, then returns none while it owns them.
        ids = []
        for name in ("u1", "u2", "u3"):
            status, text = d.request("POST", "/scim/v2/Users",
                                     {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": name},
                                     UPSTREAM_SCIM_TOKEN)
            assert status == 201, text
            ids.append(json.loads(text)["id"])
        first = d.run_source()
        assert first["status"] == "ok", first
        for i in ids:
            assert d.request("DELETE", "/scim/v2/Users/" + i, token=UPSTREAM_SCIM_TOKEN)[0] == 204
        cls.blocked = d.run_source()
        assert cls.blocked["status"] == "blocked", cls.blocked
        # A user of acme to find by e-mail.
        status, ann = d.admin("POST", "/tenants/acme/users",
                              {"userName": "ann", "email": "ann@acme.example", "displayName": "Ann Example"})
        assert status == 201, ann
        cls.ann = ann
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                    "--disable-gpu"):
            options.add_argument(arg)
        cls.browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        cls.browser.implicitly_wait(0)
        cls.screenshots = os.environ.get("DIRSYNC_SCREENSHOTS")

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.daemon.stop()
        shutil.rmtree(cls.work, ignore_errors=True)

    # --- helpers

    def go(self, path):
        self.browser.get(self.daemon.base + path)

    def find(self, css):
        return WebDriverWait(self.browser, 10).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))

    def text(self, css):
        return self.find(css).text

    def shot(self, name):
        if self.screenshots:
            os.makedirs(self.screenshots, exist_ok=True)
            self.browser.save_screenshot(os.path.join(self.screenshots, name + ".png"))

    def submit(self, css, confirm=False):
        """Clicks what leads to another page (a link, a form's button), accepts its confirmation dialog when
        `confirm`, and waits until the page it leaves is gone: what is read next is the new page's, not the one
        before it (a loaded machine may take a while to answer)."""
        self.follow(self.find(css), confirm)

    def follow(self, element, confirm=False):
        page = self.browser.find_element(By.TAG_NAME, "html")
        element.click()
        if confirm:
            self.accept_dialog()
        WebDriverWait(self.browser, 10).until(lambda _: gone(page))

    def accept_dialog(self):
        WebDriverWait(self.browser, 10).until(expected_conditions.alert_is_present())
        self.browser.switch_to.alert.accept()

    def sign_in(self, token, acting=""):
        self.browser.delete_all_cookies()
        self.go("/console/")
        self.find("#token").send_keys(token)
        if acting:
            self.find("#acting").send_keys(acting)
        self.submit("#sign-in")
        self.find("header .who")

    def sign_out(self):
        self.submit("#sign-out")
        self.find("#token")

    def user_page(self, email):
        self.go("/console/tenants/acme/users")
        box = self.find("#q")
        box.clear()
        box.send_keys(email)
        self.submit("#filter")
        rows = self.browser.find_elements(By.CSS_SELECTOR, "#users tbody tr")
        self.assertEqual(len(rows), 1, self.browser.page_source)
        self.assertIn(email, rows[0].text)
        self.follow(rows[0].find_element(By.CSS_SELECTOR, "th a"))
        return self.find("#user")

    # --- the scenarios

    def test_1_operator_finds_disables_and_enables_a_user(self):
        self.go("/console/")
        self.find("#token")
        self.shot("sign-in")
        self.sign_in(OPERATOR_TOKEN)
        self.assertIn("Tenants", self.browser.title)
        self.assertIn("acme", self.text("#tenants"))
        self.shot("tenants")
        self.go("/console/tenants/acme")
        self.assertIn("20", self.text("#seats-total"))
        self.shot("tenant")
        self.user_page("ann@acme.example")
        self.shot("user")
        self.submit("#action-disable", confirm=True)
        self.assertIn("Disabled", self.text("#notice"))
        self.assertIn("Disabled", self.text("#user"))
        self.submit("#action-enable")
        self.assertIn("done", self.text("#notice"))
        status, ann = self.daemon.admin("GET", "/tenants/acme/users/" + self.ann["id"])
        self.assertNotEqual(ann["status"], "disabled")
        self.go("/console/tenants/acme/users?status=disabled")
        self.find("#no-users")
        self.go("/console/tenants/acme/users")
        self.shot("users")

    def test_2_the_last_admin_cannot_be_disabled(self):
        self.sign_in(OPERATOR_TOKEN)
        self.user_page("admin@acme.example")
        self.submit("#action-disable", confirm=True)
        error = self.text("#action-error")
        self.assertIn("last active admin", error)
        self.shot("last-admin")
        status, page = self.daemon.admin("GET", "/tenants/acme/users?role=admin")
        self.assertEqual([u["status"] for u in page["users"]], ["active"])

    def test_3_invite_three_addresses_resend_and_revoke(self):
        self.sign_in(OPERATOR_TOKEN)
        self.go("/console/tenants/acme/invitations")
        self.find("#emails").send_keys("bob@acme.example\nnot-an-address\ncarol@acme.example")
        self.find("#role-user").click()
        self.submit("#invite")
        outcomes = self.browser.find_elements(By.CSS_SELECTOR, "#outcomes li")
        self.assertEqual(len(outcomes), 3, self.browser.page_source)
        by_address = {li.find_element(By.TAG_NAME, "strong").text: li for li in outcomes}
        self.assertEqual(by_address["bob@acme.example"].get_attribute("class"), "invited")
        self.assertEqual(by_address["carol@acme.example"].get_attribute("class"), "invited")
        self.assertEqual(by_address["not-an-address"].get_attribute("class"), "refused")
        self.assertIn("not-an-address", self.find("#emails").get_attribute("value"))
        self.shot("invitations")
        self.submit("button[aria-label='Resend to bob@acme.example']")
        self.assertIn("sent again", self.text("#notice"))
        self.submit("button[aria-label='Revoke the invitation to carol@acme.example']", confirm=True)
        self.assertIn("revoked", self.text("#notice"))
        pending = self.text("#pending")
        self.assertIn("bob@acme.example", pending)
        self.assertNotIn("carol@acme.example", pending)
        status, listed = self.daemon.admin("GET", "/tenants/acme/invitations?state=revoked")
        self.assertEqual([i["email"] for i in listed["invitations"]], ["carol@acme.example"])

    def test_4_release_a_blocked_run(self):
        self.sign_in(OPERATOR_TOKEN)
        self.go("/console/sync")
        self.assertIn("blocked", self.text("#sources"))
        self.submit("#sources a[href$='/sync/sources/from-upstream']")
        run = str(self.blocked["id"])
        self.assertIn("returned no users", self.text("#runs"))
        self.shot("source")
        self.submit("#release-" + run, confirm=True)
        self.assertIn("released", self.text("#notice"))
        status, released = self.daemon.admin("GET", "/sync/runs/" + run)
        self.assertIsNotNone(released["released_by"])

    def test_5_a_form_without_its_csrf_token_is_refused(self):
        self.sign_in(OPERATOR_TOKEN)
        self.user_page("ann@acme.example")
        self.browser.execute_script(
            "const f = document.getElementById('action-disable').form;"
            "f.removeAttribute('data-confirm'); f.querySelector('input[name=csrf]').remove();"
            "const c = document.createElement('input'); c.type = 'hidden'; c.name = 'confirm'; c.value = 'yes';"
            "f.appendChild(c); f.submit();")
        self.assertIn("CSRF", self.text("#failure"))
        status, ann = self.daemon.admin("GET", "/tenants/acme/users/" + self.ann["id"])
        self.assertNotEqual(ann["status"], "disabled")

    def test_6_sign_out_ends_the_session(self):
        self.sign_in(OPERATOR_TOKEN)
        cookie = self.browser.get_cookie("dirsyncd_console")
        self.assertTrue(cookie["httpOnly"])
        self.assertEqual(cookie["sameSite"], "Strict")
        self.assertNotIn(OPERATOR_TOKEN, self.browser.page_source)
        self.sign_out()
        self.go("/console/tenants")
        self.find("#token")
        # The old cookie, replayed, is no session any more.
        status, page = self.daemon.request("GET", "/console/tenants",
                                           headers={"Cookie": "dirsyncd_console=" + cookie["value"]})
        self.assertEqual(status, 401)
        self.assertIn("session has ended", page)

    def test_7_a_tenant_admin_sees_only_its_tenant(self):
        self.sign_in(ACME_ADMIN_TOKEN, acting="admin@acme.example")
        self.assertIn("acting as admin@acme.example", self.text("header .who"))
        self.assertIn("/console/tenants/acme", self.browser.current_url)
        for path in ("/console/tenants/globex", "/console/tenants/globex/users", "/console/tenants/globex/audit",
                     "/console/tenants/feed/invitations", "/console/sync/sources/from-upstream",
                     "/console/sync/runs/" + str(self.blocked["id"])):
            self.go(path)
            self.assertIn("Not found", self.browser.title, path)
            self.assertNotIn("Globex", self.browser.page_source)
        self.go("/console/tenants")
        self.assertNotIn("globex", self.text("#tenants"))
        self.go("/console/tenants/acme/audit")
        self.assertIn("user.", self.text("#audit"))
        self.shot("audit")

    def test_8_roles_and_a_refusal_beside_its_field(self):
        self.sign_in(OPERATOR_TOKEN)
        self.go("/console/tenants/acme/roles")
        self.find("#name").send_keys("Not A Name!")
        self.submit("#create-role")
        self.assertTrue(self.text("#create-error"))
        name = self.find("#name")
        name.clear()
        name.send_keys("auditor")
        self.submit("#create-role")
        self.assertIn("created", self.text("#notice"))
        self.assertIn("auditor", self.text("#roles"))
        self.shot("roles")
        self.submit("button[aria-label='Delete role auditor']", confirm=True)
        self.assertIn("deleted", self.text("#notice"))


if __name__ == "__main__":
    DIRSYNCD = sys.argv[1]
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)
