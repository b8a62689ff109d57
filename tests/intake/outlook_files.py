"""Outlook .msg files made in the test: a small OLE compound file (CFB, version 3) writer and the MAPI property
streams of a message (MS-CFB, MS-OXMSG). Only what a reader needs; every value is chosen by the test.
"""
from __future__ import annotations

import struct
from datetime import datetime, timezone

SECTOR, MINI_SECTOR, MINI_CUTOFF = 512, 64, 4096
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
STORAGE, STREAM, ROOT = 1, 2, 5


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b""):
        self.name, self.kind, self.data = name, kind, data
        self.kids: list[int] = []
        self.left = self.right = self.child = NO_STREAM
        self.start, self.size = END, len(data)


def cfb(tree: dict, declared_sizes: dict[str, int] | None = None) -> bytes:
    """A compound file of {name: bytes (a stream) | dict (a storage)}; declared_sizes lies about a stream's
    size in the directory ({"a/b": size}), for damaged files."""
    entries = [_Entry("Root Entry", ROOT)]
    paths: dict[str, int] = {}

    def add(parent: int, subtree: dict, prefix: str) -> None:
        for name, value in subtree.items():
            index = len(entries)
            entries.append(_Entry(name, STORAGE if isinstance(value, dict) else STREAM,
                                  b"" if isinstance(value, dict) else value))
            entries[parent].kids.append(index)
            paths[prefix + name] = index
            if isinstance(value, dict):
                add(index, value, prefix + name + "/")

    add(0, tree, "")
    for entry in entries:
        _balance(entries, entry)

    mini, big = bytearray(), []
    mini_fat: list[int] = []
    for entry in entries[1:]:
        if entry.kind != STREAM or not entry.data:
            continue
        if len(entry.data) < MINI_CUTOFF:
            count = -(-len(entry.data) // MINI_SECTOR)
            entry.start = len(mini_fat)
            mini_fat += [len(mini_fat) + i + 1 for i in range(count - 1)] + [END]
            mini += entry.data.ljust(count * MINI_SECTOR, b"\x00")
        else:
            big.append(entry)
    directory_sectors = -(-len(entries) // 4)
    mini_fat_sectors = -(-len(mini_fat) // 128) if mini_fat else 0
    mini_stream_sectors = -(-len(mini) // SECTOR) if mini else 0
    big_sectors = sum(-(-len(e.data) // SECTOR) for e in big)
    others = directory_sectors + mini_fat_sectors + mini_stream_sectors + big_sectors
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + others:
        fat_sectors += 1
    assert fat_sectors <= 109, "test files stay small: no DIFAT sectors"

    fat = [FAT_SECTOR] * fat_sectors
    body = bytearray()

    def place(data: bytes, count: int) -> int:
        start = len(fat)
        fat.extend(start + i + 1 for i in range(count - 1))
        fat.append(END)
        body.extend(data.ljust(count * SECTOR, b"\x00"))
        return start

    directory_start = len(fat)
    body.extend(b"\x00" * directory_sectors * SECTOR)  # written last, once every start is known
    fat.extend(directory_start + i + 1 for i in range(directory_sectors - 1))
    fat.append(END)
    mini_fat_start = place(b"".join(struct.pack("<I", v) for v in mini_fat), mini_fat_sectors) \
        if mini_fat_sectors else END
    if mini:
        entries[0].start, entries[0].size = place(bytes(mini), mini_stream_sectors), len(mini)
    for entry in big:
        entry.start = place(entry.data, -(-len(entry.data) // SECTOR))
    for path, size in (declared_sizes or {}).items():
        entries[paths[path]].size = size
    directory = b"".join(_directory_entry(e) for e in entries).ljust(directory_sectors * SECTOR, b"\x00")
    offset = (directory_start - fat_sectors) * SECTOR
    body[offset:offset + len(directory)] = directory

    fat += [FREE] * (fat_sectors * 128 - len(fat))
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)
    header = bytearray(SECTOR)
    header[0:8] = MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, fat_sectors, directory_start, 0, MINI_CUTOFF, mini_fat_start,
                     mini_fat_sectors, END, 0)
    difat = list(range(fat_sectors)) + [FREE] * (109 - fat_sectors)
    struct.pack_into("<109I", header, 76, *difat)
    return bytes(header) + fat_bytes + bytes(body)


def _key(entry: _Entry) -> tuple[int, str]:
    return len(entry.name), entry.name.upper()


def _balance(entries: list[_Entry], parent: _Entry) -> None:
    """The kids of a storage as a balanced binary tree in CFB order (all black: readers do not check colours)."""
    kids = sorted(parent.kids, key=lambda i: _key(entries[i]))

    def build(ids: list[int]) -> int:
        if not ids:
            return NO_STREAM
        middle = len(ids) // 2
        node = entries[ids[middle]]
        node.left, node.right = build(ids[:middle]), build(ids[middle + 1:])
        return ids[middle]

    parent.child = build(kids)


def _directory_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le")[:62] + b"\x00\x00"
    data = bytearray(128)
    data[0:len(name)] = name
    struct.pack_into("<HBB", data, 64, len(name), entry.kind, 1)
    struct.pack_into("<III", data, 68, entry.left, entry.right, entry.child)
    struct.pack_into("<IQ", data, 116, entry.start if entry.kind != STORAGE else 0, entry.size)
    return bytes(data)


# --------------------------------------------------------------------------- MAPI properties of a message

def _unicode(prop: int, text: str) -> tuple[str, bytes]:
    return f"__substg1.0_{prop:04X}001F", text.encode("utf-16-le")


def _entry(prop: int, kind: int, value: bytes) -> bytes:
    return struct.pack("<II", (prop << 16) | kind, 6) + value.ljust(8, b"\x00")


def _filetime(moment: datetime) -> bytes:
    delta = moment - datetime(1601, 1, 1, tzinfo=timezone.utc)
    return struct.pack("<Q", (delta.days * 86400 + delta.seconds) * 10_000_000 + delta.microseconds * 10)


def message_tree(*, subject: str = "", sender: tuple[str, str] | None = None, to=(), cc=(),
                 sent: datetime | None = None, body: str | None = None, html: bytes | None = None,
                 rtf: bytes | None = None,
                 attachments=(), embedded: bool = False, string8: bool = False) -> dict:
    """The storages and streams of a message. attachments: (filename, bytes) or (filename, message_tree(...));
    string8: the strings as Windows-1252 bytes (type 001E), as older Outlook writes them."""
    tree: dict = {}

    def text(prop: int, value: str) -> None:
        if string8:
            tree[f"__substg1.0_{prop:04X}001E"] = value.encode("cp1252")
        else:
            name, data = _unicode(prop, value)
            tree[name] = data

    if subject:
        text(0x0037, subject)
    if sender:
        text(0x0C1A, sender[0])
        text(0x5D01, sender[1])
    if body is not None:
        text(0x1000, body)
    if html is not None:
        tree["__substg1.0_10130102"] = html
    if rtf is not None:
        tree["__substg1.0_10090102"] = rtf
    fixed = [_entry(0x0039, 0x0040, _filetime(sent))] if sent else []
    if string8:
        fixed.append(_entry(0x3FFD, 0x0003, struct.pack("<I", 1252)))
    recipients = [(1, n, a) for n, a in to] + [(2, n, a) for n, a in cc]
    for number, (kind, name, address) in enumerate(recipients):
        tree[f"__recip_version1.0_#{number:08X}"] = {
            **dict([_unicode(0x3001, name), _unicode(0x39FE, address)]),
            "__properties_version1.0": bytes(8) + _entry(0x0C15, 0x0003, struct.pack("<I", kind))}
    for number, (filename, content) in enumerate(attachments):
        storage = dict([_unicode(0x3707, filename)])
        if isinstance(content, dict):
            storage["__substg1.0_3701000D"] = content
            method = 5
        else:
            storage["__substg1.0_37010102"] = content
            method = 1
        storage["__properties_version1.0"] = bytes(8) + _entry(0x3705, 0x0003, struct.pack("<I", method))
        tree[f"__attach_version1.0_#{number:08X}"] = storage
    header = bytes(24) if embedded else (bytes(8) + struct.pack("<IIII", len(recipients), len(attachments),
                                                                len(recipients), len(attachments)) + bytes(8))
    tree["__properties_version1.0"] = header + b"".join(fixed)
    tree["__nameid_version1.0"] = {} if not embedded else None
    if embedded:
        del tree["__nameid_version1.0"]
    return tree


def compressed_rtf(rtf: bytes, reference_first: bool = False) -> bytes:
    """PR_RTF_COMPRESSED (MS-OXRTFCP) of an RTF document: literal runs and the end marker; reference_first starts
    with a back-reference to the 11 bytes "{\\rtf1\\ansi" of the preset dictionary instead of writing them."""
    prebuffer = 207
    tokens: list[tuple[bool, bytes]] = []
    written = 0
    if reference_first:
        assert rtf.startswith(b"{\\rtf1\\ansi")
        tokens.append((True, struct.pack(">H", (0 << 4) | (11 - 2))))
        rtf, written = rtf[11:], 11
    tokens += [(False, bytes([byte])) for byte in rtf]
    written += len(rtf)
    tokens.append((True, struct.pack(">H", ((prebuffer + written) % 4096) << 4)))
    body = bytearray()
    for start in range(0, len(tokens), 8):
        group = tokens[start:start + 8]
        body.append(sum(1 << bit for bit, (reference, _) in enumerate(group) if reference))
        for _, data in group:
            body += data
    return struct.pack("<IIII", len(body) + 12, written, 0x75465A4C, 0) + bytes(body)


def outlook_message(**fields) -> bytes:
    """A .msg file; see message_tree for the fields."""
    return cfb(message_tree(**fields))


def nested_messages(depth: int) -> bytes:
    """A message with a message attached, with a message attached, … depth levels deep."""
    inner = message_tree(subject="innermost", body="The end.", embedded=True)
    for level in range(depth - 1):
        inner = message_tree(subject=f"level {level}", body="See attached.", attachments=[("fwd.msg", inner)],
                             embedded=True)
    return cfb({**message_tree(subject="top", body="See attached.", attachments=[("fwd.msg", inner)])})
