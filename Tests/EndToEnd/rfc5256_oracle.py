"""An independent reading of RFC 5256 (SORT, THREAD), RFC 5957 (DISPLAYFROM/DISPLAYTO) and RFC
3501 §6.4.4 (SEARCH), written from the RFC text over Python's `email` package, to check the
server's answers against. Nothing here is ported from the Swift code."""

import email.header
import email.utils
import re
import unicodedata
from email import message_from_bytes, policy

# --- i;unicode-casemap (RFC 5051 §2; RFC 5256 §7) ------------------------------------------------


def casemap(text: str) -> bytes:
    """The collation key: each character's titlecase (when it is one character), then NFKD;
    compared as UTF-8 octets."""
    titled = "".join(ch.title() if len(ch.title()) == 1 else ch for ch in text)
    return unicodedata.normalize("NFKD", titled).encode("utf-8")


# --- headers ---------------------------------------------------------------------------------------


def decode_words(value: str) -> str:
    """RFC 2047 encoded-words decoded (whitespace between adjacent words dropped)."""
    if "=?" not in value:
        return value
    parts = []
    for data, charset in email.header.decode_header(value):
        if isinstance(data, bytes):
            parts.append(data.decode(charset or "ascii", errors="replace"))
        else:
            parts.append(data)
    return "".join(parts)


def header_values(msg, name: str) -> list[str]:
    """Every field's raw value, unfolded, 8-bit octets read as UTF-8 (the compat32 policy keeps
    encoded-words as written and 8-bit octets as surrogates)."""
    values = []
    for field, value in msg._headers:
        if field.lower() == name.lower():
            text = value.encode("ascii", "surrogateescape").decode("utf-8", "replace")
            values.append(re.sub(r"\r?\n(?=[ \t])", "", text))
    return values


def raw_header(msg, name: str) -> str | None:
    """The first field's raw value (see `header_values`)."""
    values = header_values(msg, name)
    return values[0] if values else None


# --- RFC 5256 §2.1 base subject ---------------------------------------------------------------

BLOB = r"\[[^\[\]]*\][ ]*"
REFWD = r"(?:re|fwd?)[ ]*(?:" + BLOB + r")?:"
LEADER = re.compile(r"^(?:(?:" + BLOB + r")*" + REFWD + r"|[ ])", re.IGNORECASE)
TRAILER = re.compile(r"(?:\(fwd\)|[ ])$", re.IGNORECASE)
BLOB_PREFIX = re.compile(r"^" + BLOB)


def base_subject(subject: str | None) -> tuple[str, bool]:
    """(base subject, is a reply or forward) following the steps of RFC 5256 §2.1."""
    text = decode_words(subject or "")
    # (1) tabs and line breaks to space, runs of spaces to one.
    text = re.sub(r"[ \t\r\n]+", " ", text)
    refwd = False
    while True:
        # (2) trailers, until none is left.
        while (m := TRAILER.search(text)):
            if m.group(0) != " ":
                refwd = True
            text = text[: m.start()]
        # (3) leaders, (4) a leading blob unless nothing would be left, (5) repeat.
        while True:
            before = text
            while (m := LEADER.match(text)):
                if m.group(0) != " ":
                    refwd = True
                text = text[m.end():]
            m = BLOB_PREFIX.match(text)
            if m and m.end() < len(text):
                text = text[m.end():]
            if text == before:
                break
        # (6) [fwd: …]
        if len(text) >= 6 and text[:5].lower() == "[fwd:" and text.endswith("]"):
            text = text[5:-1]
            continue
        return text, refwd


# --- RFC 5256 §2.2 sent date, §3 sort keys, RFC 5957 §3 ----------------------------------------------


def sent_date(msg, internal: int) -> int:
    value = msg.get("Date")
    if value:
        parsed = email.utils.parsedate_tz(str(value))
        if parsed and parsed[9] is not None or (parsed and parsed[9] is None):
            try:
                return int(email.utils.mktime_tz(parsed))
            except (TypeError, ValueError, OverflowError):
                pass
    return internal


