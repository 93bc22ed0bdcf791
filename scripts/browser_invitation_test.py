#!/usr/bin/env python3
"""Opening a workspace invitation in a real browser: headless Chromium driven by Selenium against `loam serve`.

Run by scripts/test after scripts/browser_test.py, with the Python from scripts/browser.sh (start_browser_tools).
The regression test for invitation links that said "your session has expired" in every browser: an inviter
signs up and confirms through the pages, makes a workspace and invites several addresses; each visitor gets a
fresh browser (fresh cookies) and walks one case of the invitation page with the link from the mail file:
a new person signs up from it, an existing account signs in and comes back to join, another account signed in
is told so and switches, a revoked link asks the inviter for a new one, a used link says so, and a tampered
link is not recognised. No invitation page may say "session expired", and the browsers' consoles may hold no
Content-Security-Policy violation. Prints `browser invitations: N passed, M failed`; exits 1 on a failure.
"""

import datetime
import email
import email.policy
import glob
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from urllib.parse import urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

sys.dont_write_bytecode = True  # importing browser_test must not leave a __pycache__ in scripts/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_test import LOAM, PASSWORD, fill, make_driver, path_of, start_server, stop_server, wait_for  # noqa: E402

INVITER = ("Ina Vale", "ina@example.org")
NEW = ("Nora Quist", "nora@example.org")          # case 1: no account, signs up from the invitation
EXISTING = ("Ezra Holm", "ezra@example.org")      # case 2: has an account, signs in from the invitation
OTHER = ("Cora Lind", "cora@example.org")         # case 3: signed in while opening D's invitation
SWITCHED = ("Dov Marsh", "dov@example.org")       # case 3: the address that invitation is for
REVOKED = "rhea@example.org"                      # case 4: the inviter withdraws it
WORKSPACE = "Harbour Friends"

# The bug this guards against, in the words it used, and the CSRF failure that hid behind them.
FORBIDDEN = re.compile(r"session\s+(has\s+)?expired|could not be checked", re.IGNORECASE)

passed = 0
failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"browser: ok   {name}")
    else:
        failed += 1
        detail = re.sub(r"\s+", " ", str(detail)).strip()[:600]
        print(f"browser: FAIL {name} {detail}".rstrip())
    return bool(condition)


