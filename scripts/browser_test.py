#!/usr/bin/env python3
"""The account and people pages in a real browser: headless Chromium driven by Selenium against `loam serve`.

Run by scripts/test after the build, with the Python from scripts/browser.sh (start_browser_tools).
Starts .build/debug/loam itself in a temporary folder (SQLite, mails written to the outbox folder),
signs up, confirms the address from the mail file, signs out and in again, adds people, a note, merges
and undoes in Duplicates, uploads a 4 MB mailbox on Imports and follows it to its summary, and checks the browser
reported no Content-Security-Policy violation. Prints `browser: N passed, M failed`; exits 1 on a failure.
Set LOAM_BROWSER_SCREENSHOT to a .png path to keep a screenshot of /account.
"""

import email
import email.policy
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from urllib.parse import urlparse

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOAM = os.path.join(ROOT, ".build", "debug", "loam")
PASSWORD = "hayloft-otter-42"
EMAIL = "dana@example.org"
NAME = "Dana Oster"

passed = 0
failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"browser: ok   {name}")
    else:
        failed += 1
        print(f"browser: FAIL {name} {detail}".rstrip())


def start_server(folder):
    """Starts `loam serve --port 0` and returns (process, base URL) once it prints where it listens."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("LOAM_PASSWORD_ITERATIONS", "DATABASE_URL", "SMTP_URL", "SMTP_CA_FILE", "LOAM_BASE_URL",
                        "LOAM_MASTER_KEY", "LOAM_MASTER_KEY_RETIRED")}
    env["LOAM_DATA_DIR"] = os.path.join(folder, "data")
    log = open(os.path.join(folder, "serve.log"), "wb")
    process = subprocess.Popen([LOAM, "serve", "--port", "0"], cwd=folder, env=env,
                               stdout=subprocess.PIPE, stderr=log)
    found = {}

    def read():
        for raw in process.stdout:
            match = re.match(r"Loam is listening on (\S+)", raw.decode("utf-8", "replace"))
            if match and "url" not in found:
                found["url"] = match.group(1)
    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + 180
    while "url" not in found:
        if process.poll() is not None or time.monotonic() > deadline:
            stop_server(process)
            with open(os.path.join(folder, "serve.log"), "rb") as f:
                sys.stderr.write(f.read().decode("utf-8", "replace")[-4000:])
            raise RuntimeError("loam serve did not start")
        time.sleep(0.1)
    return process, found["url"].rstrip("/")


def stop_server(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def verification_path(outbox, timeout=60):
    """The path of the verification link in the mail the server's worker wrote to the outbox folder."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(glob.glob(os.path.join(outbox, "*.eml"))):
            with open(path, "rb") as f:
                message = email.message_from_binary_file(f, policy=email.policy.default)
            body = message.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
            match = re.search(r"https?://\S+?(/verify-email/[A-Za-z0-9_-]+)", text)
            if match:
                return match.group(1)
        time.sleep(0.3)
    return None


def make_driver():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("LOAM_CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(os.environ.get("LOAM_CHROMEDRIVER", "/usr/bin/chromedriver")))


def fill(driver, values):
    for name, value in values.items():
        field = driver.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)


def path_of(driver):
    return urlparse(driver.current_url).path


