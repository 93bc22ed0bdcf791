#!/usr/bin/env python3
"""Writes the zip fixtures of Tests/Fixtures/zip, facebook and x (run once; the outputs are committed and the
Swift tests never need Python). Deterministic: same bytes on every run with the same CPython zlib."""
import io
import os
import random
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.dirname(HERE)
STAMP = (2025, 1, 2, 10, 0, 0)


def text(size, seed):
    rng = random.Random(seed)
    words = "the of and to in friend follow account archive export name timestamp loam zip deflate window".split()
    out = []
    length = 0
    while length < size:
        word = rng.choice(words) + rng.choice([" ", " ", " ", ", ", ".\n"])
        out.append(word)
        length += len(word)
    return "".join(out).encode()[:size]


CONTENTS = {
    "empty.bin": b"",
    "one-byte.txt": b"x",
    "text-1k.txt": text(1000, 1),
    "text-40k.txt": text(40_000, 2),
    "text-150k.txt": text(150_000, 3),
    "runs-100k.bin": b"a" * 50_000 + b"ab" * 20_000 + bytes(10_000),
    "random-12k.bin": random.Random(4).randbytes(12_000),
}


def info(name, method):
    entry = zipfile.ZipInfo(name, STAMP)
    entry.compress_type = method
    entry.external_attr = 0o644 << 16
    return entry


def raw_deflate(data, level=6, wbits=-15, strategy=zlib.Z_DEFAULT_STRATEGY, flush_every=None):
    compressor = zlib.compressobj(level, zlib.DEFLATED, wbits, 9, strategy)
    if flush_every is None:
        return compressor.compress(data) + compressor.flush()
    out = b""
    for start in range(0, len(data), flush_every):
        out += compressor.compress(data[start : start + flush_every]) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return out + compressor.flush()


class Entry:
    def __init__(self, name, data=b"", compressed=None, method=8, flags=0, crc=None, size=None, zip64=False, descriptor=False):
        self.name = name if isinstance(name, bytes) else name.encode()
        self.data = data
        self.compressed = raw_deflate(data) if compressed is None and method == 8 else (data if compressed is None else compressed)
        self.method = method
        self.flags = flags
        self.crc = zlib.crc32(data) if crc is None else crc
        self.size = len(data) if size is None else size
        self.zip64 = zip64
        self.descriptor = descriptor


def build_zip(entries, disk=0, zip64_end=False):
    """A zip written field by field, for what zipfile will not write: chosen deflate streams, wrong CRCs or
    sizes, flags, methods, ZIP64 records."""
    out = io.BytesIO()
    central = b""
    time, date = 0x5000, 0x5A22
    for e in entries:
        offset = out.tell()
        flags = e.flags | (0x08 if e.descriptor else 0)
        csize, usize = len(e.compressed), e.size
        local_sizes = (0, 0, 0) if e.descriptor else (e.crc, 0xFFFFFFFF if e.zip64 else csize, 0xFFFFFFFF if e.zip64 else usize)
        extra = struct.pack("<HHQQ", 1, 16, usize, csize) if e.zip64 else b""
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 45 if e.zip64 else 20, flags, e.method, time, date, *local_sizes, len(e.name), len(extra)))
        out.write(e.name + extra + e.compressed)
        if e.descriptor:
            out.write(struct.pack("<IIII", 0x08074B50, e.crc, csize, usize))
        if e.zip64:
            cextra = struct.pack("<HHQQQ", 1, 24, usize, csize, offset)
            fields = (0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        else:
            cextra = b""
            fields = (csize, usize, offset)
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 0x031E, 45 if e.zip64 else 20, flags, e.method, time, date, e.crc,
            fields[0], fields[1], len(e.name), len(cextra), 0, 0, 0, 0o644 << 16, fields[2])
        central += e.name + cextra
    start = out.tell()
    out.write(central)
    if zip64_end:
        record = out.tell()
        out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(entries), len(entries), len(central), start))
        out.write(struct.pack("<IIQI", 0x07064B50, 0, record, 1))
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))
    else:
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, disk, disk, len(entries), len(entries), len(central), start, 0))
    return out.getvalue()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def inflate_levels():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in CONTENTS.items():
            # Stored twins and level 0 (stored blocks inside deflate) only where they stay small, and for the
            # runs, whose level 0 takes two stored blocks; the rest is checked by CRC and across levels.
            if len(data) <= 40_000:
                z.writestr(info("stored/" + name, zipfile.ZIP_STORED), data)
            for level in (0, 1, 6, 9):
                if level == 0 and len(data) > 40_000 and not name.startswith("runs"):
                    continue
                z.writestr(info(f"level{level}/{name}", zipfile.ZIP_DEFLATED), data, compresslevel=level)
    write(os.path.join(HERE, "inflate-levels.zip"), buffer.getvalue())


