"""PARTIAL (RFC 9394) with Python's imaplib: paged SEARCH and SORT results from either end
(`PARTIAL -1:-3` is the last three), the `PARTIAL (range set)` ESEARCH result echoing the range
as asked, and the FETCH modifier `(PARTIAL …)` on UID FETCH and FETCH."""

import datetime
import imaplib
import re

import pytest

from imap_support import ALICE, PASSWORD, message

COUNT = 12


def esearch(client: imaplib.IMAP4, *args: str) -> tuple[str, bytes]:
    """Runs a SEARCH/SORT with RETURN; answers the status and the one ESEARCH line."""
    typ, data = client._simple_command(*args)
    found = client.untagged_responses.pop("ESEARCH", [b""])
    return typ, found[-1]


def fetched_uids(data: list) -> list[int]:
    lines = [d[0] if isinstance(d, tuple) else d for d in data if d and d != b")"]
    return [int(re.search(rb"UID (\d+)", line).group(1)) for line in lines]


def fetched_seqs(data: list) -> list[int]:
    lines = [d[0] if isinstance(d, tuple) else d for d in data if d and d != b")"]
    return [int(line.split()[0]) for line in lines]


def test_partial_search_sort_and_fetch(imap_system):
    _, _, imap = imap_system
    client = imaplib.IMAP4("127.0.0.1", imap.port, timeout=10)
    assert client.login(ALICE, PASSWORD)[0] == "OK"
    assert "PARTIAL" in client.capabilities
    for n in range(1, COUNT + 1):
        # Arrival times a minute apart: SORT by ARRIVAL has no ties to break.
        when = datetime.datetime(2026, 1, 1, 12, n, tzinfo=datetime.timezone.utc)
        assert client.append("INBOX", "\\Seen" if n % 2 else "", when, message(f"Message {n:02d}"))[0] == "OK"
    assert client.select("INBOX") == ("OK", [str(COUNT).encode()])

    # The last three (UIDs 10:12), the first three, and a page past the end (NIL).
    typ, line = esearch(client, "UID", "SEARCH", "RETURN (PARTIAL -1:-3) ALL")
    assert typ == "OK" and line.endswith(b"UID PARTIAL (-1:-3 10:12)"), line
    typ, line = esearch(client, "UID", "SEARCH", "RETURN (PARTIAL 1:3) ALL")
    assert typ == "OK" and line.endswith(b"UID PARTIAL (1:3 1:3)"), line
    typ, line = esearch(client, "SEARCH", "RETURN (PARTIAL -3:-1) ALL")
    assert typ == "OK" and line.endswith(b"PARTIAL (-1:-3 10:12)"), line
    typ, line = esearch(client, "SEARCH", "RETURN (PARTIAL 50:60) ALL")
    assert typ == "OK" and line.endswith(b"PARTIAL (50:60 NIL)"), line
    typ, line = esearch(client, "SEARCH", "RETURN (PARTIAL -50:-60) ALL")
    assert typ == "OK" and line.endswith(b"PARTIAL (-50:-60 NIL)"), line
    # COUNT is of the whole result; PARTIAL pages the seen messages (1,3,5,…,11) from the end.
    typ, line = esearch(client, "UID", "SEARCH", "RETURN (COUNT PARTIAL -1:-2) SEEN")
    assert typ == "OK" and b"COUNT 6" in line and line.endswith(b"PARTIAL (-1:-2 9,11)"), line
    # Mixed signs are not a range.
    with pytest.raises(imaplib.IMAP4.error, match="BAD"):
        client._simple_command("SEARCH", "RETURN (PARTIAL 1:-3) ALL")

    # SORT: from the end of the sort order (newest first, so the end is the oldest).
    typ, line = esearch(client, "UID", "SORT", "RETURN (PARTIAL -1:-2) (REVERSE ARRIVAL) UTF-8 ALL")
    assert typ == "OK" and line.endswith(b"UID PARTIAL (-1:-2 2,1)"), line
    typ, line = esearch(client, "UID", "SORT", "RETURN (PARTIAL 1:2) (REVERSE ARRIVAL) UTF-8 ALL")
    assert typ == "OK" and line.endswith(b"UID PARTIAL (1:2 12,11)"), line

    # FETCH's PARTIAL modifier: among the messages the set names, in UID order.
    typ, data = client.uid("FETCH", "1:*", "(FLAGS) (PARTIAL -1:-3)")
    assert typ == "OK" and fetched_uids(data) == [10, 11, 12], data
    typ, data = client.uid("FETCH", "2:6", "(FLAGS) (PARTIAL 2:3)")
    assert typ == "OK" and fetched_uids(data) == [3, 4], data
    typ, data = client.uid("FETCH", "1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)]) (PARTIAL -1:-1)")
    assert typ == "OK" and fetched_uids(data) == [12] and b"Message 12" in data[0][1], data
    typ, data = client.fetch("1:*", "(UID) (PARTIAL 2:3)")
    assert typ == "OK" and fetched_seqs(data) == [2, 3], data
    typ, data = client.uid("FETCH", "1:*", "(FLAGS) (PARTIAL 100:200)")
    assert typ == "OK" and data == [None], data
    assert client.logout()[0] == "BYE"
