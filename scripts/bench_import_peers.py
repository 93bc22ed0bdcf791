"""The Python side of `scripts/bench import`: the peers of Loam's import parsers, timed over the very files
Loam's readers just read, one pass each, in the same run (issue #9, point 8).

  mbox       email.parser.BytesHeaderParser over mailbox.mbox (headers only, as Loam reads mail)
  iCalendar  icalendar: Calendar.from_ical over the file, then walk("VEVENT")
  vCard      vobject.readComponents over the file
  contact lists (issue #10), the standard library's C parsers doing the work Loam's readers do:
  Google, LinkedIn, Outlook CSV   csv.reader; the header row found by its names, columns picked by name, the
                                  fields Loam reads trimmed, ` ::: ` multi-values split, `* ` primaries first,
                                  emails, phones, links and dates read as Loam reads them
  Facebook friends                json.load, then each friend's name (mojibake repaired) and timestamp
  X following / follower          the `window.YTD.….partN = ` prefix cut, json.loads, then each account's id and link

Each pass is timed from opening the file to its last record; mailbox.mbox's scan for "From " lines is part of
it, as finding the messages is part of Loam's single pass. Prints a human line per format and the
`python_<format>_bytes|records|seconds` lines that `loam-bench import report` reads. For the contact lists,
"fields read" counts the identifiers and dates found, as `loam-bench import parse` does: equal counts show that
both sides extracted the same things from the same rows.
Run with the peers' virtual environment (scripts/python_peers.sh).
"""

import argparse
import csv
import datetime
import json
import mailbox
import os
import re
import sys
import time
from email.parser import BytesHeaderParser
from importlib import metadata
from urllib.parse import parse_qs, urlsplit


def time_mbox(path):
    parser = BytesHeaderParser()
    start = time.perf_counter()
    box = mailbox.mbox(path, factory=parser.parse, create=False)
    records = touched = 0
    for headers in box:
        records += 1
        # Touch what an import needs, so that the headers are really looked at.
        touched += len(headers.get_all("To", [])) + (1 if headers.get("From") else 0)
    box.close()
    return records, time.perf_counter() - start, touched


def time_ics(path):
    import icalendar

    start = time.perf_counter()
    with open(path, "rb") as file:
        calendar = icalendar.Calendar.from_ical(file.read())
    records = touched = 0
    for event in calendar.walk("VEVENT"):
        records += 1
        attendees = event.get("ATTENDEE")
        touched += len(attendees) if isinstance(attendees, list) else (1 if attendees else 0)
    return records, time.perf_counter() - start, touched


def time_vcf(path):
    import vobject

    start = time.perf_counter()
    records = touched = 0
    with open(path, encoding="utf-8") as file:
        for card in vobject.readComponents(file):
            records += 1
            touched += len(card.contents.get("email", []))
    return records, time.perf_counter() - start, touched


# Contact-list CSV: what CSVContactRows and the three readers do, in Python.


def header_key(name):
    """A column name as Loam keys it: letters and digits only, lowercased (`E-mail 1 - Value` is `email1value`)."""
    return "".join(character for character in name if character.isalnum()).lower()


def open_contacts_csv(path, is_header):
    """The file, its csv.reader past the header row (among the first 16, as Loam looks), and the header's keys."""
    file = open(path, encoding="utf-8-sig", newline="")
    rows = csv.reader(file)
    for row in rows:
        keys = [header_key(name) for name in row]
        if len(row) > 1 and is_header(set(keys)):
            return file, rows, keys
        if rows.line_num > 16:
            break
    raise ValueError(f"{path}: no header row")


class Columns:
    """Columns by key; of a key written twice, the first."""

    def __init__(self, keys):
        self.keys = keys
        self.index = {}
        for position, key in enumerate(keys):
            if key and key not in self.index:
                self.index[key] = position

    def __call__(self, *keys):
        return next((self.index[key] for key in keys if key in self.index), None)

    def numbered(self, prefix, suffix):
        """`email1value`, `email2value`… as (number, column), in number order."""
        pattern = re.compile(re.escape(prefix) + r"(\d+)" + re.escape(suffix) + "$")
        found = [(int(m.group(1)), self.index[key]) for key in self.index if (m := pattern.match(key))]
        return sorted(found)


