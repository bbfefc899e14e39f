import IMAPProtocol

/// INPROGRESS: while a long SEARCH, SORT, THREAD, COPY, MOVE or EXPUNGE runs, the client hears
/// `* OK [INPROGRESS ("tag" done total)]` now and then, so that it (and anything between it and
/// us) knows the connection is alive and the command still working. RFC 9585 §3.
///
/// ```
/// C: A001 UID SEARCH TEXT "hello"
/// S: * OK [INPROGRESS ("A001" 20000 80000)] Still working
/// S: * OK [INPROGRESS ("A001" 60000 80000)] Still working
/// S: * ESEARCH (TAG "A001") UID ALL 1:3,7
/// S: A001 OK SEARCH completed
/// ```
/// The first comes after `SessionSettings.inProgressAfter` (BUZON_IMAP_INPROGRESS_MS), then
/// again each such interval (at least `minimumInterval`). done/total are the messages worked
/// through when the command counts them (SEARCH does, in slices), else NIL (§3 allows it).
extension IMAPSession {
    static let minimumInterval: Duration = .milliseconds(100)

    /// The commands that may take long enough to report progress.
    static func reportsProgress(_ kind: IMAPCommand.Kind) -> Bool {
        switch kind {
        case .search, .sort, .thread, .copy, .move, .expunge, .uidExpunge: return true
        default: return false
        }
    }

    /// Starts reporting on the command tagged `tag`; `stopProgress()` ends it before the
    /// tagged answer. With a threshold of 0 the first report goes out at once.
    func startProgress(tag: String) async throws {
        guard let after = settings.inProgressAfter else { return }
        progressTag = tag
        progressCount = nil
        if after == .zero { try await sendProgress(tag: tag) }
        let interval = max(after, Self.minimumInterval)
        progressTicker = Task { [weak self] in
            var wait = after == .zero ? interval : after
            while !Task.isCancelled {
                do { try await Task.sleep(for: wait) } catch { return }
                guard let self, await self.progressTag == tag else { return }
                try? await self.sendProgress(tag: tag)
                wait = interval
            }
        }
    }

    /// The command ends: no report after this (the actor runs this before the tagged answer,
    /// and a report checks the tag first).
    func stopProgress() {
        progressTicker?.cancel()
        progressTicker = nil
        progressTag = nil
        progressCount = nil
    }

    /// How far the command got; with a threshold of 0 it is reported at once.
    func reportProgress(done: Int, total: Int) async throws {
        progressCount = (done, total)
        if let tag = progressTag, settings.inProgressAfter == .zero { try await sendProgress(tag: tag) }
    }

    private func sendProgress(tag: String) async throws {
        guard progressTag == tag else { return }
        let code = ResponseCode.inProgress(tag: tag, done: progressCount?.done, total: progressCount?.total)
        try await send(.untagged(.ok, code, "Still working"))
        try await flush()
    }
}
