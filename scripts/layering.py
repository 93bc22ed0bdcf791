#!/usr/bin/env python3
"""Which feature folder of LoamServer uses which, and whether that follows the rule in the README's Layout.

A folder "uses" another when its code names a type declared there (class, struct, enum, protocol, actor,
typealias). Declarations nested in extensions count for the folder that declares them. `--check` fails when a
use breaks the rule below; without it the script prints the graph, one line per folder.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "Sources" / "LoamServer"

# Who may use whom, besides Platform (everyone may) and themselves; the README's Layout section says why.
# Accounts, Sessions and SignInMethods are the sign-in core: they use one another. Every other feature may name
# the core's `User` (whose data it is) and `Authenticated` (who is asking), and uses People through its scope.
SIGN_IN_CORE = {"Accounts", "Sessions", "SignInMethods"}
ALLOWED = {
    "Platform": set(),
    "Accounts": SIGN_IN_CORE,
    "Sessions": SIGN_IN_CORE,
    "SignInMethods": SIGN_IN_CORE,
    "People": SIGN_IN_CORE,
    "Imports": SIGN_IN_CORE | {"People"},
    "Workspaces": SIGN_IN_CORE | {"People"},
    "Home": SIGN_IN_CORE | {"People"},
    "Status": set(),
    "APIDocument": set(),
    "App": None,  # the application root lists every feature
}

DECLARATION = re.compile(r"^(?:(?:public|internal|fileprivate|private|package|final|indirect)\s+)*"
                         r"(?:class|struct|enum|protocol|actor|typealias)\s+([A-Z][A-Za-z0-9_]*)", re.M)
IDENTIFIER = re.compile(r"\b[A-Z][A-Za-z0-9_]*\b")
COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
STRING = re.compile(r'"(?:\\.|[^"\\\n])*"')


def folder_of(path):
    return path.relative_to(ROOT).parts[0] if len(path.relative_to(ROOT).parts) > 1 else "App"


def main():
    files = sorted(ROOT.rglob("*.swift"))
    owner = {}
    texts = {}
    for path in files:
        text = STRING.sub('""', COMMENT.sub("", path.read_text()))
        texts[path] = text
        for name in DECLARATION.findall(text):
            owner.setdefault(name, folder_of(path))
    uses = {}
    for path, text in texts.items():
        folder = folder_of(path)
        for name in set(IDENTIFIER.findall(text)):
            other = owner.get(name)
            if other and other != folder:
                uses.setdefault(folder, {}).setdefault(other, set()).add(name)
    broken = []
    for folder in sorted(set(folder_of(p) for p in files)):
        used = uses.get(folder, {})
        print(f"{folder} → {', '.join(sorted(used)) or '(nothing)'}")
        if folder not in ALLOWED:
            broken.append(f"  {folder} is not in scripts/layering.py's ALLOWED: say which folders it may use")
            continue
        allowed = ALLOWED[folder]
        if allowed is None:
            continue
        for other, names in sorted(used.items()):
            if other != "Platform" and other not in allowed:
                broken.append(f"  {folder} uses {other}: {', '.join(sorted(names)[:6])}")
    if broken:
        print("Uses the layout does not allow:")
        print("\n".join(broken))
        if "--check" in sys.argv:
            sys.exit(1)


main()