def first_address(msg, name: str):
    value = raw_header(msg, name)
    if not value:
        return None
    for display, address in email.utils.getaddresses([value]):
        if address or display:
            return display, address
    return None


def mailbox_key(msg, name: str) -> bytes:
    first = first_address(msg, name)
    if not first or not first[1]:
        return b""
    return casemap(first[1].rsplit("@", 1)[0] if "@" in first[1] else first[1])


def display_key(msg, name: str) -> bytes:
    first = first_address(msg, name)
    if not first:
        return b""
    display = decode_words(first[0]) if first[0] else ""
    return casemap(display if display else first[1])


class Message:
    """One message of the corpus as the oracle sees it."""

    def __init__(self, uid: int, raw: bytes, internal: int, flags: set[str]):
        self.uid, self.raw, self.internal, self.flags = uid, raw, internal, flags
        self.msg = message_from_bytes(raw, policy=policy.compat32)
        self.sent = sent_date(self.msg, internal)
        self.base, self.refwd = base_subject(raw_header(self.msg, "Subject"))
        self.keys = {
            "ARRIVAL": internal, "DATE": self.sent, "SIZE": len(raw),
            "FROM": mailbox_key(self.msg, "From"), "TO": mailbox_key(self.msg, "To"), "CC": mailbox_key(self.msg, "Cc"),
            "DISPLAYFROM": display_key(self.msg, "From"), "DISPLAYTO": display_key(self.msg, "To"),
            "SUBJECT": casemap(self.base),
        }
        self.message_id = first_id(raw_header(self.msg, "Message-ID"))
        refs = ids(raw_header(self.msg, "References"))
        if not refs:
            reply = first_id(raw_header(self.msg, "In-Reply-To"))
            refs = [reply] if reply else []
        self.references = refs


def ids(value: str | None) -> list[str]:
    """msg-ids: `<left@right>`, folding whitespace removed."""
    if not value:
        return []
    found = []
    for inner in re.findall(r"<([^<>]*)>", value):
        inner = re.sub(r"\s+", "", inner)
        left, at, right = inner.partition("@")
        if at and left and right:
            found.append(inner)
    return found


def first_id(value: str | None) -> str | None:
    found = ids(value)
    return found[0] if found else None


def sort(messages: list[Message], criteria: list[tuple[str, bool]]) -> list[int]:
    """RFC 5256 §3: criteria in turn, REVERSE per criterion; ties by sequence number (UID order)."""
    ordered = sorted(messages, key=lambda m: m.uid)
    for name, reverse in reversed(criteria):  # stable sorts, the last criterion first
        ordered = sorted(ordered, key=lambda m: m.keys[name], reverse=reverse)
    return [m.uid for m in ordered]


# --- RFC 5256 §3 THREAD ----------------------------------------------------------------------------


def ordered_subject(messages: list[Message]) -> list:
    groups: dict[bytes, list[Message]] = {}
    for m in sorted(messages, key=lambda m: (m.keys["SUBJECT"], m.sent, m.uid)):
        groups.setdefault(m.keys["SUBJECT"], []).append(m)
    threads = sorted(groups.values(), key=lambda g: (g[0].sent, g[0].uid))
    return [(g[0].uid, [(m.uid, []) for m in g[1:]]) for g in threads]


class Box:
    """A container of REFERENCES: a message, or a dummy (None)."""

    def __init__(self, message=None):
        self.message, self.parent, self.kids = message, None, []

    def descends_from(self, other) -> bool:
        box = self
        while box is not None:
            if box is other:
                return True
            box = box.parent
        return False

    def adopt(self, kid):
        kid.parent = self
        self.kids.append(kid)

    def orphan(self):
        if self.parent is not None:
            self.parent.kids.remove(self)
            self.parent = None

    def first_message(self):
        box = self
        while box.message is None and box.kids:
            box = box.kids[0]
        return box.message

    def order(self):
        m = self.first_message()
        return (m.sent, m.uid) if m else (float("-inf"), 0)