def body(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def has(driver, css):
    return bool(driver.find_elements(By.CSS_SELECTOR, css))


def button(driver, label):
    return driver.find_element(By.XPATH, f"//button[normalize-space()='{label}']")


def signed_in(driver):
    return has(driver, "header form[action='/sign-out'] button")


def mails(outbox):
    """Every mail in the outbox as (To, Subject, plain text)."""
    found = []
    for path in sorted(glob.glob(os.path.join(outbox, "*.eml"))):
        with open(path, "rb") as f:
            message = email.message_from_binary_file(f, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",))
        found.append((str(message.get("To", "")), str(message.get("Subject", "")), part.get_content() if part is not None else ""))
    return found


def wait_mail(outbox, predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for mail in mails(outbox):
            if predicate(*mail):
                return mail
        time.sleep(0.3)
    return None


def verification_path(outbox, address):
    mail = wait_mail(outbox, lambda to, subject, text: address in to and "/verify-email/" in text)
    match = mail and re.search(r"https?://\S+?(/verify-email/[A-Za-z0-9_-]+)", mail[2])
    return match.group(1) if match else None


def invitation_link(outbox, address):
    """The invitation link in the mail to `address`: the whole link alone on its own line, or None."""
    mail = wait_mail(outbox, lambda to, subject, text: address in to and "/invitations/" in text)
    if mail is None:
        return None, None
    match = re.search(r"^(https?://\S+/invitations/\S+)$", mail[2], re.MULTILINE)
    return (match.group(1) if match else None), mail


class Run:
    def __init__(self, base, outbox):
        self.base = base
        self.outbox = outbox
        self.drivers = []
        self.console = []
        self.workspace = None   # /workspaces/<id>
        self.inviter = None     # the inviter's browser, signed in throughout
        self.copied = {}        # address → the link the workspace page offers to copy

    def browser(self):
        driver = make_driver()
        self.drivers.append(driver)
        return driver

    def drain(self):
        for driver in self.drivers:
            try:
                self.console += driver.get_log("browser")
            except Exception:
                pass

    def close(self, driver):
        try:
            self.console += driver.get_log("browser")
        except Exception:
            pass
        driver.quit()
        self.drivers.remove(driver)

    def invitation_page(self, driver, case, condition=None):
        """Waits for the invitation page (and `condition` on it), then checks it never says 'session expired'."""
        ready = wait_for(lambda: path_of(driver).startswith("/invitations/")
                         and "Join " + WORKSPACE in body(driver) and (condition is None or condition()))
        text = body(driver) if ready else ""
        forbidden = FORBIDDEN.search(text)
        check(f"{case}: no 'session expired' on the invitation page", ready and not forbidden,
              f"url={driver.current_url} " + (forbidden.group(0) if forbidden else "page not ready: " + _safe_body(driver)))
        return ready

    # MARK: accounts

    def sign_up(self, driver, name, address):
        """Sign-up as a newcomer does it: the address and name, then the mail's link, where the password is chosen."""
        driver.get(self.base + "/sign-up")
        fill(driver, {"name": name, "email": address})
        driver.find_element(By.CSS_SELECTOR, "form[action='/sign-up'] button[type=submit]").click()
        ok = wait_for(lambda: "Check your mailbox" in body(driver))
        check(f"{address} signs up and is asked to check the mailbox", ok, driver.current_url)
        link = verification_path(self.outbox, address)
        confirmed = False
        if link:
            driver.get(self.base + link)
            fill(driver, {"new_password": PASSWORD})
            button(driver, "Confirm and sign in").click()
            confirmed = wait_for(lambda: path_of(driver) == "/account" and "Your address is confirmed" in body(driver) and name in body(driver))
        check(f"{address} chooses the password from the mail's link and lands on /account", confirmed, f"link={link}")

    def sign_out(self, driver):
        driver.find_element(By.CSS_SELECTOR, "header form[action='/sign-out'] button").click()
        return wait_for(lambda: path_of(driver) == "/" and driver.find_elements(By.LINK_TEXT, "Sign in"))

    # MARK: the inviter's side

    def setup(self):
        driver = self.inviter = self.browser()
        name, address = INVITER
        self.sign_up(driver, name, address)

        driver.get(self.base + "/workspaces")
        fill(driver, {"name": WORKSPACE})
        driver.find_element(By.CSS_SELECTOR, "form[action='/workspaces'] button[type=submit]").click()
        created = wait_for(lambda: re.fullmatch(r"/workspaces/[0-9A-Fa-f-]{36}", path_of(driver))
                           and WORKSPACE in driver.find_element(By.TAG_NAME, "h1").text)
        check("the inviter creates the workspace and lands on its page", created, driver.current_url)
        self.workspace = path_of(driver)

    def invite(self, address):
        driver = self.inviter
        driver.get(self.base + self.workspace)
        fill(driver, {"email": address})
        Select(driver.find_element(By.CSS_SELECTOR, f"form[action='{self.workspace}/invitations'] select[name=role]")).select_by_value("member")
        button(driver, "Send invitation").click()
        row = f"//table[contains(@class,'invitations')]//tr[td[1][normalize-space()='{address}']]"
        listed = wait_for(lambda: "Invitation sent." in body(driver) and driver.find_elements(By.XPATH, row))
        check(f"inviting {address} lists the invitation", listed, _safe_body(driver))
        link, mail = invitation_link(self.outbox, address)
        subject_ok = mail is not None and mail[1] == f"{INVITER[0]} invited you to {WORKSPACE} on Loam"
        parts = urlparse(link or "")
        check(f"the mail to {address} has its subject and the whole link, on the server's own address, alone on a line",
              subject_ok and link is not None and link.startswith(self.base + "/invitations/")
              and re.fullmatch(r"/invitations/[0-9a-f-]{36}\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}", parts.path) and not parts.query,
              f"subject={mail and mail[1]!r} link={link}")
        copied = [field.get_attribute("value") for field in driver.find_elements(By.XPATH, row + "//input[contains(@class,'invitation-link')]")]
        check(f"the workspace page's link for {address} is the mail's link without its mailbox proof",
              link is not None and len(copied) == 1 and link.startswith(copied[0] + ".") and copied[0].count(".") == link.count(".") - 1,
              f"page={copied} mail={link}")
        self.copied[address] = copied[0] if copied else None
        return link

    def members(self):
        """The Members table on the workspace page, as the inviter sees it, in one string."""
        driver = self.inviter
        driver.get(self.base + self.workspace)
        wait_for(lambda: driver.find_elements(By.XPATH, "//h2[normalize-space()='Members']"))
        return " | ".join(row.text for row in driver.find_elements(By.XPATH, "//h2[normalize-space()='Members']/following-sibling::table[1]//tbody/tr"))

    def joined(self, driver):
        return wait_for(lambda: path_of(driver) == self.workspace and "notice=joined" in urlparse(driver.current_url).query
                        and "Welcome: you are a member of this workspace now." in body(driver) and signed_in(driver))

    def common_details(self, driver, case, address, validity=True):
        text = body(driver)
        expected = [f"Join {WORKSPACE}", INVITER[0], INVITER[1], address] + (["valid until"] if validity else [])
        missing = [words for words in expected if words not in text]
        check(f"{case}: the page names the workspace, inviter, invited address and validity", not missing,
              f"missing={missing} page={text}")

    # MARK: the cases

    def new_person(self, link):
        case = "new person"
        name, address = NEW
        driver = self.browser()
        driver.get(link)
        ready = self.invitation_page(driver, case, lambda: has(driver, "form[action$='/sign-up']"))
        self.common_details(driver, case, address)
        shown = driver.find_elements(By.CSS_SELECTOR, "form[action$='/sign-up'] input[type=email][readonly]")
        check(f"{case}: a sign-up form with the address read-only",
              ready and len(shown) == 1 and shown[0].get_attribute("value") == address
              and driver.find_element(By.CSS_SELECTOR, "form[action$='/sign-up']").get_attribute("action").startswith(link),
              _safe_body(driver))
        fill(driver, {"name": name, "password": PASSWORD})
        button(driver, "Create account and join").click()
        check(f"{case}: 'Create account and join' lands in the workspace, signed in", self.joined(driver), driver.current_url + " " + _safe_body(driver))
        driver.get(self.base + "/account")
        check(f"{case}: the new account is signed in and needs no confirmation",
              wait_for(lambda: name in body(driver) and address in body(driver)) and "Confirm your address." not in body(driver),
              _safe_body(driver))
        listed = self.members()
        check(f"{case}: the workspace page lists them", name in listed and address in listed, listed)

        driver.get(link)
        used = self.invitation_page(driver, case + " (used)", lambda: "already used" in body(driver))
        text = body(driver)
        check(f"{case}: opening the link again says already used, with the ask button",
              used and re.search(r"This invitation was already used on \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} UTC", text)
              and driver.find_elements(By.XPATH, f"//button[normalize-space()='Ask {INVITER[0]} for a new invitation']")
              and not driver.find_elements(By.XPATH, f"//button[normalize-space()='Join {WORKSPACE}']"),
              text)
        self.close(driver)

    def existing_account(self, link):
        case = "existing account"
        name, address = EXISTING
        driver = self.browser()
        driver.get(link)
        ready = self.invitation_page(driver, case, lambda: "already has a Loam account" in body(driver))
        self.common_details(driver, case, address)
        token_path = urlparse(link).path
        anchors = driver.find_elements(By.LINK_TEXT, f"Sign in as {address}")
        href = anchors[0].get_attribute("href") if anchors else ""
        check(f"{case}: 'already has a Loam account' and a sign-in link coming back here",
              ready and not has(driver, "form[action$='/sign-up']") and href == self.base + "/sign-in?next=" + token_path, href)
        if not anchors:
            self.close(driver)
            return
        anchors[0].click()
        at_sign_in = wait_for(lambda: path_of(driver) == "/sign-in" and has(driver, "form[action='/sign-in']"))
        next_field = driver.find_elements(By.CSS_SELECTOR, "form[action='/sign-in'] input[name=next]")
        check(f"{case}: the link opens the sign-in page carrying next",
              at_sign_in and next_field and next_field[0].get_attribute("value") == token_path, driver.current_url)
        fill(driver, {"email": address, "password": PASSWORD})
        driver.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button[type=submit]").click()
        back = self.invitation_page(driver, case + " (signed in)",
                                    lambda: path_of(driver) == token_path and has(driver, "form[action$='/accept']") and signed_in(driver))
        check(f"{case}: signing in comes back to the invitation with a Join button",
              back and driver.find_elements(By.XPATH, f"//button[normalize-space()='Join {WORKSPACE}']"),
              driver.current_url + " " + _safe_body(driver))
        if back:
            button(driver, f"Join {WORKSPACE}").click()
        check(f"{case}: Join lands in the workspace", back and self.joined(driver), driver.current_url + " " + _safe_body(driver))
        listed = self.members()
        check(f"{case}: the workspace page lists them", name in listed and address in listed, listed)
        self.close(driver)

    def switch_account(self, link):
        case = "switch account"
        other_name, other = OTHER
        name, address = SWITCHED
        driver = self.browser()
        self.sign_up(driver, other_name, other)
        driver.get(link)
        ready = self.invitation_page(driver, case, lambda: has(driver, "form[action$='/switch']"))
        self.common_details(driver, case, address)
        text = body(driver)
        check(f"{case}: the page names both addresses and offers Switch account, not Join",
              ready and f"You are signed in as {other}; this invitation is for {address}" in text
              and driver.find_elements(By.XPATH, "//button[normalize-space()='Switch account']")
              and not has(driver, "form[action$='/accept']") and not has(driver, "form[action$='/sign-up']"),
              text)
        listed = self.members()
        check(f"{case}: {other} is not a member after opening it", other not in listed and other_name not in listed, listed)
        driver.get(self.base + "/workspaces")
        check(f"{case}: {other}'s Workspaces lists nothing",
              wait_for(lambda: "You are not in any workspace yet." in body(driver)) and WORKSPACE not in body(driver), _safe_body(driver))

        driver.get(link)
        self.invitation_page(driver, case + " (before switching)", lambda: has(driver, "form[action$='/switch']"))
        button(driver, "Switch account").click()
        token_path = urlparse(link).path
        back = self.invitation_page(driver, case + " (after switching)",
                                    lambda: path_of(driver) == token_path and has(driver, "form[action$='/sign-up']")
                                    and not has(driver, "form[action$='/switch']"))
        check(f"{case}: Switch account signs out and returns to the same invitation, now the sign-up case",
              back and not signed_in(driver) and driver.find_elements(By.LINK_TEXT, "Sign in"),
              driver.current_url + " " + _safe_body(driver))
        if back:
            fill(driver, {"name": name, "password": PASSWORD})
            button(driver, "Create account and join").click()
        check(f"{case}: finishing as {address} lands in the workspace", back and self.joined(driver),
              driver.current_url + " " + _safe_body(driver))
        driver.get(self.base + "/account")
        check(f"{case}: the browser is now signed in as {address}",
              wait_for(lambda: address in body(driver)) and other not in body(driver), _safe_body(driver))
        listed = self.members()
        check(f"{case}: the workspace lists {address} and never {other}",
              address in listed and other not in listed, listed)
        self.close(driver)

    def revoked(self, link):
        case = "revoked"
        driver = self.inviter
        driver.get(self.base + self.workspace)
        row = f"//table[contains(@class,'invitations')]//tr[td[1][normalize-space()='{REVOKED}']]"
        before = _today()
        driver.find_element(By.XPATH, row + "//button[normalize-space()='Revoke']").click()
        withdrawn = wait_for(lambda: "Invitation withdrawn" in body(driver)
                             and not driver.find_elements(By.XPATH, row + "//input[contains(@class,'invitation-link')]"))
        days = {before, _today()}
        check(f"{case}: the inviter revokes it on the workspace page", withdrawn, _safe_body(driver))

        visitor = self.browser()
        visitor.get(link)
        ready = self.invitation_page(visitor, case, lambda: "withdrew this invitation" in body(visitor))
        text = body(visitor)
        match = re.search(rf"{re.escape(INVITER[0])} withdrew this invitation on (\d{{1,2}} [A-Z][a-z]+ \d{{4}}), \d{{2}}:\d{{2}} UTC", text)
        check(f"{case}: the page says who withdrew it and on which date",
              ready and match and match.group(1) in days and not has(visitor, "form[action$='/sign-up']")
              and not has(visitor, "form[action$='/accept']"), text)
        asks = visitor.find_elements(By.XPATH, f"//button[normalize-space()='Ask {INVITER[0]} for a new invitation']")
        check(f"{case}: an 'Ask {INVITER[0]} for a new invitation' button", asks, text)
        if asks:
            asks[0].click()
        self.invitation_page(visitor, case + " (asked)",
                             lambda: "We asked them by mail to send you a new invitation." in body(visitor))
        check(f"{case}: the ask button says the inviter was asked",
              "We asked them by mail to send you a new invitation." in _safe_body(visitor), visitor.current_url)
        mail = wait_mail(self.outbox, lambda to, subject, text: INVITER[1] in to and "asks for a new invitation" in subject)
        check(f"{case}: a mail to the inviter asks for a new invitation",
              mail is not None and REVOKED in mail[1] and WORKSPACE in mail[1], mail and mail[1])
        self.close(visitor)

    def tampered(self, link):
        case = "tampered link"
        secret_changed = link[:-1] + ("A" if link[-1] != "A" else "B")
        cut = link[:-6]
        uuid_changed = re.sub(r"/invitations/([0-9a-fA-F])", lambda m: "/invitations/" + ("0" if m.group(1) != "0" else "1"), link)
        driver = self.browser()
        for label, url in (("one character of the secret changed", secret_changed), ("cut short", cut), ("another id", uuid_changed)):
            driver.get(url)
            shown = wait_for(lambda: "This invitation link is not recognised" in body(driver))
            text = _safe_body(driver)
            check(f"{case}: {label} shows 'not recognised'",
                  shown and not FORBIDDEN.search(text) and f"Join {WORKSPACE}" not in text and not has(driver, "form[action*='/invitations/']"),
                  f"url={url} page={text}")
        self.close(driver)

    def copied_links_tell_nothing(self):
        """The copyable links of an address with an account and of one without look alike: sign in or create."""
        shapes = {}
        for address in (EXISTING[1], NEW[1]):
            driver = self.browser()
            driver.get(self.copied.get(address) or self.base + "/")
            ready = wait_for(lambda: "Join " + WORKSPACE in body(driver))
            text = body(driver) if ready else ""
            shapes[address] = (has(driver, "form[action$='/sign-up']"), bool(driver.find_elements(By.PARTIAL_LINK_TEXT, "Sign in as")),
                               "already has a Loam account" in text)
            self.close(driver)
        check("the copied link's page looks the same whether or not the address has an account, and never says it has one",
              shapes.get(EXISTING[1]) == (True, True, False) and shapes.get(NEW[1]) == shapes.get(EXISTING[1]), shapes)

    def no_confirmation_for_invited(self):
        """Addresses that signed up with an invitation get no confirmation mail (checked last, after the worker had time)."""
        time.sleep(2)
        sent = [(to, subject) for to, subject, text in mails(self.outbox)
                if "/verify-email/" in text and (NEW[1] in to or SWITCHED[1] in to)]
        check("no confirmation mail for addresses that signed up from an invitation", not sent, sent)


def _safe_body(driver):
    try:
        return body(driver)[:600]
    except Exception as error:
        return f"<{type(error).__name__}>"


def _today():
    now = datetime.datetime.now(datetime.timezone.utc)
    return f"{now.day} {now.strftime('%B')} {now.year}"


def run(base, outbox):
    session = Run(base, outbox)
    try:
        session.setup()
        # The existing account exists before its invitation is opened: sign up and confirm in its own browser, sign out.
        driver = session.browser()
        session.sign_up(driver, *EXISTING)
        check("the existing account signs out", session.sign_out(driver), driver.current_url)
        session.close(driver)

        links = {address: session.invite(address) for address in (NEW[1], EXISTING[1], SWITCHED[1], REVOKED)}
        session.copied_links_tell_nothing()
        cases = ((session.new_person, NEW[1]), (session.existing_account, EXISTING[1]),
                 (session.switch_account, SWITCHED[1]), (session.revoked, REVOKED), (session.tampered, NEW[1]))
        for case, address in cases:
            if links[address] is None:
                check(f"{case.__name__}: the invitation link for {address}", False, "no link in the mail")
                continue
            try:
                case(links[address])
            except Exception:
                traceback.print_exc()
                check(f"{case.__name__} ran to the end", False, "exception above")
            session.drain()
        session.no_confirmation_for_invited()
        session.drain()
        violations = [entry["message"] for entry in session.console if "Content Security Policy" in entry.get("message", "")]
        check("no Content-Security-Policy violation in the console", not violations, "; ".join(violations))
    finally:
        for driver in list(session.drivers):
            driver.quit()


def main():
    global failed
    if not os.access(LOAM, os.X_OK):
        print(f"browser: {LOAM} is missing; build first (swift build)", file=sys.stderr)
        print("browser invitations: 0 passed, 1 failed")
        return 1
    folder = tempfile.mkdtemp(prefix="loam-browser-invitations.")
    process = None
    try:
        process, base = start_server(folder)
        run(base, os.path.join(folder, "data", "outbox"))
    except Exception:
        traceback.print_exc()
        failed += 1
    finally:
        if process is not None:
            stop_server(process)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"browser invitations: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
