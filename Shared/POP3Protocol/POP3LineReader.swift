import LineFraming

/// POP3's command line framing (`LineFraming.CRLFLineReader`), created with
/// `POP3Defaults.commandLineLength` (RFC 2449 §4: 255 octets) and raised to
/// `POP3Defaults.saslLineLength` during AUTH (RFC 5034 §4).
public typealias POP3LineReader = CRLFLineReader
