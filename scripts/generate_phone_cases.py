#!/usr/bin/env python3
"""Regenerates Loam's phone-number tables and test cases from libphonenumber's metadata.

Loam normalizes phone numbers with its own small Swift code (LoamKit/Identity), not a port of
libphonenumber. This script takes libphonenumber's data, through its Python port `phonenumbers`, and
writes two Swift files:

  Sources/LoamKit/Identity/PhoneRegion+Table.swift
      per region: calling code, trunk prefixes, international (IDD) prefixes, the possible lengths and
      possible first digits of a national significant number; plus the Argentine area codes and the
      Brazilian carrier codes that two regional rules need.
  Tests/LoamKitTests/Identity/PhoneNumberCases.swift
      example numbers of 36 regions written in many spellings, with the E.164 form phonenumbers gives
      each; the example numbers of every other region in international spellings; and inputs that
      phonenumbers finds invalid or unparseable. Every expectation comes from phonenumbers itself.

Run it from the repository root after upgrading phonenumbers, then run the LoamKit tests:

    python3 -m venv /tmp/phonenumbers-venv
    /tmp/phonenumbers-venv/bin/pip install phonenumbers==9.0.43
    /tmp/phonenumbers-venv/bin/python scripts/generate_phone_cases.py

The version used is written into both files. libphonenumber's metadata is Apache License 2.0.
"""

import argparse
import itertools
import os
import sys

import phonenumbers as pn
from phonenumbers import PhoneNumberFormat as Format
from phonenumbers import PhoneNumberType as Type

try:  # Python 3.11 renamed sre_parse and deprecated the old name.
    import re._parser as sre_parse
    from re._constants import AT, BRANCH, CATEGORY, CATEGORY_DIGIT, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, RANGE
    from re._constants import SUBPATTERN
except ImportError:  # pragma: no cover
    import sre_parse
    from sre_constants import AT, BRANCH, CATEGORY, CATEGORY_DIGIT, IN, LITERAL, MAX_REPEAT, MIN_REPEAT, RANGE
    from sre_constants import SUBPATTERN

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE_PATH = os.path.join(ROOT, "Sources/LoamKit/Identity/PhoneRegion+Table.swift")
CASES_PATH = os.path.join(ROOT, "Tests/LoamKitTests/Identity/PhoneNumberCases.swift")

# The regions tested in every spelling (national, international, E.164, odd separators, IDD, trunk in
# parentheses, extensions, tel: URIs); all other regions are tested in international spellings.
REGIONS = (
    "US CA GB DE FR IT ES NL BE CH AT SE NO DK FI PL PT IE RU UA TR IL IN CN JP KR AU NZ BR MX AR ZA NG EG SG HK"
).split()
TYPES = [(Type.FIXED_LINE, "fixed"), (Type.MOBILE, "mobile"), (Type.TOLL_FREE, "toll-free")]

# How a number abroad is dialled from these regions, as people write it.
DIALLERS = [("US", "011 "), ("DE", "00 "), ("JP", "010 "), ("AU", "0011 "), ("RU", "8 10 "), ("KR", "001 "),
            ("GB", "00"), ("SG", "001 "), ("NG", "009 "), ("BR", "0021 ")]

# Spellings the Swift normalizer does not handle on purpose, keyed by (input, region): the tests expect
# them to fail, so a fix shows up as an unexpected pass. Keep this short and give the reason.
KNOWN_UNSUPPORTED = {
}

DIGITS = "0123456789"


# --- regular expressions of the metadata, as digit-class sequences --------------------------------


def _concat(left, right):
    return [a + b for a in left for b in right]


