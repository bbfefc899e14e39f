import MessageThreading
import Testing

/// RFC 5256 §2.1: base subject extraction, step by step.
@Suite struct BaseSubjectTests {
    @Test(arguments: [
        // (subject, base, reply or forward)
        ("Lunch", "Lunch", false),
        ("Re: Lunch", "Lunch", true),
        ("RE: Lunch", "Lunch", true),
        ("re:Lunch", "Lunch", true),
        ("Fwd: Lunch", "Lunch", true),
        ("FW: Lunch", "Lunch", true),
        ("Re : Lunch", "Lunch", true),  // *WSP before ":"
        ("Re[2]: Lunch", "Lunch", true),  // subj-refwd's own subj-blob
        ("Re [2] : Lunch", "Lunch", true),
        ("Re: Re: Fwd: Lunch", "Lunch", true),  // (5) repeated
        ("[list] Lunch", "Lunch", false),  // (4) a blob that leaves something
        ("[list] Re: Lunch", "Lunch", true),  // (3) *subj-blob subj-refwd
        ("Re: [list] Lunch", "Lunch", true),  // (3) then (4)
        ("[a] [b] Re: [c] Fwd: Lunch", "Lunch", true),
        ("[list]", "[list]", false),  // (4) would leave nothing
        ("[list] [other]", "[other]", false),  // the first blob goes, the last stays
        ("Lunch (fwd)", "Lunch", true),  // (2) trailer
        ("Lunch (FWD) (fwd)  ", "Lunch", true),  // (2) repeated, with spaces
        ("[fwd: Lunch]", "Lunch", false),  // (6), not a subj-refwd or "(fwd)"
        ("[Fwd: Re: Lunch]", "Lunch", true),  // (6) then from (2) again
        ("Re: [fwd: [fwd: Lunch (fwd)]]", "Lunch", true),
        ("  Lunch \t  time  ", "Lunch time", false),  // (1) whitespace
        ("Lunch\r\n time", "Lunch time", false),  // (1) a continuation
        ("Re:", "", true),
        ("", "", false),
        ("Reply about lunch", "Reply about lunch", false),  // "re" without ":"
        ("Fwd lunch", "Fwd lunch", false),
        ("Rex: lunch", "Rex: lunch", false),
        ("Re: (fwd)", "", true),
        ("[unclosed Re: Lunch", "[unclosed Re: Lunch", false),
        ("=?utf-8?q?Re=3A_Caf=C3=A9?=", "Café", true),  // (1) encoded-words decoded first
        ("=?ISO-8859-1?Q?Fwd:_=E9t=E9?= (fwd)", "été", true),
        ("Re: =?utf-8?b?5pel5pys6Kqe?=", "日本語", true),
    ])
    func extract(_ subject: String, _ base: String, _ isReplyOrForward: Bool) {
        let extracted = BaseSubject(subject)
        #expect(extracted.text == base)
        #expect(extracted.isReplyOrForward == isReplyOrForward)
    }

    @Test func missingSubjectIsEmpty() {
        #expect(BaseSubject(nil).text == "")
    }

    /// RFC 5256 §7: base subjects compare with i;unicode-casemap.
    @Test func keysFoldCaseAndCompatibility() {
        #expect(BaseSubject("Re: LUNCH").key == BaseSubject("lunch").key)
        #expect(BaseSubject("Café").key == BaseSubject("CAFE\u{301}").key)
        #expect(BaseSubject("Step ①").key == BaseSubject("STEP 1").key)  // NFKD: compatibility forms
        #expect(BaseSubject("a").key != BaseSubject("b").key)
    }
}
