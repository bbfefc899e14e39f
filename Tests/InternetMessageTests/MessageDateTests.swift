import Foundation
import InternetMessage
import Testing

/// RFC 5322 §3.3 dates and the obsolete forms of §4.3.
@Suite struct MessageDateTests {
    @Test(arguments: [
        ("Tue, 4 Mar 2025 11:14:58 +0100", 1_741_083_298),
        ("4 Mar 2025 11:14:58 +0100", 1_741_083_298),
        ("Tue, 04 Mar 2025 10:14:58 GMT", 1_741_083_298),
        ("Tue,  4 Mar 2025 10:14:58 +0000 (UTC)", 1_741_083_298),
        ("Tue 4 Mar 2025 05:14:58 EST", 1_741_083_298),
        ("Tue, 4 Mar 2025 06:14:58 EDT", 1_741_083_298),
        ("Tue, 4 Mar 2025 02:14:58 PST", 1_741_083_298),
        ("Tue, 4 Mar 2025 10:14:58 Z", 1_741_083_298),
        ("Tue, 4 Mar 25 10:14:58 UT", 1_741_083_298),
        ("4 Mar 2025 10:14:58", 1_741_083_298),  // no zone: UTC
        ("Tue (day), 4 (d) Mar (m) 2025 10:14:58 +0000", 1_741_083_298),
        ("Tue, 4-Mar-2025 10:14:58 +0000", 1_741_083_298),
        ("Tue Mar  4 10:14:58 2025", 1_741_083_298),  // asctime
        ("7 Mar 99 13:45 EST", 920_832_300),  // two-digit year, no seconds
        ("7 Mar 099 18:45 +0000", 920_832_300),  // three-digit year
        ("Thu, 01 Jan 1970 00:00:00 -0000", 0),
        ("Sat, 29 Feb 2020 12:00:00 +0530", 1_582_957_800),
        ("Mon, 1 January 2024 00:00:00 +0000", 1_704_067_200),
    ])
    func parses(input: String, epoch: Int) {
        #expect(MessageDate.parse(input) == Date(timeIntervalSince1970: TimeInterval(epoch)))
    }

    @Test(arguments: [
        "", "garbage", "Tue, 30 Feb 2025 10:00:00 +0000", "32 Jan 2025 10:00:00 +0000",
        "1 Foo 2025 10:00:00 +0000", "1 Jan 2025 25:00:00 +0000", "Tue, Mar 2025", "1 Jan",
    ])
    func rejects(input: String) {
        #expect(MessageDate.parse(input) == nil)
    }
}