def references(messages: list[Message]) -> list:
    table: dict[str, Box] = {}
    boxes: list[Box] = []

    def box_for(message_id: str) -> Box:
        if message_id not in table:
            table[message_id] = Box()
            boxes.append(table[message_id])
        return table[message_id]

    # (1) links
    for m in sorted(messages, key=lambda m: m.uid):
        mid = m.message_id
        if mid is not None and mid in table and table[mid].message is None:
            own = table[mid]
            own.message = m
        else:
            own = Box(m)
            boxes.append(own)
            if mid is not None and mid not in table:
                table[mid] = own
        chain = [box_for(r) for r in m.references]
        for parent, kid in zip(chain, chain[1:]):
            if kid.parent is None and not parent.descends_from(kid):
                parent.adopt(kid)
        own.orphan()
        if chain and not chain[-1].descends_from(own):
            chain[-1].adopt(own)
    # (2) the root's children
    root = [b for b in boxes if b.parent is None]

    # (3) prune
    def prune(level: list[Box], at_root: bool) -> list[Box]:
        kept = []
        for box in level:
            box.kids = prune(box.kids, False)
            for kid in box.kids:
                kid.parent = box
            if box.message is not None:
                kept.append(box)
            elif not box.kids:
                continue
            elif at_root and len(box.kids) > 1:
                kept.append(box)
            else:
                for kid in box.kids:
                    kid.parent = None if at_root else box.parent
                kept.extend(box.kids)
        return kept

    root = prune(root, True)
    # (4) the top level by date, a dummy by its earliest child
    for box in root:
        if box.message is None:
            box.kids.sort(key=Box.order)
    root.sort(key=Box.order)
    # (5) gather by base subject
    subjects: dict[bytes, Box] = {}

    def subject_of(box: Box) -> tuple[bytes, bool]:
        m = box.message or box.kids[0].message
        return m.keys["SUBJECT"], m.refwd

    for box in root:
        subject, refwd = subject_of(box)
        if not subject:
            continue
        held = subjects.get(subject)
        if held is None:
            subjects[subject] = box
        elif held.message is not None and (box.message is None or (subject_of(held)[1] and not refwd)):
            subjects[subject] = box
    for box in list(root):
        if box not in root:
            continue
        subject, refwd = subject_of(box)
        held = subjects.get(subject) if subject else None
        if held is None or held is box:
            continue
        if held.message is None and box.message is None:
            for kid in list(box.kids):
                box.kids.remove(kid)
                held.adopt(kid)
            root.remove(box)
        elif held.message is None or (refwd and not subject_of(held)[1]):
            root.remove(box)
            held.adopt(box)
        else:
            dummy = Box()
            root[root.index(held)] = dummy
            root.remove(box)
            dummy.adopt(held)
            dummy.adopt(box)
            subjects[subject] = dummy

    # (6) every level by date, the deepest first
    def sort_level(level: list[Box]) -> list[Box]:
        for box in level:
            box.kids = sort_level(box.kids)
        return sorted(level, key=Box.order)

    root = sort_level(root)

    def tree(box: Box):
        return (box.message.uid if box.message else None, [tree(k) for k in box.kids])

    return [tree(b) for b in root]


def thread_text(threads: list) -> str:
    """RFC 5256 §4's notation: `(2)(3 6 (4 23)(44 7 96))`."""

    def members(node) -> str:
        number, kids = node
        out = "" if number is None else str(number)
        while len(kids) == 1:
            number, kids = kids[0]
            out += ("" if number is None else (" " if out else "") + str(number))
        if kids:
            out += (" " if out else "") + "".join("(" + members(k) + ")" for k in kids)
        return out

    return "".join("(" + members(t) + ")" for t in threads)