def data_rows(rows, width):
    """The rows Loam maps: blank rows passed over, a stray one-field line or a row shifted by a comma skipped."""
    for row in rows:
        if not any(field.strip(" \t") for field in row):
            continue
        if len(row) == 1 and width > 2:
            continue
        if len(row) > width and any(field.strip(" \t") for field in row[width:]):
            continue
        yield row


def text(row, column):
    """A field trimmed, None when the column is missing or the field empty (CSVContactRows.text)."""
    if column is None or column >= len(row):
        return None
    return row[column].strip() or None


def values(row, column):
    """A Google cell's ` ::: `-joined values, each trimmed, empty ones dropped (CSVContactRows.values)."""
    if column is None or column >= len(row):
        return []
    cell = row[column]
    if ":" not in cell:
        value = cell.strip()
        return [value] if value else []
    return [value for value in (part.strip() for part in cell.split(" ::: ")) if value]


def real_date(year, month, day):
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


MONTHS = {name: number for number, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}


def linkedin_date(raw):
    """`05 Dec 2025` (current), `1/8/18, 6:14 PM` (older; the date part only, as no generated row has one)."""
    words = raw.split()
    if len(words) == 3 and words[0].isdigit() and words[2].isdigit() and len(words[2]) == 4:
        month = MONTHS.get(words[1][:3].lower())
        if month and len(words[1]) >= 3:
            return real_date(int(words[2]), month, int(words[0]))
    parts = raw.split(",")[0].split("/")
    if len(parts) == 3 and all(part.isdigit() for part in parts):
        month, day, year = (int(part) for part in parts)
        return real_date(year + 2000 if year < 100 else year, month, day)
    return None


def google_birthday(raw):
    """`1985-04-15`, or `--04-15` with no year (checked against 2000); a year 0000 or 1604 is none."""
    if raw is None:
        return None
    if len(raw) == 7 and raw.startswith("--") and raw[4] == "-" and raw[2:4].isdigit() and raw[5:7].isdigit():
        return (None, int(raw[2:4]), int(raw[5:7])) if real_date(2000, int(raw[2:4]), int(raw[5:7])) else None
    if len(raw) == 10 and raw[4] == "-" and raw[7] == "-" and raw[:4].isdigit() and raw[5:7].isdigit() and raw[8:].isdigit():
        year, month, day = int(raw[:4]), int(raw[5:7]), int(raw[8:])
        if not real_date(year or 2000, month, day):
            return None
        return (None if year in (0, 1604) else year, month, day)
    return None


def outlook_birthday(raw):
    """`4/15/1985` (month first), `15.04.1985` (day first), `1985-04-15`; `0/0/00` is none."""
    if raw is None:
        return None
    if raw.startswith("--") or (len(raw) >= 10 and raw[4] == "-"):
        return google_birthday(raw)
    parts = re.split(r"[/.-]", raw.split(" ")[0])
    if len(parts) != 3 or not all(part.isdigit() and len(part) <= 4 for part in parts):
        return None
    first, second, year = (int(part) for part in parts)
    if first == 0 and year == 0:
        return None
    month, day = (second, first) if "." in raw or first > 12 else (first, second)
    if year < 100:
        year += 1900 if year >= 30 else 2000
    return (year, month, day) if real_date(year, month, day) else None


def names(row, full, given, middle, family):
    """CSVContactRows.names: the full-name column, else given, middle and family joined when there is a middle."""
    given_name, family_name, name = text(row, given), text(row, family), text(row, full)
    if name is None:
        middle_name = text(row, middle)
        if middle_name is not None:
            name = " ".join(part for part in (given_name, middle_name, family_name) if part)
    return name, given_name, family_name


def is_linkedin_header(keys):
    return {"firstname", "lastname", "connectedon"} <= keys


def is_google_header(keys):
    if "connectedon" in keys:
        return False
    if keys & {"email1value", "phone1value", "website1value", "organization1name"}:
        return True
    if "givenname" in keys and "familyname" in keys:
        return True
    return "firstname" in keys and bool(keys & {"fileas", "labels", "organizationname", "phoneticfirstname"})


def is_outlook_header(keys):
    if not ({"firstname", "lastname"} & keys) or is_linkedin_header(keys) or is_google_header(keys):
        return False
    return bool(keys & {"emailaddress", "email2address", "mobilephone", "businessphone", "homephone", "jobtitle", "webpage"})


