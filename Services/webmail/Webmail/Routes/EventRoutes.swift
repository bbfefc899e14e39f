import Foundation
import Hummingbird
import ServiceLifecycle
import StoreAPI
import StoreClient
import Synchronization

/// `GET /events`: Server-Sent Events (WHATWG HTML §9.2) for the page's script — every folder's
/// message and unread counts, sent at once and again whenever the account's change feed grows
/// (new mail, flags or moves from any client), from the webmail's one shared long poll of the
/// store (`ChangeWatcher`). A comment line every `heartbeat` keeps proxies from closing the
/// stream and finds a browser that went away; every `recheck` the session is looked up again,
/// so logout or a new password ends the stream too; after `lifetime` the stream ends and the
/// browser's EventSource reconnects (`retry`), so no request lives for ever.
struct EventRoutes {
    let webmail: Webmail
    let watcher: ChangeWatcher

    static let heartbeat: Duration = .seconds(20)
    static let lifetime: Duration = .seconds(600)
    static let recheck: Duration = .seconds(60)

    func add(to router: Router<WebRequestContext>) {
        router.get("/events") { request, _ in
            let session = try await webmail.session(request)
            let account = session.account
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody { writer in
                    // Wake-ups: the account's feed grew (`changed` set) or a heartbeat is due.
                    let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
                    let changed = Mutex(true)  // the first counts go out at once
                    wake.yield()
                    watcher.register(account)
                    let cancel = watcher.subscribe(account) {
                        changed.withLock { $0 = true }
                        wake.yield()
                    }
                    let beat = Task {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: Self.heartbeat)
                            wake.yield()
                        }
                    }
                    defer {
                        beat.cancel()
                        cancel()
                        watcher.unregister(account)
                    }
                    try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
                    let end = ContinuousClock.now + Self.lifetime
                    var checked = ContinuousClock.now
                    var last = ""
                    // Shutting down ends the stream (the browser reconnects to another instance).
                    try await withGracefulShutdownHandler {
                        for await _ in wakes {
                            guard ContinuousClock.now < end else { break }
                            if ContinuousClock.now - checked >= Self.recheck {
                                guard try await webmail.store.webSession(session.id) != nil else { break }
                                checked = ContinuousClock.now
                            }
                            guard
                                changed.withLock({ state in
                                    defer { state = false }; return state
                                })
                            else {
                                // A heartbeat: a comment line, no store request.
                                try await writer.write(ByteBuffer(string: ": ok\n\n"))
                                continue
                            }
                            let counts = try await Self.counts(webmail.store, account: account)
                            // The same counts again (the watch's first answer, a change of
                            // something else): a comment only.
                            try await writer.write(
                                ByteBuffer(string: counts == last ? ": ok\n\n" : "event: mailboxes\ndata: \(counts)\n\n"))
                            last = counts
                        }
                    } onGracefulShutdown: {
                        wake.finish()
                    }
                    try await writer.finish(nil)
                })
        }
    }

    /// `{"mailboxes":[{"id":1,"unread":2,"messages":9,"modSeq":40}, …]}`.
    static func counts(_ store: StoreClient, account: String) async throws -> String {
        let folders = try await store.listMailboxes(account)
        let list = folders.map { FolderCounts(id: $0.id, unread: $0.unseen, messages: $0.messages, modSeq: $0.highestModSeq) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(["mailboxes": list]), as: UTF8.self)
    }

    struct FolderCounts: Encodable, Equatable {
        var id: Int64
        var unread: Int
        var messages: Int
        var modSeq: UInt64
    }
}
