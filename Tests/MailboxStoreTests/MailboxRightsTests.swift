import StoreAPI
import Testing

/// RFC 4314 §2.1 rights letters and the §2.1.1 obsolete `c`/`d` (RIGHTS=texk).
@Suite struct MailboxRightsTests {
    @Test func parsesAndWritesInRFCOrder() throws {
        #expect(MailboxRights("lrswipkxtea")?.description == "lrswipkxtea")
        #expect(MailboxRights("aetxkpiwsrl") == .all)
        #expect(MailboxRights("rl")?.description == "lr")
        #expect(MailboxRights("")?.isEmpty == true)
        #expect(MailboxRights("ll")?.description == "l")
    }

    @Test func obsoleteRights() {
        #expect(MailboxRights("c") == .createMailbox)
        #expect(MailboxRights("d") == [.deleteMailbox, .deleteMessage, .expunge])
        #expect(MailboxRights("lrcd")?.description == "lrkxte")
    }

    @Test(arguments: ["Q", "lrQ", "L", "+l", " ", "lr s"]) func refusesUnknown(_ text: String) {
        #expect(MailboxRights(text) == nil)
    }
}