def inflate_strategies():
    entries = []
    for name in ("text-40k.txt", "runs-100k.bin", "random-12k.bin"):
        data = CONTENTS[name]
        entries.append(Entry("fixed/" + name, data, raw_deflate(data, 9, strategy=zlib.Z_FIXED)))
        if name.startswith("random"):
            continue
        entries.append(Entry("huffman-only/" + name, data, raw_deflate(data, 9, strategy=zlib.Z_HUFFMAN_ONLY)))
        entries.append(Entry("rle/" + name, data, raw_deflate(data, 9, strategy=zlib.Z_RLE)))
        entries.append(Entry("window-512/" + name, data, raw_deflate(data, 9, wbits=-9)))
        entries.append(Entry("sync-flush/" + name, data, raw_deflate(data, 6, flush_every=997)))
    write(os.path.join(HERE, "inflate-strategies.zip"), build_zip(entries))


def quirks():
    # Data descriptors: what zipfile (and Facebook's and X's streaming servers) write when the output cannot seek.
    class NoSeek(io.RawIOBase):
        def __init__(self):
            self.buffer = bytearray()

        def writable(self):
            return True

        def write(self, b):
            self.buffer += b
            return len(b)

    sink = NoSeek()
    with zipfile.ZipFile(sink, "w") as z:
        z.writestr(info("streamed/text-40k.txt", zipfile.ZIP_DEFLATED), CONTENTS["text-40k.txt"])
        z.writestr(info("streamed/one-byte.txt", zipfile.ZIP_STORED), CONTENTS["one-byte.txt"])
    write(os.path.join(HERE, "data-descriptor.zip"), bytes(sink.buffer))

    write(os.path.join(HERE, "zip64.zip"), build_zip(
        [Entry("big/text-40k.txt", CONTENTS["text-40k.txt"], zip64=True), Entry("big/one-byte.txt", b"x", method=0, zip64=True)],
        zip64_end=True))

    write(os.path.join(HERE, "names.zip"), build_zip([
        Entry(b"caf\x82.txt", b"cp437", method=0),
        Entry("Zo\u00eb.txt".encode(), b"utf-8 with the flag", method=0, flags=0x800),
        Entry("Ren\u00e9e.txt".encode(), b"utf-8 without the flag", method=0),
        Entry(b"folder\\file.txt", b"backslash", method=0),
        Entry(b"folder/", b"", method=0),
    ]))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.comment = b"C" * 60_000
        z.writestr(info("commented.txt", zipfile.ZIP_DEFLATED), CONTENTS["text-1k.txt"])
    write(os.path.join(HERE, "long-comment.zip"), buffer.getvalue())