def _expand(items, limit=400):
    """All sequences of digit sets a (finite) metadata regex matches, greedy alternatives first."""
    seqs = [()]
    for op, arg in items:
        if op == LITERAL:
            part = [(frozenset(chr(arg)),)]
        elif op == IN:
            part = [(frozenset(_class_digits(arg)),)]
        elif op == CATEGORY and arg == CATEGORY_DIGIT:
            part = [(frozenset(DIGITS),)]
        elif op == BRANCH:
            part = [seq for alternative in arg[1] for seq in _expand(alternative, limit)]
        elif op == SUBPATTERN:
            part = _expand(arg[3], limit)
        elif op in (MAX_REPEAT, MIN_REPEAT):
            low, high, sub = arg
            if high > 20:
                raise ValueError("unbounded repeat")
            inner = _expand(sub, limit)
            part = []
            counts = range(high, low - 1, -1) if op == MAX_REPEAT else range(low, high + 1)
            for count in counts:
                combined = [()]
                for _ in range(count):
                    combined = _concat(combined, inner)
                part.extend(combined)
        elif op == AT:
            continue
        else:
            raise ValueError(f"unsupported regex element {op}")
        seqs = _concat(seqs, part)
        if len(seqs) > limit:
            raise ValueError("pattern expands too far")
    return seqs


def _class_digits(items):
    out = set()
    for op, arg in items:
        if op == LITERAL:
            out.add(chr(arg))
        elif op == RANGE:
            out.update(chr(c) for c in range(arg[0], arg[1] + 1))
        elif op == CATEGORY and arg == CATEGORY_DIGIT:
            out.update(DIGITS)
        else:
            raise ValueError(f"unsupported class element {op}")
    return out


def _shapes(items, longest=20):
    """The (first digit, length) pairs of the strings `items` match, with None as the first digit of
    the empty string: enough to tell which lengths a number starting with a given digit can have."""
    shapes = {(None, 0)}
    for op, arg in items:
        if op == LITERAL:
            part = {(chr(arg), 1)}
        elif op == IN:
            part = {(d, 1) for d in _class_digits(arg)}
        elif op == CATEGORY and arg == CATEGORY_DIGIT:
            part = {(d, 1) for d in DIGITS}
        elif op == BRANCH:
            part = set().union(*(_shapes(alternative, longest) for alternative in arg[1]))
        elif op == SUBPATTERN:
            part = _shapes(arg[3], longest)
        elif op in (MAX_REPEAT, MIN_REPEAT):
            low, high, sub = arg
            inner, power, part = _shapes(sub, longest), {(None, 0)}, set()
            for count in range(min(high, longest) + 1):
                if count >= low:
                    part |= power
                power = _join(power, inner, longest)
        elif op == AT:
            continue
        else:
            raise ValueError(f"unsupported regex element {op}")
        shapes = _join(shapes, part, longest)
    return shapes


def _join(left, right, longest):
    return {(a if a is not None else b, m + n) for a, m in left for b, n in right if m + n <= longest}


def possible_shapes(md):
    """Per first digit, the possible lengths of a national significant number, rendered as
    `"[2-9]=10"` groups joined by ";" (digits sharing a length set share a group)."""
    allowed = {l for l in md.general_desc.possible_length if l > 0}
    by_digit = {}
    for first, length in _shapes(list(sre_parse.parse(md.general_desc.national_number_pattern))):
        if first is not None and length in allowed:
            by_digit.setdefault(first, set()).add(length)
    groups = {}
    for digit, lengths in sorted(by_digit.items()):
        groups.setdefault(tuple(sorted(lengths)), set()).add(digit)
    rendered = []
    for lengths, digits in sorted(groups.items(), key=lambda g: min(g[1])):
        runs, start = [], lengths[0]
        for prev, cur in zip(lengths, lengths[1:] + (None,)):
            if cur != prev + 1:
                runs.append(str(start) if start == prev else f"{start}-{prev}")
                start = cur
        rendered.append(f"{_render_set(digits)}={','.join(runs)}")
    return ";".join(rendered)


def digit_patterns(regex):
    return [_render(seq) for seq in _expand(list(sre_parse.parse(regex)))]


def _render(seq):
    return "".join(_render_set(s) for s in seq)


def _render_set(digits):
    ordered = sorted(digits)
    if len(ordered) == 1:
        return ordered[0]
    runs, start, prev = [], ordered[0], ordered[0]
    for d in ordered[1:] + [None]:
        if d is not None and ord(d) == ord(prev) + 1:
            prev = d
            continue
        runs.append(start if start == prev else f"{start}{prev}" if ord(prev) == ord(start) + 1 else f"{start}-{prev}")
        if d is not None:
            start = prev = d
    return "[" + "".join(runs) + "]"