def run(driver, base, outbox):
    console = []

    driver.get(base + "/")
    check("landing page with a sign-up link", "Loam" in driver.title and driver.find_elements(By.LINK_TEXT, "Sign up"))
    console += driver.get_log("browser")

    driver.find_element(By.LINK_TEXT, "Sign up").click()
    check("the sign-up form asks for no password", not driver.find_elements(By.CSS_SELECTOR, "form[action='/sign-up'] input[type=password]"))
    fill(driver, {"name": NAME, "email": EMAIL})
    driver.find_element(By.CSS_SELECTOR, "form[action='/sign-up'] button[type=submit]").click()
    check("sign-up says to check the mailbox, and signs nobody in",
          wait_for(lambda: "Check your mailbox" in driver.find_element(By.TAG_NAME, "body").text
                   and not driver.find_elements(By.CSS_SELECTOR, "header form[action='/sign-out']")), driver.current_url)
    console += driver.get_log("browser")

    link = verification_path(outbox)
    confirmed = False
    if link:
        driver.get(base + link)
        fill(driver, {"new_password": PASSWORD})
        driver.find_element(By.XPATH, "//button[normalize-space()='Confirm and sign in']").click()
        # The click only starts the navigation: the old page's body may go stale under the read.
        confirmed = wait_for(lambda: path_of(driver) == "/account" and "Your address is confirmed" in driver.find_element(By.TAG_NAME, "body").text
                             and NAME in driver.find_element(By.TAG_NAME, "body").text)
        console += driver.get_log("browser")
    check("the mail's link sets the password, confirms the address and signs in on /account", confirmed, f"link={link}")

    driver.get(base + "/account")
    check("/account no longer shows the banner", "Confirm your address." not in driver.find_element(By.TAG_NAME, "body").text)
    console += driver.get_log("browser")

    driver.find_element(By.CSS_SELECTOR, "header form[action='/sign-out'] button").click()
    # The click only starts the navigation: wait (up to 10 s) for the redirect to land on /.
    for _ in range(100):
        if path_of(driver) == "/":
            break
        time.sleep(0.1)
    signed_out = path_of(driver) == "/" and driver.find_elements(By.LINK_TEXT, "Sign in")
    driver.get(base + "/account")
    check("sign-out, after which /account asks to sign in",
          signed_out and path_of(driver) == "/sign-in", driver.current_url)
    console += driver.get_log("browser")

    fill(driver, {"email": EMAIL, "password": PASSWORD})
    driver.find_element(By.CSS_SELECTOR, "form[action='/sign-in'] button[type=submit]").click()
    # As with sign-out, the click only starts the navigation: wait for the account page to render.
    def signed_in():
        try:
            return path_of(driver) == "/account" and NAME in driver.find_element(By.TAG_NAME, "body").text
        except Exception:  # the old page went away between the two reads
            return False
    for _ in range(100):
        if signed_in():
            break
        time.sleep(0.1)
    check("sign-in returns to /account", signed_in(), driver.current_url)
    console += driver.get_log("browser")

    console += people_pages(driver, base)
    console += import_page(driver, base, os.path.dirname(outbox))

    screenshot = os.environ.get("LOAM_BROWSER_SCREENSHOT")
    if screenshot:
        driver.save_screenshot(screenshot)

    violations = [entry["message"] for entry in console if "Content Security Policy" in entry.get("message", "")]
    check("no Content-Security-Policy violation in the console", not violations, "; ".join(violations)[:500])


def wait_for(condition, tries=100):
    """Polls `condition` (a click only starts a navigation) for up to 10 s; True once it holds."""
    for _ in range(tries):
        try:
            if condition():
                return True
        except Exception:  # the old page went away between two reads
            pass
        time.sleep(0.1)
    return False


def people_pages(driver, base):
    """People from the header link: add two look-alikes from the keyboard, a note, then merge and undo."""
    console = []
    driver.find_element(By.LINK_TEXT, "People").click()
    check("the header's People link opens the list", wait_for(lambda: path_of(driver) == "/people"), driver.current_url)
    fill(driver, {"name": "Robert Smith", "email": "rob@example.net", "company": "Acme"})
    # Enter in a field submits the form, as a keyboard user would.
    driver.find_element(By.NAME, "company").send_keys(Keys.RETURN)
    check("Enter in the add form creates the person and opens their page",
          wait_for(lambda: path_of(driver).startswith("/people/") and "rob@example.net" in driver.find_element(By.TAG_NAME, "body").text),
          driver.current_url)
    person = path_of(driver)
    fill(driver, {"body": "Met at the harbour festival"})
    driver.find_element(By.CSS_SELECTOR, "form[action$='/notes'] button[type=submit]").click()
    check("a note appears on the person's page",
          wait_for(lambda: "Met at the harbour festival" in driver.find_element(By.TAG_NAME, "body").text))
    console += driver.get_log("browser")

    driver.get(base + "/people")
    fill(driver, {"name": "Bob Smith", "email": "bob@example.net"})
    driver.find_element(By.CSS_SELECTOR, "form[method='post'][action='/people'] button[type=submit]").click()
    wait_for(lambda: path_of(driver).startswith("/people/") and path_of(driver) != person)
    driver.get(base + "/duplicates")
    body = driver.find_element(By.TAG_NAME, "body").text
    check("Duplicates shows the pair with its reason", "Merge into Robert Smith" in body and "forms of one name" in body, body[:500])
    driver.find_element(By.XPATH, "//button[normalize-space()='Merge into Robert Smith']").click()
    check("merging lists the merge with an Undo button",
          wait_for(lambda: driver.find_elements(By.XPATH, "//button[normalize-space()='Undo']")))
    driver.get(base + person)
    body = driver.find_element(By.TAG_NAME, "body").text
    check("the survivor has both addresses", "rob@example.net" in body and "bob@example.net" in body)
    driver.get(base + "/duplicates")
    driver.find_element(By.XPATH, "//button[normalize-space()='Undo']").click()
    check("Undo brings both back, and the pair is not proposed again",
          wait_for(lambda: "Undone" in driver.find_element(By.TAG_NAME, "body").text
                   and "Merge into" not in driver.find_element(By.TAG_NAME, "body").text))
    console += driver.get_log("browser")
    driver.get(base + person)
    return console


