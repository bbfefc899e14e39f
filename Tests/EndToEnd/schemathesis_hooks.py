"""Loaded by schemathesis (SCHEMATHESIS_HOOKS) in test_schemathesis.py: message/rfc822 bodies
(deliveries, APPEND) and application/x-buzon-append bodies (MULTIAPPEND: messages one after
another) are sent as the generated text's UTF-8 octets, so those operations are
tested too (schemathesis has no serializer of its own for that media type).

Any octets are a message (RFC 5322 readers are lenient, and so is the store), so the only
schema-violating body is one that is not a string at all (negative testing): it has no octets
as a message and goes as an empty body, the one message the store must refuse."""

import schemathesis


@schemathesis.serializer("message/rfc822", "application/x-buzon-append")
def rfc822(ctx, value):
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8") if isinstance(value, str) else b""
