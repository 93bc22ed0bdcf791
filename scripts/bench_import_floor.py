#!/usr/bin/env python3
"""The floor under `loam import`: Python's sqlite3 writing the rows Loam writes for a mailbox, and nothing else.

Into a database made by `loam migrate` (the same schema, WAL mode as Loam opens it), in transactions of 500 rows: the
people, one address each (its keyed index, its sealed value and its domain's index), and the interactions (a hashed
dedup key, a sealed subject and sealed roles, the subject's blind-index tokens), with values of the sizes Loam's have.
No parsing, no crypto, no identity resolution: what is left is what storing the result costs on this machine, so
`scripts/bench import` can print Loam's time over it.

Prints `floor_seconds S`.
"""
import argparse
import os
import random
import sqlite3
import time
import uuid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--people", type=int, required=True)
    parser.add_argument("--interactions", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    def hexes(count):
        return rng.randbytes(count // 2).hex()

    def blob(size):
        return rng.randbytes(size)

    connection = sqlite3.connect(args.db, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    owner = str(uuid.uuid4()).upper()
    now = time.time()
    connection.execute(
        "INSERT INTO users (id, created_at, updated_at, email, name, time_zone, phone_region, is_admin, "
        "failed_sign_ins) VALUES (?, ?, ?, ?, ?, 'UTC', 'US', 0, 0)",
        (owner, now, now, "floor@example.com", "Floor"))
    people = [str(uuid.uuid4()).upper() for _ in range(args.people)]

    # Every value is made before the clock starts: the floor times the writing only.
    people_rows = [(person, now, now, owner, f"Person {index}", f"person {index}", "mbox:mail.mbox", now)
                   for index, person in enumerate(people)]
    identity_rows = [(str(uuid.uuid4()).upper(), now, person, owner, hexes(32), blob(60), hexes(32), "mbox:mail.mbox",
                      now) for person in people]
    rows = [(str(uuid.uuid4()).upper(), now, people[index % len(people)], owner, "mail", now - index, "mbox:mail.mbox",
             "h:" + hexes(32), 1, blob(80), blob(100), " ".join(hexes(32) for _ in range(5)))
            for index in range(args.interactions)]

    start = time.perf_counter()
    for offset in range(0, len(people_rows), 500):
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO people (id, created_at, updated_at, owner_id, name, sort_name, company, title, is_favourite, "
            "archived_at, name_source, company_source, title_source, facts_updated_at, merged_into_id, "
            "first_contact_at, last_contact_at, interaction_count) "
            "VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, 0, NULL, ?, NULL, NULL, ?, NULL, NULL, NULL, 0)",
            people_rows[offset:offset + 500])
        connection.executemany(
            "INSERT INTO person_identities (id, created_at, person_id, owner_id, kind, value, sealed_value, "
            "domain_index, source, seen_at) VALUES (?, ?, ?, ?, 'email', ?, ?, ?, ?, ?)",
            identity_rows[offset:offset + 500])
        connection.execute("COMMIT")
    for offset in range(0, len(rows), 500):
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO interactions (id, created_at, person_id, owner_id, kind, occurred_at, source, dedup_key, "
            "count, sealed_subject, sealed_roles, search_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows[offset:offset + 500])
        connection.execute("COMMIT")
    seconds = time.perf_counter() - start
    connection.close()
    print(f"  Python sqlite3 writing {args.people} people and {args.interactions} interactions: {seconds:.2f} s")
    print(f"floor_seconds {seconds:.3f}")


if __name__ == "__main__":
    main()
