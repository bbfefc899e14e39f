"""SEARCH, SORT and THREAD checked against an independent oracle (rfc5256_oracle.py: Python's
`email` package and the RFC text) over a generated corpus: addresses with display names and
encoded-words, subjects with Re:/Fwd:/[list] prefixes and (fwd) trailers in several charsets,
dates in several zones (some missing or broken), Message-ID/In-Reply-To/References chains with
missing parents, loops and duplicates, quoted-printable and base64 bodies in UTF-8 and
ISO-8859-1, HTML parts. The corpus goes in by APPEND (with internal dates and flags) and by the
store's delivery (the SMTP path), and the answers are compared for mail the store has indexed
and for mail it has not (its read-model rows removed, the background indexer off: the store
falls back to reading the messages)."""

import base64
import datetime
import quopri
import random
import re
import sqlite3

import imapclient
import pytest

from conftest import IMAPGateway, Store
from imap_support import ALICE, PASSWORD
import rfc5256_oracle as oracle

SEED = 5256
PEOPLE = [
    ("Ann Lee", "ann", "example.org", "plain"),
    ("Jürgen Groß", "jurgen", "example.de", "utf-8-q"),
    ("Émile Zola", "emile", "example.fr", "latin1-b"),
    ("", "zed", "example.net", "none"),
    ("Bob Brown", "Bob.Brown", "example.com", "plain"),
    ("O'Neil, Pat", "pat", "example.ie", "quoted"),
    ("ann", "Ann.Other", "example.org", "plain"),
    ("Ülla Öst", "ulla", "example.se", "utf-8-b"),
]
TOPICS = ["Lunch plans", "Quarterly report", "Café menu", "Ünïcode test", "release 1.2", "Budget", "lunch PLANS"]
PREFIXES = ["", "", "Re: ", "RE: ", "Fwd: ", "Fw: ", "[list] ", "[list] Re: ", "Re: [list] ", "re[2]: ", "Re: Re: "]
WORDS = ["kiwi", "mañana", "zebra", "naïve", "quartz", "fjord", "größe", "tofu", "oboe", "lynx"]
ZONES = ["+0000", "-0800", "+0530", "+1400", "-1200", "+0100"]
DAY = 86_400
BASE = int(datetime.datetime(2024, 2, 1, 12, tzinfo=datetime.timezone.utc).timestamp())


def encode_word(text: str, how: str) -> str:
    if how in ("plain", "none"):
        return text
    if how == "quoted":
        return '"' + text.replace('"', '\\"') + '"'
    charset, encoding = {"utf-8-q": ("utf-8", "q"), "utf-8-b": ("utf-8", "b"), "latin1-b": ("iso-8859-1", "b"),
                         "latin1-q": ("iso-8859-1", "q")}[how]
    data = text.encode(charset)
    if encoding == "b":
        return f"=?{charset}?b?{base64.b64encode(data).decode()}?="
    q = "".join(chr(b) if (chr(b).isalnum() and b < 128) else ("_" if b == 32 else f"={b:02X}") for b in data)
    return f"=?{charset}?q?{q}?="


def address(person) -> str:
    display, local, domain, how = person
    if how == "none":
        return f"{local}@{domain}"
    return f"{encode_word(display, how)} <{local}@{domain}>"


def subject_line(rng: random.Random, topic: str) -> str:
    subject = rng.choice(PREFIXES) + topic + (" (fwd)" if rng.random() < 0.15 else "")
    if rng.random() < 0.1:
        subject = "[Fwd: " + subject + "]"
    how = rng.choice(["plain", "plain", "utf-8-q", "utf-8-b", "latin1-q"])
    if how.startswith("latin1"):
        try:
            subject.encode("iso-8859-1")
        except UnicodeEncodeError:
            how = "utf-8-q"
    return encode_word(subject, how) if how != "plain" else subject


def date_line(rng: random.Random, sent: int) -> str | None:
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.12:
        return "sometime soon"
    zone = rng.choice(ZONES)
    offset = (1 if zone[0] == "+" else -1) * (int(zone[1:3]) * 3600 + int(zone[3:]) * 60)
    local = datetime.datetime.fromtimestamp(sent + offset, datetime.timezone.utc)
    return local.strftime("%a, %d %b %Y %H:%M:%S ") + zone


