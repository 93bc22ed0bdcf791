#!/usr/bin/env python3
"""What the Python peers find in import fixtures, as JSON, for Loam's agreement test (issue #9 point 7).

    peer_parse.py mbox FILE...
    peer_parse.py vcard FILE...
    peer_parse.py ics [--now 2026-03-01T00:00:00Z] [--floating-zone UTC] FILE...

Prints one JSON object: {"peer": "...", "files": [{"file": FILE, "records": [...], "error": "..."}]}, where
"error" is there when the peer gave up on the file, and "records" are those it had read by then: an mbox
message with the line of its From line, a card in file order, or a calendar's series (the events of one UID).
Each peer is used the way a Python program would ordinarily use it; nothing here repairs what a peer gets
wrong, so a disagreement with Loam is the peer's answer, not this script's. Run it with the python of
scripts/python_peers.sh (pinned icalendar, vobject, recurring-ical-events).
"""

import argparse
import datetime
import email.errors
import email.header
import email.parser
import email.utils
import json
import logging
import mailbox
import sys
import warnings
import zoneinfo

ADDRESS_FIELDS = [("from", "From"), ("to", "To"), ("cc", "Cc"), ("bcc", "Bcc"), ("reply_to", "Reply-To"),
                  ("sender", "Sender")]


def decoded(text):
    """RFC 2047 words decoded, as email.header does it; text that is not valid encoded words stays as it is."""
    try:
        return str(email.header.make_header(email.header.decode_header(text)))
    except (UnicodeDecodeError, LookupError, email.errors.HeaderParseError):
        return text


def mbox_records(path, records):
    # The peer the issue names: BytesHeaderParser over mailbox.mbox (headers only, compat32 policy).
    parser = email.parser.BytesHeaderParser()
    box = mailbox.mbox(path, factory=None, create=False)
    try:
        keys = box.keys()
        with open(path, "rb") as handle:
            data = handle.read()
        for key in keys:
            # mailbox keeps each message's byte offset in its table of contents; Loam numbers records by the
            # line of their "From " line, so the offset becomes that line to pair the two readers' messages.
            start, _ = box._toc[key]
            message = parser.parsebytes(box.get_bytes(key, from_=False))
            record = {"line": data.count(b"\n", 0, start) + 1}
            for field, header in ADDRESS_FIELDS:
                values = [str(value) for value in message.get_all(header, [])]
                record[field] = [{"name": decoded(name) if name else None, "address": address}
                                 for name, address in email.utils.getaddresses(values) if name or address]
            message_id = message.get("Message-ID")
            record["message_id"] = str(message_id).strip().strip("<>") if message_id is not None else None
            records.append(record)
    finally:
        box.close()


def vcard_text(path):
    """vobject reads text: UTF-8 (a byte order mark dropped) when the file is UTF-8, else Windows-1252, the
    8-bit charset of Outlook's exports, else Latin-1, which reads any byte."""
    with open(path, "rb") as handle:
        data = handle.read()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")


def vcard_records(path, records):
    import vobject

    # ignoreUnreadable: a line that is no property is logged and passed over, as Loam passes over it, rather
    # than ending the file; a card vobject still cannot read ends it, and that is vobject's answer.
    logging.getLogger("vobject.base").setLevel(logging.CRITICAL)
    for card in vobject.readComponents(vcard_text(path), allowQP=True, ignoreUnreadable=True):
        name = card.contents.get("n", [None])[0]
        fn = card.contents.get("fn", [None])[0]
        records.append({
            "fn": fn.value if fn is not None else None,
            "given": (name.value.given or None) if name is not None and hasattr(name.value, "given") else None,
            "family": (name.value.family or None) if name is not None and hasattr(name.value, "family") else None,
            "emails": [line.value for line in card.contents.get("email", [])],
            "phones": [line.value for line in card.contents.get("tel", [])],
        })


