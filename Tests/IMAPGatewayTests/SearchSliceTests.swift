import Testing

@testable import IMAPGateway

/// SEARCH asks the store a slice of the mailbox at a time for INPROGRESS (RFC 9585 §3); a
/// slice answered from the indexes makes the next one larger, a scan keeps the size.
@Suite("SEARCH slices")
struct SearchSliceTests {
    var settings: SessionSettings {
        var s = SessionSettings(hostname: "imap.example.test", tlsAvailable: false, plaintextAuthAllowed: true)
        s.inProgressAfter = .seconds(1)
        s.progressSlice = 10_000
        return s
    }

    @Test("an indexed slice (5 ms for 10,000) makes the next as large as half the interval allows")
    func fastSliceGrows() {
        #expect(IMAPSession.nextSlice(after: 10_000, took: .milliseconds(5), settings: settings) == 1_000_000)
        // Never below the configured size, however slow the estimate.
        #expect(IMAPSession.nextSlice(after: 10, took: .milliseconds(99), settings: settings) == 10_000)
    }

    @Test("a scanned slice (over a tenth of the interval) keeps the configured size")
    func slowSliceStays() {
        #expect(IMAPSession.nextSlice(after: 10_000, took: .milliseconds(110), settings: settings) == 10_000)
        #expect(IMAPSession.nextSlice(after: 10_000, took: .seconds(3), settings: settings) == 10_000)
    }

    @Test("with INPROGRESS at once or never, slices keep the configured size")
    func noInterval() {
        var atOnce = settings
        atOnce.inProgressAfter = .zero
        #expect(IMAPSession.nextSlice(after: 3, took: .microseconds(10), settings: atOnce) == 10_000)
        var never = settings
        never.inProgressAfter = nil
        #expect(IMAPSession.nextSlice(after: 3, took: .microseconds(10), settings: never) == 10_000)
    }
}
