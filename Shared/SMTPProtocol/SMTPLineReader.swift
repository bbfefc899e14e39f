import LineFraming

/// The command phase's line framing (`LineFraming.CRLFLineReader`), created with
/// `SMTPDefaults.commandLineLength` (RFC 5321 §4.5.3.1.4) by the server session.
public typealias SMTPLineReader = CRLFLineReader