def time_google_csv(path):
    start = time.perf_counter()
    file, rows, keys = open_contacts_csv(path, is_google_header)
    column = Columns(keys)
    name, given, middle = column("name"), column("firstname", "givenname"), column("middlename", "additionalname")
    family, organization = column("lastname", "familyname"), column("organizationname", "organization1name")
    title, birthday = column("organizationtitle", "organization1title"), column("birthday")

    def pairs(kind):
        return [(column(f"{kind}{n}label", f"{kind}{n}type"), value) for n, value in column.numbered(kind, "value")]

    emails, phones = pairs("email"), pairs("phone")
    websites = [value for _, value in column.numbered("website", "value")]

    def primary_first(row, columns):
        primary, others = [], []
        for label, value in columns:
            label_text = text(row, label)
            (primary if label_text is not None and label_text.startswith("* ") else others).extend(values(row, value))
        return primary + others

    records = touched = 0
    with file:
        for row in data_rows(rows, len(keys)):
            full, given_name, family_name = names(row, name, given, middle, family)
            record = {
                "name": full, "given": given_name, "family": family_name,
                "organization": next(iter(values(row, organization)), None), "title": next(iter(values(row, title)), None),
                "identifiers": primary_first(row, emails) + primary_first(row, phones)
                + [url for column in websites for url in values(row, column)],
                "birthday": google_birthday(text(row, birthday)),
            }
            if not record["identifiers"] and not (full or given_name or family_name):
                continue
            records += 1
            touched += len(record["identifiers"]) + (record["birthday"] is not None)
    return records, time.perf_counter() - start, touched


def time_linkedin(path):
    start = time.perf_counter()
    file, rows, keys = open_contacts_csv(path, is_linkedin_header)
    column = Columns(keys)
    first, last, url = column("firstname"), column("lastname"), column("url", "profileurl")
    email, company, position, connected = column("emailaddress", "email"), column("company"), column("position"), column("connectedon")
    records = touched = 0
    with file:
        for row in data_rows(rows, len(keys)):
            record = {
                "given": text(row, first), "family": text(row, last), "organization": text(row, company),
                "title": text(row, position), "identifiers": [],
            }
            profile = text(row, url)
            if profile is not None:
                record["identifiers"].append(("profile", profile))
            address = text(row, email)
            if address is not None:
                if address.lower().startswith("urn:li:"):
                    record["identifiers"].append(("linkedin", address))
                elif "@" in address:
                    record["identifiers"].append(("email", address))
            connected_on = text(row, connected)
            record["connected"] = linkedin_date(connected_on) if connected_on is not None else None
            if not record["identifiers"] and not (record["given"] or record["family"]):
                continue
            records += 1
            touched += len(record["identifiers"]) + (record["connected"] is not None)
    return records, time.perf_counter() - start, touched


def time_outlook_csv(path):
    start = time.perf_counter()
    file, rows, keys = open_contacts_csv(path, is_outlook_header)
    column = Columns(keys)
    name, given, middle, family = column("name", "displayname"), column("firstname"), column("middlename"), column("lastname")
    company, job_title, birthday = column("company"), column("jobtitle"), column("birthday")
    emails = [c for c in (column(k) for k in ("emailaddress", "email2address", "email3address")) if c is not None]
    phone_columns = [
        position for position, key in enumerate(keys) if (key.endswith("phone") or key.endswith("phone2")) and key != "assistantsphone"
    ]
    phones = [c for c in phone_columns if keys[c] == "mobilephone"] + [c for c in phone_columns if keys[c] != "mobilephone"]
    web_pages = [c for c in (column(k) for k in ("webpage", "personalwebpage")) if c is not None]
    records = touched = 0
    with file:
        for row in data_rows(rows, len(keys)):
            full, given_name, family_name = names(row, name, given, middle, family)
            identifiers = [
                e for e in (text(row, c) for c in emails) if e is not None and "@" in e and not e.startswith("/")
            ]
            identifiers += [p for p in (text(row, c) for c in phones) if p is not None]
            identifiers += [w for w in (text(row, c) for c in web_pages) if w is not None]
            record = {
                "name": full, "given": given_name, "family": family_name, "organization": text(row, company),
                "title": text(row, job_title), "identifiers": identifiers, "birthday": outlook_birthday(text(row, birthday)),
            }
            if not identifiers and not (full or given_name or family_name):
                continue
            records += 1
            touched += len(identifiers) + (record["birthday"] is not None)
    return records, time.perf_counter() - start, touched