def _group(regex, number):
    """The items of capturing group `number` in `regex`."""

    def walk(items):
        for op, arg in items:
            if op == SUBPATTERN:
                if arg[0] == number:
                    return arg[3]
                found = walk(arg[3])
            elif op == BRANCH:
                found = next((f for f in (walk(a) for a in arg[1]) if f), None)
            elif op in (MAX_REPEAT, MIN_REPEAT):
                found = walk(arg[2])
            else:
                found = None
            if found:
                return found
        return None

    return walk(list(sre_parse.parse(regex)))


# --- the region table ----------------------------------------------------------------------------


def region_rows():
    rows = []
    for cc in sorted(pn.COUNTRY_CODE_TO_REGION_CODE):
        for region in pn.COUNTRY_CODE_TO_REGION_CODE[cc]:
            if region == "001":
                md = pn.PhoneMetadata.metadata_for_nongeo_region(cc)
            else:
                md = pn.PhoneMetadata.metadata_for_region(region)
            if md is None:
                continue
            rows.append(region_row(region, cc, md))
    return rows


def region_row(region, cc, md):
    # Trunk prefixes: what libphonenumber strips from a national number. Where a transform rule rewrites
    # the number instead (local numbers of small NANP islands, Argentina, Brazil, Japan, ...), only the
    # plain national prefix is kept; Loam's own rules cover Argentina and Brazil.
    trunk = []
    if md.national_prefix_for_parsing and not md.national_prefix_transform_rule:
        trunk = digit_patterns(md.national_prefix_for_parsing)
    elif md.national_prefix:
        trunk = [md.national_prefix]

    idd = []
    if md.international_prefix:
        try:
            idd = digit_patterns(md.international_prefix)
        except ValueError:
            idd = [md.preferred_international_prefix.replace("~", "")] if md.preferred_international_prefix else []
    return dict(region=region, cc=cc, trunk=trunk, idd=idd, shapes=possible_shapes(md))


def swift_string(text):
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif 0x20 <= ord(ch) < 0x7F:
            out.append(ch)
        else:
            out.append("\\u{%X}" % ord(ch))
    return '"' + "".join(out) + '"'


def swift_strings(items):
    return "[" + ", ".join(swift_string(i) for i in items) + "]"


def wrapped(lead, items, tail, indent, width=120):
    """`lead[items]tail` at `indent` spaces, on one line when it fits, else one line per run of items."""
    pad = " " * indent
    line = f"{pad}{lead}{swift_strings(items)}{tail}"
    if len(line) <= width:
        return [line]
    out, current = [f"{pad}{lead}["], ""
    for item in (swift_string(i) + "," for i in items):
        if current and len(pad) + 4 + len(current) + 1 + len(item) > width:
            out.append(f"{pad}    {current}")
            current = item
        else:
            current = f"{current} {item}" if current else item
    out += [f"{pad}    {current}", f"{pad}]{tail}"]
    return out