def instant(value, floating_zone):
    """An occurrence's start as RFC 3339 in UTC; a floating time is read in `floating_zone`, a date at its
    midnight there."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=floating_zone)
    return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def calendar_address(value):
    text = str(value)
    return text[7:] if text.lower().startswith("mailto:") else text


def participant(value):
    """An ORGANIZER or ATTENDEE as icalendar reads it: the value less "mailto:", and the parameters that decide
    whether Loam counts it (the test applies Loam's rules to these, so only the reading is compared)."""
    params = getattr(value, "params", {})
    return {"address": calendar_address(value), "partstat": params.get("PARTSTAT"), "cutype": params.get("CUTYPE"),
            "email": params.get("EMAIL")}


def ics_records(path, now, floating_zone, records):
    import icalendar

    with open(path, "rb") as handle:
        calendar = icalendar.Calendar.from_ical(handle.read())
    # One record per UID: a series and its RECURRENCE-ID overrides together, in file order; an event without a
    # UID is a record of its own.
    groups = []
    by_uid = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["UID"]) if "UID" in event else None
        if uid is None or uid not in by_uid:
            groups.append((uid, []))
            if uid is not None:
                by_uid[uid] = groups[-1][1]
        events = groups[-1][1] if uid is None else by_uid[uid]
        events.append(event)
    zones = calendar.walk("VTIMEZONE")
    for uid, events in groups:
        try:
            records.append(ics_record(uid, events, zones, now, floating_zone))
        except Exception as error:  # an event the peer cannot read costs its record, not the rest of the file
            records.append({"uid": uid, "events": [], "occurrences": [], "error": f"{type(error).__name__}: {error}"})


def ics_record(uid, events, zones, now, floating_zone):
    import icalendar
    import recurring_ical_events

    # recurring-ical-events over a calendar of this record's events and every time zone: the occurrences from the
    # start of time up to `now`, overrides in place of the instances they replace.
    alone = icalendar.Calendar()
    for component in zones + events:
        alone.add_component(component)
    occurrences = [{"start": instant(occurrence.decoded("DTSTART"), floating_zone),
                    "status": str(occurrence["STATUS"]) if "STATUS" in occurrence else None}
                   for occurrence in recurring_ical_events.of(alone).between(datetime.datetime(1900, 1, 1), now)]
    described = []
    for event in events:
        attendees = event.get("ATTENDEE", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        described.append({
            "status": str(event["STATUS"]) if "STATUS" in event else None,
            "organizer": participant(event["ORGANIZER"]) if "ORGANIZER" in event else None,
            "attendees": [participant(attendee) for attendee in attendees],
        })
    return {"uid": uid, "events": described,
            "occurrences": sorted(occurrences, key=lambda occurrence: occurrence["start"])}


def main():
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("format", choices=["mbox", "vcard", "ics"])
    arguments.add_argument("files", nargs="+")
    arguments.add_argument("--now", default="2026-03-01T00:00:00Z",
                           help="occurrences up to this instant (ics), RFC 3339")
    arguments.add_argument("--floating-zone", default="UTC", help="the zone of floating times (ics)")
    options = arguments.parse_args()
    # icalendar warns when it guesses a vendor-prefixed TZID (/mozilla.org/…/America/New_York); the guess is its
    # answer and is compared, the warning would only clutter the test's output.
    warnings.simplefilter("ignore")
    now = datetime.datetime.fromisoformat(options.now.replace("Z", "+00:00"))
    floating_zone = zoneinfo.ZoneInfo(options.floating_zone)
    peers = {"mbox": "email.parser.BytesHeaderParser over mailbox.mbox", "vcard": "vobject",
             "ics": "icalendar + recurring-ical-events"}
    files = []
    for path in options.files:
        # Records are appended as the peer reads them, so those it read before an error are kept beside it.
        records = []
        entry = {"file": path, "records": records}
        try:
            if options.format == "mbox":
                mbox_records(path, records)
            elif options.format == "vcard":
                vcard_records(path, records)
            else:
                ics_records(path, now, floating_zone, records)
        except Exception as error:  # a peer that cannot read a file is an answer too
            entry["error"] = f"{type(error).__name__}: {error}"
        files.append(entry)
    json.dump({"peer": peers[options.format], "files": files}, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