def damaged():
    text40 = CONTENTS["text-40k.txt"]
    write(os.path.join(HERE, "bad-crc.zip"), build_zip([Entry("text-40k.txt", text40, crc=zlib.crc32(text40) ^ 1)]))
    write(os.path.join(HERE, "bad-crc-stored.zip"), build_zip([Entry("text-1k.txt", CONTENTS["text-1k.txt"], method=0, crc=0x12345678)]))
    good = build_zip([Entry("text-150k.txt", CONTENTS["text-150k.txt"])])
    write(os.path.join(HERE, "truncated.zip"), good[: len(good) * 6 // 10])
    # The central directory intact, the deflate stream cut off halfway (zeros after): ends too soon or damaged.
    stream = raw_deflate(text40)
    write(os.path.join(HERE, "cut-stream.zip"), build_zip([Entry("text-40k.txt", text40, stream[: len(stream) // 2])]))
    # Block type 3, which RFC 1951 reserves.
    write(os.path.join(HERE, "bad-block-type.zip"), build_zip([Entry("bad.txt", b"hello", bytes([0b111, 0, 0, 0]))]))
    def dynamic_header(bits):
        value = sum(bit << i for i, bit in enumerate([1] + bits))
        return value.to_bytes((len(bits) + 8) // 8, "little") + bytes(8)

    # A dynamic block whose code-length code is over-subscribed: HLIT 0, HDIST 0, HCLEN 15 (19 lengths), every one 1.
    bits = [0, 1] + [0] * 5 + [0] * 5 + [1, 1, 1, 1]
    for _ in range(19):
        bits += [1, 0, 0]
    write(os.path.join(HERE, "bad-huffman.zip"), build_zip([Entry("bad.txt", b"hello", dynamic_header(bits))]))
    # One whose code-length code is incomplete (one length of 7 bits, fifteen of 4): zlib refuses it, so does Loam.
    write(os.path.join(HERE, "bad-huffman-incomplete.zip"), build_zip([Entry("bad.txt", b"hello", dynamic_header([0, 1] + bits))]))
    # A fixed block whose first symbol is a match: it reaches before the first byte.
    write(os.path.join(HERE, "bad-distance.zip"), build_zip([Entry("bad.txt", b"hello", bytes([0x03, 0x02, 0x00, 0x00]) + bytes(4))]))
    # A zip bomb: 10 MB of zeros (10 KB deflated) whose central directory says 1,000 bytes.
    zeros = bytes(10_000_000)
    write(os.path.join(HERE, "bomb.zip"), build_zip([Entry("friends.json", zeros, crc=zlib.crc32(zeros[:1000]), size=1000)]))
    write(os.path.join(HERE, "dotdot.zip"), build_zip([
        Entry("../data/following.js", b"window.YTD.following.part0 = []\n", method=0),
        Entry("/data/follower.js", b"window.YTD.follower.part0 = []\n", method=0),
        Entry("C:/data/follower.js", b"window.YTD.follower.part0 = []\n", method=0),
        Entry("safe/readme.txt", b"ok", method=0),
    ]))
    write(os.path.join(HERE, "unsupported.zip"), build_zip([
        Entry("encrypted.txt", b"secret", method=0, flags=0x01),
        Entry("aes.txt", b"secret", compressed=b"\x00" * 10, method=99),
        Entry("bzip2.txt", b"bz", compressed=b"BZh91AY&SY", method=12),
        Entry("plain.txt", b"plain", method=0),
    ]))
    write(os.path.join(HERE, "split.zip"), build_zip([Entry("part.txt", b"part", method=0)], disk=1))


def exports():
    def zip_folder(folder, target, prefix="", extra=()):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            for root, dirs, files in sorted(os.walk(folder)):
                dirs.sort()
                for name in sorted(files):
                    full = os.path.join(root, name)
                    relative = prefix + os.path.relpath(full, folder).replace(os.sep, "/")
                    with open(full, "rb") as f:
                        z.writestr(info(relative, zipfile.ZIP_DEFLATED), f.read())
            for name, data in extra:
                z.writestr(info(name, zipfile.ZIP_DEFLATED), data)
        write(target, buffer.getvalue())

    facebook = os.path.join(FIXTURES, "facebook")
    with open(os.path.join(facebook, "your_friends.json"), "rb") as f:
        current = f.read()
    with open(os.path.join(facebook, "friends.json"), "rb") as f:
        older = f.read()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        top = "facebook-dana-2025-01-02-AbCdEf/"
        z.writestr(info(top + "connections/friends/removed_friends.json", zipfile.ZIP_DEFLATED), b'{"deleted_friends_v2": []}\n')
        z.writestr(info(top + "connections/friends/your_friends.json", zipfile.ZIP_DEFLATED), current)
        z.writestr(info("__MACOSX/" + top + "connections/friends/._your_friends.json", zipfile.ZIP_DEFLATED), b"\x00\x05\x16\x07junk")
        z.writestr(info(top + "personal_information/profile_information/profile_information.json", zipfile.ZIP_DEFLATED), b"{}")
        z.writestr(info("backup/" + top + "connections/friends/your_friends.json", zipfile.ZIP_DEFLATED), b'{"friends_v2": []}')
    write(os.path.join(facebook, "facebook-export.zip"), buffer.getvalue())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(info("facebook-dana/friends_and_followers/friends.json", zipfile.ZIP_DEFLATED), older)
        z.writestr(info("facebook-dana/friends_and_followers/followers.json", zipfile.ZIP_DEFLATED), b'{"followers_v2": []}')
    write(os.path.join(facebook, "facebook-2020-export.zip"), buffer.getvalue())

    x = os.path.join(FIXTURES, "x")
    zip_folder(os.path.join(x, "archive"), os.path.join(x, "x-archive.zip"),
               extra=[("__MACOSX/data/._following.js", b"\x00\x05\x16\x07junk")])
    # No manifest: the files are found by their names, parts in order.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in ("follower.js", "following-part1.js", "following.js"):
            with open(os.path.join(x, "archive", "data", name), "rb") as f:
                z.writestr(info("twitter-2019/data/" + name, zipfile.ZIP_DEFLATED), f.read())
    write(os.path.join(x, "x-archive-no-manifest.zip"), buffer.getvalue())


if __name__ == "__main__":
    inflate_levels()
    inflate_strategies()
    quirks()
    damaged()
    exports()