# Contact-list JSON: what FacebookFriendsReader and XFollowsReader do, in Python.


def repairing_mojibake(name):
    """Facebook writes each UTF-8 byte as its own code point (U+00XX): re-read as UTF-8 when that works, as Loam does."""
    try:
        return name.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name


def time_facebook(path):
    start = time.perf_counter()
    with open(path, "rb") as file:
        document = json.load(file)
    friends = document.get("friends_v2", document.get("friends", []))
    records = touched = 0
    for friend in friends:
        name = friend.get("name") if isinstance(friend, dict) else None
        if not isinstance(name, str):
            continue
        name = repairing_mojibake(name).strip()
        if not name:
            continue
        timestamp = friend.get("timestamp")
        connected = timestamp if isinstance(timestamp, (int, float)) and 0 < timestamp < 1e11 else None
        records += 1
        touched += connected is not None
    return records, time.perf_counter() - start, touched


X_PREFIX = re.compile(r"\s*window\.YTD\.(?:following|follower)\.part\d+\s*=\s*")


def time_x(path):
    start = time.perf_counter()
    with open(path, encoding="utf-8-sig") as file:
        script = file.read()
    prefix = X_PREFIX.match(script)
    if prefix is None:
        raise ValueError(f"{path}: not an X archive list")
    records = touched = 0
    for entry in json.loads(script[prefix.end():]):
        relationship = next((key for key in ("following", "follower") if key in entry), None)
        account = entry.get(relationship) if relationship else None
        if not isinstance(account, dict):
            continue
        link = account.get("userLink")
        link = link.strip() if isinstance(link, str) else None
        account_id = account.get("accountId")
        account_id = str(account_id).strip() if isinstance(account_id, (str, int)) else None
        if account_id is None and link:
            account_id = next(iter(parse_qs(urlsplit(link).query).get("user_id", [])), None)
        identifiers = []
        if account_id and account_id.isascii() and account_id.isdigit():
            identifiers.append(("x", account_id))
        if link and "/intent/user" not in link:
            identifiers.append(("profile", link))
        if not identifiers:
            continue
        records += 1
        touched += len(identifiers)
    return records, time.perf_counter() - start, touched


PEERS = {
    "mbox": ("email BytesHeaderParser over mailbox.mbox", "messages", time_mbox, None),
    "ics": ("icalendar Calendar.from_ical + walk(VEVENT)", "events", time_ics, "icalendar"),
    "vcf": ("vobject.readComponents", "cards", time_vcf, "vobject"),
    "google_csv": ("csv.reader, Google contacts columns by name", "contacts", time_google_csv, None),
    "linkedin": ("csv.reader, LinkedIn connections columns by name", "connections", time_linkedin, None),
    "outlook_csv": ("csv.reader, Outlook contacts columns by name", "contacts", time_outlook_csv, None),
    "facebook": ("json.load + each friend's name and timestamp", "friends", time_facebook, None),
    "x": ("prefix cut + json.loads + each account's id and link", "accounts", time_x, None),
}


def main():
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name in PEERS:
        arguments.add_argument(f"--{name.replace('_', '-')}", metavar="FILE", help=f"the {name} file to read")
    options = arguments.parse_args()
    print(f"  Python {sys.version.split()[0]}")
    for name, (label, unit, run, package) in PEERS.items():
        path = getattr(options, name)
        if not path:
            continue
        size = os.path.getsize(path)
        records, seconds, touched = run(path)
        version = f" {metadata.version(package)}" if package else ""
        print(
            f"  Python {label}{version}: {size / 1e6:.1f} MB, {records} {unit} in {seconds:.3f} s: "
            f"{size / 1e6 / seconds:.1f} MB/s, {records / seconds:.0f} {unit}/s ({touched} fields read)",
            flush=True,
        )
        print(f"python_{name}_bytes {size}")
        print(f"python_{name}_records {records}")
        print(f"python_{name}_seconds {seconds:.6f}")
        print(f"python_{name}_fields {touched}", flush=True)


if __name__ == "__main__":
    main()