def write_table(version):
    rows = region_rows()
    ar = pn.PhoneMetadata.metadata_for_region("AR")
    br = pn.PhoneMetadata.metadata_for_region("BR")
    area_codes = [_render(s) for s in _expand(_group(ar.national_prefix_for_parsing, 1), limit=2000)]
    carriers = [_render(s) for s in _expand(_group(br.national_prefix_for_parsing, 1))]
    lines = [
        f"// Generated by scripts/generate_phone_cases.py from phonenumbers {version}, the Python port of",
        "// libphonenumber, whose metadata (PhoneNumberMetadata.xml, Apache License 2.0) is the origin of these",
        "// numbers. Do not edit by hand: change the script and run it again.",
        "",
        "extension PhoneRegion {",
        "    /// Every region libphonenumber knows, grouped by calling code with the main region of a shared code",
        "    /// first; region \"001\" stands for non-geographic codes (+800, +882, ...). Prefixes are",
        "    /// ``DigitPattern``s; `lengths` gives, per first digit of a national significant number, the lengths",
        "    /// it can have (`\"[2-9]=10\"`: starts with 2 to 9 and has 10 digits).",
        "    static let table: [PhoneRegion] = [",
    ]
    for r in rows:
        head = f"{swift_string(r['region'])}, {r['cc']}"
        trunk, idd = swift_strings(r["trunk"]), swift_strings(r["idd"])
        lengths = swift_string(r["shapes"])
        line = f"        PhoneRegion({head}, trunk: {trunk}, idd: {idd}, lengths: {lengths}),"
        if len(line) <= 120:
            lines.append(line)
        else:  # wrapped as swift-format would, to stay within 120 columns
            lines.append("        PhoneRegion(")
            lines += wrapped(f"{head}, trunk: ", r["trunk"], ",", 12)
            lines += wrapped("idd: ", r["idd"], ",", 12)
            lines.append(f"            lengths: {lengths}),")
    lines += [
        "    ]",
        "",
        "    /// Argentine area codes, in the order libphonenumber tries them, for the mobile \"15\" rule.",
    ]
    lines += wrapped("static let argentineAreaCodes = ", area_codes, ".map(DigitPattern.init)", 4)
    lines += ["", "    /// Brazilian carrier-selection codes, dialled between the trunk prefix and the area code."]
    lines += wrapped("static let brazilianCarrierCodes = ", carriers, ".map(DigitPattern.init)", 4)
    lines += ["}", ""]
    with open(TABLE_PATH, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    return rows


# --- the test cases ------------------------------------------------------------------------------


class Cases:
    def __init__(self):
        self.valid = []
        self.invalid = []
        self.seen = set()
        self.skipped = []

    def add(self, label, text, region, must_equal=None):
        """Adds a case whose expectation phonenumbers decides; keeps it only when phonenumbers finds
        the number valid (and equal to `must_equal`, the example it was written from)."""
        key = (text, region)
        if key in self.seen:
            return
        try:
            number = pn.parse(text, region)
        except pn.NumberParseException:
            self.skipped.append((label, text, region, "unparseable"))
            return
        if not pn.is_valid_number(number):
            self.skipped.append((label, text, region, "invalid"))
            return
        expected = pn.format_number(number, Format.E164)
        if must_equal is not None and expected != must_equal:
            self.skipped.append((label, text, region, f"phonenumbers reads {expected}"))
            return
        self.seen.add(key)
        self.valid.append((label, text, region, expected))

    def add_invalid(self, label, text, region):
        key = (text, region)
        if key in self.seen:
            return
        try:
            number = pn.parse(text, region)
            if pn.is_valid_number(number):
                self.skipped.append((label, text, region, "valid after all"))
                return
        except pn.NumberParseException:
            pass
        self.seen.add(key)
        self.invalid.append((label, text, region, None))


def spellings(cases, region, kind, number, index):
    cc = number.country_code
    e164 = pn.format_number(number, Format.E164)
    national = pn.format_number(number, Format.NATIONAL)
    international = pn.format_number(number, Format.INTERNATIONAL)
    nsn = pn.national_significant_number(number)
    md = pn.PhoneMetadata.metadata_for_region(region)
    label = f"{region} {kind}"
    after_cc = international[len(f"+{cc}"):].strip()

    def add(what, text, home=region):
        cases.add(f"{label}, {what}", text, home, must_equal=e164)

    add("national", national)
    add("international", international)
    add("E.164", e164)
    add("national digits only", "".join(c for c in national if c.isdigit()))
    add("international without spaces", international.replace(" ", "").replace("-", ""))
    add("E.164 read in another region", e164, "GB" if region == "US" else "US")
    add("international read in another region", international, "DE" if region != "DE" else "FR")
    add("national with dots", national.replace(" ", ".").replace("-", "."))
    add("national with no-break spaces", national.replace(" ", "\u00a0"))
    add("national with a slash", national.replace(" ", "/", 1))
    add("international with dashes", international.replace(" ", "-"))
    add("international with an ideographic space and en dashes",
        international.replace(" ", "\u3000", 1).replace(" ", "\u2013"))
    add("padded", f"  {international}\t")
    add("plus in parentheses", f"(+{cc}) {after_cc}")
    add("tel URI", pn.format_number(number, Format.RFC3966))
    # Own IDD, as written by someone at home who always dials in full.
    if md.preferred_international_prefix or (md.international_prefix or "").isdigit():
        own = (md.preferred_international_prefix or md.international_prefix).replace("~", " ")
        add("own international prefix", f"{own} {cc} {after_cc}")
    add("00 prefix", f"00 {cc} {after_cc}", "DE" if region != "US" else "GB")
    for home, dial in [DIALLERS[(index + k) % len(DIALLERS)] for k in range(2)]:
        add(f"dialled from {home}", f"{dial}{cc} {after_cc}", home)
    if md.national_prefix:
        add("trunk prefix in parentheses", f"+{cc} ({md.national_prefix}){after_cc}")
        add("trunk prefix in parentheses, spaced", f"+{cc} ({md.national_prefix}) {after_cc}")
    extension = [f"{national} ext. 12", f"{national} x12", f"{e164};ext=12", f"{international} Ext 7", f"{national} #3"]
    add("with an extension", extension[index % len(extension)])
    add("with another extension", extension[(index + 2) % len(extension)])
    if index % 3 == 0:
        add("full-width digits", "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in national))
    if region in ("US", "CA"):
        add("with trunk prefix 1", f"1 {national}")
        add("with trunk prefix 1 and dashes", "1-" + "-".join(nsn[i:j] for i, j in ((0, 3), (3, 6), (6, 10))))
        add("with +1 and parentheses", f"+1 ({nsn[:3]}) {nsn[3:6]}-{nsn[6:]}")
    if region == "BR" and national.startswith("("):
        add("with a carrier code", f"0 21 {national.replace('(', '').replace(')', '')}")
    if region == "AR" and kind == "mobile":
        area = "11"
        add("national 15 without trunk prefix", f"{area} 15 {nsn[3:7]}-{nsn[7:]}")
        add("international with 15", f"+54 {area} 15 {nsn[3:7]} {nsn[7:]}")
    if region in ("DE", "AT", "CH"):
        add("DIN 5008 hyphenated extension style", national.replace(" ", "/", 1).replace(" ", "-"))

    # Invalid: too short and too long for the region, in national and international spelling.
    sharing = [pn.PhoneMetadata.metadata_for_region(r) for r in pn.COUNTRY_CODE_TO_REGION_CODE[cc]]
    lengths = sorted({length for other in sharing for length in other.general_desc.possible_length})
    trunk = md.national_prefix or ""
    for k in (lengths[0] - 1, lengths[0] - 3):
        if k >= 1 and (len(trunk) + k) not in lengths:
            short = nsn[:k]
            cases.add_invalid(f"{label}, too short national", f"{trunk}{short}", region)
            cases.add_invalid(f"{label}, too short international", f"+{cc} {short}", region)
    longer = nsn + "123456789"[: lengths[-1] + 1 - len(nsn)] if lengths[-1] >= len(nsn) else nsn + "1"
    if len(longer) + len(str(cc)) <= 17:
        cases.add_invalid(f"{label}, too long national", f"{trunk}{longer}", region)
        cases.add_invalid(f"{label}, too long international", f"+{cc} {longer}", region)
    cases.add_invalid(f"{label}, letters", f"{national[:4]}abc", region)
    cases.add_invalid(f"{label}, spelled out", "call " + national, region)


def build_cases():
    cases = Cases()
    index = 0
    for region in REGIONS:
        for number_type, kind in TYPES:
            number = pn.example_number_for_type(region, number_type)
            if number is None:
                continue
            spellings(cases, region, kind, number, index)
            index += 1
    # Every region and non-geographic code, in international spellings, read from elsewhere.
    for region in sorted(pn.SUPPORTED_REGIONS):
        for number_type, kind in TYPES[:2]:
            number = pn.example_number_for_type(region, number_type)
            if number is None:
                continue
            e164 = pn.format_number(number, Format.E164)
            home = "FR" if number.country_code == 1 else "US"
            cases.add(f"{region} {kind}, E.164", e164, home, must_equal=e164)
            international = pn.format_number(number, Format.INTERNATIONAL)
            cases.add(f"{region} {kind}, international", international, home, must_equal=e164)
            if region not in REGIONS:
                national = pn.format_number(number, Format.NATIONAL)
                cases.add(f"{region} {kind}, national", national, region, must_equal=e164)
    for cc in sorted(pn.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        number = pn.example_number_for_non_geo_entity(cc)
        if number is None:
            continue
        e164 = pn.format_number(number, Format.E164)
        cases.add(f"+{cc} non-geographic, E.164", e164, "US", must_equal=e164)
        international = pn.format_number(number, Format.INTERNATIONAL)
        cases.add(f"+{cc} non-geographic, international", international, "DE", must_equal=e164)
    for text, region in [("", "DE"), ("\t", "US"), ("+", "GB"), ("-", "FR"), ("()", "IT"), ("+ -", "ES"), ("n/a", "DE"),
                         ("unknown", "US"), ("tel:", "GB"), ("+0 30 123456", "DE"), ("+999 1234 5678", "DE"),
                         ("+80 1234 5678", "US"), ("12", "DE"), ("+49", "DE"), ("00", "DE"), ("0", "GB"),
                         ("+1234567890123456", "US"), ("0049", "DE"), ("*31#", "NL"), ("+49 30 123456 call me", "DE")]:
        cases.add_invalid("no number", text, region)
    return cases


def write_cases(cases, version):
    """Writes the cases as lines of one string literal, `region|expected|label|input`: a few thousand
    struct literals in an array make the Swift compiler run out of memory, one string does not."""
    valid_regions = sorted({r for _, _, r, _ in cases.valid})
    lines = [
        f"// Generated by scripts/generate_phone_cases.py from phonenumbers {version} (Python port of",
        "// libphonenumber): every expectation is what phonenumbers answers for the input and region.",
        f"// {len(cases.valid)} valid and {len(cases.invalid)} invalid inputs, read in {len(valid_regions)} default"
        " regions.",
        "// Do not edit by hand: change the script and run it again.",
        "",
        "extension PhoneCase {",
        "    /// Spellings Loam reads differently from phonenumbers on purpose, by `region|input`.",
    ]
    if KNOWN_UNSUPPORTED:
        lines.append("    static let unsupportedReasons: [String: String] = [")
        for (text, region), why in sorted(KNOWN_UNSUPPORTED.items()):
            lines.append(f"        {swift_string(region + '|' + text)}: {swift_string(why)},")
        lines += ["    ]", ""]
    else:
        lines += ["    static let unsupportedReasons: [String: String] = [:]", ""]
    for name, items in (("valid", cases.valid), ("invalid", cases.invalid)):
        lines.append(f"    static let {name} = parse(")
        lines.append('        """')
        for label, text, region, expected in items:
            for field in (label, text, region):
                assert "\n" not in field and "|" not in label and "|" not in region, (label, text)
            lines.append("        " + swift_string(f"{region}|{expected or ''}|{label}|{text}")[1:-1])
        lines.append('        """')
        lines.append("    )")
        lines.append("")
    lines[-1] = "}"
    lines.append("")
    with open(CASES_PATH, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    return valid_regions


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list the spellings phonenumbers rejected")
    args = parser.parse_args()
    version = pn.__version__
    rows = write_table(version)
    cases = build_cases()
    regions = write_cases(cases, version)
    stale = [key for key in KNOWN_UNSUPPORTED if key not in cases.seen]
    print(f"phonenumbers {version}: {len(rows)} table rows; {len(cases.valid)} valid and {len(cases.invalid)} invalid "
          f"cases over {len(regions)} default regions; {len(cases.skipped)} spellings left out")
    if args.verbose:
        for label, text, region, why in cases.skipped:
            print(f"  left out {label}: {text!r} in {region}: {why}")
    if stale:
        print(f"KNOWN_UNSUPPORTED entries no longer generated: {stale}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
