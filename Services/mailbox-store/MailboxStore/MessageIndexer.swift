import Foundation
import InternetMessage
import Logging
import MessageSearch
import ServiceLifecycle

/// Indexes content stored before the read model existed (Schema `v8-message-index`), in the
/// background: a batch at a time, oldest first, each entry made outside the write lock and
/// the batch written in one short transaction, so deliveries wait at most one batch write.
/// It resumes after a restart by itself: what is not indexed is what has no `message_index`
/// row. Until a content is indexed SEARCH scans it (SearchRoutes), so answers never depend on
/// how far it got. Then it numbers the message ids of entries written before they were
/// numbered (`numberMessageIDs`), which THREAD reads as text until then.
/// `BUZON_STORE_INDEX_BATCH` = 0 turns it off (tests of the scanning path).
struct MessageIndexer: Service {
    let storage: any MailStorage
    let batch: Int
    let logger: Logger
    /// The pause between batches: the indexer yields the database to live traffic.
    var pause: Duration = .milliseconds(20)
    /// How often to look again once everything is indexed (content is indexed at delivery,
    /// so this only matters for a data directory restored from before the read model).
    var idle: Duration = .seconds(60)

    func run() async throws {
        guard batch > 0 else {
            // Off; still a member of the service group until shutdown (a service that returns
            // ends the group).
            try? await gracefulShutdown()
            return
        }
        try await cancelWhenGracefulShutdown {
            var after: Int64 = 0
            var total = 0
            while !Task.isCancelled {
                do {
                    let rows = try await storage.unindexedContents(after: after, limit: batch)
                    guard let last = rows.last else {
                        if total > 0 { logger.info("message index complete", metadata: ["indexed": "\(total)"]) }
                        total = 0
                        // Then entries written before message ids were numbered (Schema
                        // `v9-message-id-numbers`), a batch at a time the same way.
                        var numbered: Int64 = 0
                        var count = 0
                        while !Task.isCancelled, let last = try await storage.numberMessageIDs(after: numbered, limit: batch) {
                            numbered = last
                            count += 1
                            try? await Task.sleep(for: pause)
                        }
                        if count > 0 { logger.info("message ids numbered", metadata: ["batches": "\(count)"]) }
                        after = 0
                        try? await Task.sleep(for: idle)
                        continue
                    }
                    let entries = rows.map { row in
                        let parse =
                            (try? JSONDecoder().decode(ParsedMessage.self, from: Data(row.parseJSON.utf8)))
                            ?? MessageParser().parse(row.raw)
                        return (id: row.id, size: row.raw.count, entry: MessageIndexEntry(raw: row.raw, parse: parse))
                    }
                    try await storage.writeIndexEntries(entries)
                    after = last.id
                    total += entries.count
                    try? await Task.sleep(for: pause)
                } catch {
                    logger.warning("indexing stored messages failed", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: idle)
                }
            }
        }
    }
}
