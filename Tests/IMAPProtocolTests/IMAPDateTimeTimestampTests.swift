import IMAPProtocol
import Testing

/// INTERNALDATE out (`init(secondsSince1970:)`) and APPEND's date-time in (`secondsSince1970`).
@Suite struct IMAPDateTimeTimestampTests {
    @Test(
        "A date-time with a zone is the instant it names",
        arguments: [
            (" 7-Feb-1994 21:52:25 -0800", 760_686_745.0),
            ("01-Jan-1970 00:00:00 +0000", 0.0),
            ("31-Dec-1969 23:00:00 -0100", 0.0),
            ("26-Nov-2026 10:00:00 +0130", 1_795_681_800.0),
        ])
    func instant(text: String, seconds: Double) throws {
        #expect(try IMAPDateTime(parsing: "\"\(text)\"").secondsSince1970 == seconds)
    }

    @Test("Seconds → date-time → seconds comes back the same", arguments: [0.0, 760_686_745, 1_795_676_400, -86_401, 253_402_300_799])
    func roundTrip(seconds: Double) {
        #expect(IMAPDateTime(secondsSince1970: seconds).secondsSince1970 == seconds)
    }
}
