"""The Python side of `scripts/bench import`: the peers of Loam's import parsers, timed over the very files
Loam's readers just read, one pass each, in the same run (issue #9, point 8).

  mbox       email.parser.BytesHeaderParser over mailbox.mbox (headers only, as Loam reads mail)
  iCalendar  icalendar: Calendar.from_ical over the file, then walk("VEVENT")
  vCard      vobject.readComponents over the file

Each pass is timed from opening the file to its last record; mailbox.mbox's scan for "From " lines is part of
it, as finding the messages is part of Loam's single pass. Prints a human line per format and the
`python_<format>_bytes|records|seconds` lines that `loam-bench import report` reads.
Run with the peers' virtual environment (scripts/python_peers.sh).
"""

import argparse
import mailbox
import os
import sys
import time
from email.parser import BytesHeaderParser
from importlib import metadata


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


PEERS = {
    "mbox": ("email BytesHeaderParser over mailbox.mbox", "messages", time_mbox, None),
    "ics": ("icalendar Calendar.from_ical + walk(VEVENT)", "events", time_ics, "icalendar"),
    "vcf": ("vobject.readComponents", "cards", time_vcf, "vobject"),
}


def main():
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name in PEERS:
        arguments.add_argument(f"--{name}", metavar="FILE", help=f"the {name} file to read")
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
        print(f"python_{name}_seconds {seconds:.6f}", flush=True)


if __name__ == "__main__":
    main()