def write_mailbox(path, messages=2500, senders=40):
    """A mailbox of a few megabytes, past the 1 MB a form may post, so the upload must stream."""
    with open(path, "w") as f:
        for index in range(messages):
            sender = index % senders
            f.write(f"From sender{sender}@example.com Tue Mar  3 10:15:00 2026\n"
                    f"From: Friend {sender} <friend{sender}@example.com>\nTo: {EMAIL}\n"
                    f"Subject: plans {index}\nDate: Tue, 03 Mar 2026 10:15:00 +0100\n"
                    f"Message-ID: <m{index}@browser.example>\n\n" + ("body text " * 150) + "\n\n")


def import_page(driver, base, data):
    """Imports from the header link: upload a mailbox through the file input; the page follows the job to its summary."""
    console = []
    mailbox = os.path.join(os.path.dirname(data), "All mail Including Spam and Trash.mbox")
    write_mailbox(mailbox)
    driver.find_element(By.LINK_TEXT, "Imports").click()
    check("the header's Imports link opens the page", wait_for(lambda: path_of(driver) == "/imports"), driver.current_url)
    driver.find_element(By.CSS_SELECTOR, "input[type=file][name=file]").send_keys(mailbox)
    driver.find_element(By.CSS_SELECTOR, "form[action='/imports'] button[type=submit]").click()
    check("uploading a %d MB mailbox opens its import's page" % (os.path.getsize(mailbox) >> 20),
          wait_for(lambda: re.match(r"^/imports/[0-9A-Fa-f-]{36}$", path_of(driver)), tries=600), driver.current_url)
    # No JavaScript: the page reloads itself (a Refresh header) until the job is done.
    done = wait_for(lambda: "Done" in driver.find_element(By.TAG_NAME, "body").text, tries=1200)
    body = driver.find_element(By.TAG_NAME, "body").text
    check("the page follows the background import to Done by itself", done, body[:400])
    created = driver.find_elements(By.ID, "people-created")
    interactions = driver.find_elements(By.ID, "interactions")
    check("the summary counts 40 people and 2,500 interactions",
          created and created[0].text == "40" and interactions and interactions[0].text == "2500",
          f"{created[0].text if created else None} {interactions[0].text if interactions else None}")
    spool = os.path.join(data, "import-spool")
    check("the sealed upload is gone once imported", not os.path.isdir(spool) or not os.listdir(spool), str(os.listdir(spool)))
    driver.get(base + "/people")
    check("the imported people are on the People page", "Friend 7" in driver.find_element(By.TAG_NAME, "body").text)
    console += driver.get_log("browser")
    return console


def main():
    if not os.access(LOAM, os.X_OK):
        print(f"browser: {LOAM} is missing; build first (swift build)", file=sys.stderr)
        print("browser: 0 passed, 1 failed")
        return 1
    folder = tempfile.mkdtemp(prefix="loam-browser.")
    process = driver = None
    try:
        process, base = start_server(folder)
        driver = make_driver()
        run(driver, base, os.path.join(folder, "data", "outbox"))
    except Exception:
        traceback.print_exc()
        global failed
        failed += 1
    finally:
        if driver is not None:
            driver.quit()
        if process is not None:
            stop_server(process)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"browser: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