def body(rng: random.Random, words: list[str]) -> tuple[str, bytes]:
    """Content headers and body: QP UTF-8, base64 Latin-1, or multipart/alternative with HTML."""
    text = "Words: " + " ".join(words) + ".\r\n"
    kind = rng.choice(["qp-utf8", "b64-latin1", "html", "plain"])
    if kind == "qp-utf8":
        encoded = quopri.encodestring(text.encode("utf-8")).replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n")
        return "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n", encoded
    if kind == "b64-latin1":
        data = text.encode("iso-8859-1", errors="replace")
        return ("Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: base64\r\n",
                base64.encodebytes(data).replace(b"\n", b"\r\n"))
    if kind == "html":
        html = "<html><body><p>" + " <b>".join(words) + "</b></p></body></html>"
        part = base64.encodebytes(html.encode("utf-8")).replace(b"\n", b"\r\n")
        return ('Content-Type: multipart/alternative; boundary="b1"\r\n',
                b"--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nSee the HTML part.\r\n"
                b"--b1\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + part + b"--b1--\r\n")
    return "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n", text.encode("utf-8")


def corpus(seed: int = SEED, conversations: int = 10) -> list[tuple[bytes, int, list[str]]]:
    """(raw, internal date, flags) in the order they go in."""
    rng = random.Random(seed)
    out = []
    serial = 0
    for c in range(conversations):
        topic = rng.choice(TOPICS)
        ids: list[str] = []
        parents: list[list[str]] = []
        for k in range(rng.randint(1, 6)):
            chain = []
            if ids and rng.random() < 0.85:
                parent = rng.randrange(len(ids))
                chain = parents[parent] + [ids[parent]]
            ids.append(f"c{c}.m{k}@gen.test")
            parents.append(chain)
        for k, (mid, chain) in enumerate(zip(ids, parents)):
            if k > 0 and rng.random() < 0.15:
                continue  # a parent that never arrives
            serial += 1
            sent = BASE + rng.randrange(0, 10) * DAY + rng.randrange(-5000, 5000)
            internal = BASE + rng.randrange(0, 10) * DAY + rng.randrange(-7000, 7000)
            headers = [f"From: {address(rng.choice(PEOPLE))}"]
            headers.append("To: " + ", ".join(address(p) for p in rng.sample(PEOPLE, rng.randint(1, 2))))
            if rng.random() < 0.5:
                headers.append(f"Cc: {address(rng.choice(PEOPLE))}")
            subject = subject_line(rng, topic) if (k == 0 or rng.random() < 0.8) else subject_line(rng, rng.choice(TOPICS))
            headers.append(f"Subject: {subject}")
            date = date_line(rng, sent)
            if date:
                headers.append(f"Date: {date}")
            roll = rng.random()
            if roll < 0.06:
                pass  # no Message-ID
            elif roll < 0.1 and out:
                headers.append("Message-ID: <c0.m0@gen.test>")  # a duplicate
            else:
                headers.append(f"Message-ID: <{mid}>")
            if chain:
                style = rng.random()
                if style < 0.6:
                    headers.append("References: " + "\r\n ".join(f"<{i}>" for i in chain))
                    headers.append(f"In-Reply-To: <{chain[-1]}>")
                elif style < 0.75:
                    headers.append(f"References: <{chain[-1]}>")  # truncated
                elif style < 0.9:
                    headers.append(f"In-Reply-To: <{chain[-1]}> (message from someone)")
                else:
                    headers.append(f"References: <{mid}> <{chain[-1]}>")  # a loop through itself
            headers.append("MIME-Version: 1.0")
            content, payload = body(rng, rng.sample(WORDS, 3))
            raw = ("\r\n".join(headers) + "\r\n" + content + "\r\n").encode("utf-8") + payload
            flags = [f for f in ("\\Seen", "\\Flagged", "$Work") if rng.random() < 0.3]
            out.append((raw, internal, flags))
    return out


# --- the server --------------------------------------------------------------------------------


def load(client, store, corpus_messages) -> list:
    """The corpus into alice's INBOX: most by APPEND (internal date, flags), every fifth by the
    store's delivery (the SMTP path: internal date now, no flags)."""
    messages = []
    for n, (raw, internal, flags) in enumerate(corpus_messages):
        if n % 5 == 4:
            r = store.deliver(raw, [ALICE])
            assert r.status_code in (200, 201), r.text
            client.select_folder("INBOX")
            uid = max(client.search(["ALL"]))
            internal = int(client.fetch([uid], ["INTERNALDATE"])[uid][b"INTERNALDATE"].timestamp())
            flags = []
        else:
            when = datetime.datetime.fromtimestamp(internal, datetime.timezone.utc)
            answer = client.append("INBOX", raw, flags=flags, msg_time=when)
            uid = int(re.search(rb"APPENDUID \d+ (\d+)", answer).group(1))
        messages.append(oracle.Message(uid, raw, internal, {f.lower() for f in flags}))
    return messages


def login(imap) -> imapclient.IMAPClient:
    client = imapclient.IMAPClient("127.0.0.1", port=imap.port, ssl=False, timeout=20)
    client.login(ALICE, PASSWORD)
    return client


@pytest.fixture(params=["indexed", "unindexed", "unnumbered"])
def loaded(request, tmp_path):
    """store + imap-gateway with the corpus in alice's INBOX: a logged-in client with INBOX
    selected, and the oracle's messages. "unindexed": the read model's rows are dropped while
    the store is down and it comes back with its background indexer off
    (BUZON_STORE_INDEX_BATCH=0), so every answer comes from reading the messages.
    "unnumbered": only the message ids' numbers are dropped (as for entries written before
    Schema v9-message-id-numbers), so THREAD reads the ids as text."""
    store = Store(tmp_path / "data", env={"BUZON_STORE_INDEX_BATCH": "0"}).start()
    store.add_user(ALICE)
    imap = IMAPGateway(store, tmp_path).start()
    client = login(imap)
    messages = load(client, store, corpus())
    if request.param != "indexed":
        client.logout()
        imap.stop()
        store.stop()
        with sqlite3.connect(store.data_dir / "store.sqlite") as db:
            assert db.execute("SELECT count(*) FROM message_index").fetchone()[0] == len(messages)
            if request.param == "unindexed":
                db.execute("DELETE FROM message_index")
                db.execute("DELETE FROM message_text")
            else:
                assert db.execute("SELECT count(*) FROM message_index WHERE id_numbers IS NULL").fetchone()[0] == 0
                db.execute("UPDATE message_index SET id_numbers = NULL")
                db.execute("DELETE FROM message_id_numbers")
        store.start()
        imap = IMAPGateway(store, tmp_path).start()
        client = login(imap)
    client.select_folder("INBOX")
    yield client, messages
    client.logout()
    imap.stop()
    store.stop()


# --- SEARCH --------------------------------------------------------------------------------------


def decoded_headers(m: oracle.Message) -> str:
    names = {k.lower() for k, _ in m.msg._headers}
    return "\n".join(header_value(m, name) or "" for name in names)


def body_text(m: oracle.Message) -> str:
    texts = []
    for part in m.msg.walk():
        if part.get_content_maintype() == "text":
            data = part.get_payload(decode=True) or b""
            texts.append(data.decode(part.get_content_charset() or "us-ascii", errors="replace"))
    return "\n".join(texts)


def header_value(m: oracle.Message, name: str) -> str | None:
    """A field's values as written and decoded (HEADER matches either), None when absent."""
    values = oracle.header_values(m.msg, name)
    if not values:
        return None
    return "\n".join(values) + "\n" + "\n".join(oracle.decode_words(v) for v in values)


def search_cases(messages):
    """(criteria as imapclient takes them, the UIDs the RFC says match)."""
    def where(predicate):
        return sorted(m.uid for m in messages if predicate(m))

    def has(text: str | None, term: str) -> bool:
        return text is not None and term.lower() in text.lower()

    cases = []
    for term in ("ann", "Jürgen", "Zola", "example.de", "zed@example.net", "Bob.Brown", "O'Neil"):
        cases.append((["FROM", term], where(lambda m, t=term: has(header_value(m, "From"), t))))
    for term in ("pat@example.ie", "Öst"):
        cases.append((["TO", term], where(lambda m, t=term: has(header_value(m, "To"), t))))
    cases.append((["CC", "example.com"], where(lambda m: has(header_value(m, "Cc"), "example.com"))))
    for term in ("lunch", "Café", "Ünïcode", "1.2", "fwd", "Re:"):
        cases.append((["SUBJECT", term], where(lambda m, t=term: has(header_value(m, "Subject"), t))))
    cases.append((["HEADER", "Message-ID", "c1."], where(lambda m: has(header_value(m, "Message-ID"), "c1."))))
    cases.append((["HEADER", "References", ""], where(lambda m: m.msg.get("References") is not None)))
    for term in ("kiwi", "mañana", "naïve", "größe", "lynx"):
        cases.append((["BODY", term], where(lambda m, t=term: has(body_text(m), t))))
    for term in ("zebra", "gen.test", "Émile"):
        cases.append((["TEXT", term], where(lambda m, t=term: has(decoded_headers(m) + body_text(m), t))))
    day = datetime.date(2024, 2, 5)
    day_of = lambda seconds: datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).date()  # noqa: E731
    cases.append((["SINCE", day], where(lambda m: day_of(m.internal) >= day)))
    cases.append((["BEFORE", day], where(lambda m: day_of(m.internal) < day)))
    cases.append((["ON", day], where(lambda m: day_of(m.internal) == day)))

    def written_day(m):
        value = m.msg.get("Date")
        parsed = value and oracle.email.utils.parsedate_tz(str(value))
        return datetime.date(*parsed[:3]) if parsed else None

    dated = ["HEADER", "Date", "", "NOT", "HEADER", "Date", "sometime"]
    cases.append((["SENTSINCE", day, *dated], where(lambda m: written_day(m) is not None and written_day(m) >= day)))
    cases.append((["SENTBEFORE", day, *dated], where(lambda m: written_day(m) is not None and written_day(m) < day)))
    cases.append((["SENTON", day, *dated], where(lambda m: written_day(m) == day)))
    sizes = sorted(len(m.raw) for m in messages)
    middle = sizes[len(sizes) // 2]
    cases.append((["LARGER", middle], where(lambda m: len(m.raw) > middle)))
    cases.append((["SMALLER", middle], where(lambda m: len(m.raw) < middle)))
    cases.append((["SEEN"], where(lambda m: "\\seen" in m.flags)))
    cases.append((["UNFLAGGED"], where(lambda m: "\\flagged" not in m.flags)))
    cases.append((["KEYWORD", "$Work"], where(lambda m: "$work" in m.flags)))
    cases.append((["OR", "BODY", "tofu", "NOT", "SEEN"], where(lambda m: has(body_text(m), "tofu") or "\\seen" not in m.flags)))
    return cases


def test_search_matches_the_oracle(loaded):
    client, messages = loaded
    wrong = []
    for criteria, expected in search_cases(messages):
        got = sorted(client.search(criteria, charset="UTF-8"))
        if got != expected:
            wrong.append((criteria, sorted(set(got) - set(expected)), sorted(set(expected) - set(got))))
    assert not wrong, "\n".join(f"{c}: extra {e} missing {m}" for c, e, m in wrong)


# --- SORT ----------------------------------------------------------------------------------------

CRITERIA = [[(k, False)] for k in ("ARRIVAL", "CC", "DATE", "FROM", "SIZE", "SUBJECT", "TO", "DISPLAYFROM", "DISPLAYTO")]
CRITERIA += [[(k, True)] for k in ("ARRIVAL", "DATE", "SUBJECT", "FROM", "DISPLAYTO")]
CRITERIA += [[("SUBJECT", False), ("DATE", True)], [("FROM", True), ("SIZE", False)], [("CC", False), ("TO", True)]]


def test_sort_matches_the_oracle(loaded):
    client, messages = loaded
    seq = {uid: n + 1 for n, uid in enumerate(sorted(m.uid for m in messages))}
    wrong = []
    for criteria in CRITERIA:
        words = [("REVERSE " if reverse else "") + name for name, reverse in criteria]
        expected = oracle.sort(messages, criteria)
        got = client.sort(words, ["ALL"], charset="UTF-8")
        if got != expected:
            wrong.append((words, got, expected))
        # Sequence numbers: non-UID SORT in this session's numbers.
        typ, data = client._imap.sort("(" + " ".join(words) + ")", "UTF-8", "ALL")
        assert typ == "OK"
        assert [int(n) for n in data[0].split()] == [seq[u] for u in expected]
    assert not wrong, "\n".join(f"{w}:\n got {g}\n want {e}" for w, g, e in wrong)
    # A subset: SORT over what a search matches.
    unseen = [m for m in messages if "\\seen" not in m.flags]
    assert client.sort(["REVERSE DATE"], ["UNSEEN"], charset="UTF-8") == oracle.sort(unseen, [("DATE", True)])


# --- THREAD --------------------------------------------------------------------------------------


def raw_thread(client, algorithm: str, criteria: str = "ALL") -> str:
    typ, data = client._imap._simple_command("UID", "THREAD", algorithm, "UTF-8", criteria)
    assert typ == "OK", data
    typ, data = client._imap._untagged_response(typ, data, "THREAD")
    return (data[0] or b"").decode()


@pytest.mark.parametrize("algorithm", ["ORDEREDSUBJECT", "REFERENCES"])
def test_thread_matches_the_oracle(loaded, algorithm):
    client, messages = loaded
    build = oracle.ordered_subject if algorithm == "ORDEREDSUBJECT" else oracle.references
    assert raw_thread(client, algorithm) == oracle.thread_text(build(messages))
    unflagged = [m for m in messages if "\\flagged" not in m.flags]
    assert raw_thread(client, algorithm, "UNFLAGGED") == oracle.thread_text(build(unflagged))
