"""RFC 5267 contexts from a client's side: reading `* ESEARCH` lines (ALL, PARTIAL, ADDTO,
REMOVEFROM) and keeping a copy of an updating search's result the way §4.3.3 and §4.3.4 say
a client does. No client library speaks CONTEXT=SEARCH, so these read raw responses."""

import re

ESEARCH = re.compile(rb'^\* ESEARCH \(TAG "([^"]*)"\)( UID)?(.*)$')
ITEM = re.compile(rb' (ALL|MIN|MAX|COUNT|MODSEQ) (\S+)| (PARTIAL|ADDTO|REMOVEFROM) \((\S+) ([^)]+)\)')


def numbers(sequence_set: bytes | str) -> list[int]:
    """A sequence-set expanded in the order written; `a:b` ascends (RFC 5267 §3.2)."""
    text = sequence_set.decode() if isinstance(sequence_set, bytes) else sequence_set
    if text == "NIL":
        return []
    out = []
    for part in text.split(","):
        if ":" in part:
            a, b = (int(x) for x in part.split(":"))
            out += range(min(a, b), max(a, b) + 1)
        else:
            out.append(int(part))
    return out


def esearch(line: bytes) -> tuple[str, bool, list[tuple]] | None:
    """(tag, uid, items) of an ESEARCH line, items in order: ("ALL", [..]), ("COUNT", n),
    ("PARTIAL", "x:y", [..]), ("ADDTO", position, [..]), ("REMOVEFROM", position, [..])."""
    m = ESEARCH.match(line)
    if not m:
        return None
    items = []
    rest = m.group(3)
    for found in ITEM.finditer(rest):
        if found.group(1):
            name, value = found.group(1).decode(), found.group(2)
            items.append((name, numbers(value) if name == "ALL" else int(value)))
        else:
            name, first, second = found.group(3).decode(), found.group(4).decode(), found.group(5)
            items.append((name, first if name == "PARTIAL" else int(first), numbers(second)))
    names = re.findall(rb" (ALL|MIN|MAX|COUNT|MODSEQ|PARTIAL|ADDTO|REMOVEFROM) ", rest)
    assert [name.decode() for name in names] == [item[0] for item in items], line  # nothing left unread
    return m.group(1).decode(), bool(m.group(2)), items


def updates(lines: list[bytes], tag: str) -> list[tuple]:
    """The ADDTO and REMOVEFROM items for `tag`, in the order sent."""
    out = []
    for line in lines:
        found = esearch(line)
        if found and found[0] == tag:
            out += [item for item in found[2] if item[0] in ("ADDTO", "REMOVEFROM")]
    return out


def apply(result: list[int], items: list[tuple]) -> list[int]:
    """A client's copy after the items, applied in order (§4.3.2): position 0 inserts in
    mailbox order (§4.3.3) or removes wherever (§4.3.4); position p inserts so the first
    lands at p, or removes the run that starts at p."""
    result = list(result)
    for kind, position, values in items:
        if kind == "ADDTO":
            if position == 0:
                result = sorted(result + values)
            else:
                assert 1 <= position <= len(result) + 1, (position, result)
                result[position - 1:position - 1] = values
        else:
            if position == 0:
                assert set(values) <= set(result), (values, result)
                result = [n for n in result if n not in values]
            else:
                assert result[position - 1:position - 1 + len(values)] == values, (position, values, result)
                del result[position - 1:position - 1 + len(values)]
    return result


def all_of(lines: list[bytes], tag: str) -> list[int]:
    """The ALL of `tag`'s ESEARCH answer (empty when it had none)."""
    for line in lines:
        found = esearch(line)
        if found and found[0] == tag:
            return next((item[1] for item in found[2] if item[0] == "ALL"), [])
    raise AssertionError(f"no ESEARCH for {tag} in {lines}")
