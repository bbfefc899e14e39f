import ArgumentParser
import Foundation
import StoreAPI
import StoreClient

/// `mailctl queue list|show|retry|delete|bounce|hold|release`: the outbound queue.
struct QueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "The outbound queue: mail waiting for other servers.",
        subcommands: [List.self, Show.self, Retry.self, Delete.self, Bounce.self, Hold.self, Release.self])

    static func time(_ seconds: Double) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds))
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List queued messages with their recipients, attempts and last error.")
        @OptionGroup var store: StoreOptions
        func run() async throws {
            try await store.withClient { client in
                let entries = try await client.listQueue()
                printTable(
                    ["ID", "STATE", "SENDER", "RECIPIENTS", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR"],
                    entries.map { e in
                        [
                            String(e.id), e.state.rawValue, e.sender.isEmpty ? "<>" : e.sender,
                            e.recipients.map { "\($0.address) (\($0.state.rawValue))" }.joined(separator: ", "),
                            String(e.attempts), QueueCommand.time(e.nextAttempt), e.lastError ?? "",
                        ]
                    })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one queued message in detail.")
        @OptionGroup var store: StoreOptions
        @Argument var id: Int64
        func run() async throws {
            try await store.withClient { client in
                let e = try await client.queueEntry(id)
                print("id:           \(e.id)")
                print("state:        \(e.state.rawValue)\(e.leaseOwner.map { " (worker \($0))" } ?? "")")
                print("sender:       \(e.sender.isEmpty ? "<>" : e.sender)")
                print("size:         \(e.size)")
                print("created:      \(QueueCommand.time(e.createdAt))")
                print("attempts:     \(e.attempts)")
                print("next attempt: \(QueueCommand.time(e.nextAttempt))")
                if let error = e.lastError { print("last error:   \(error)") }
                if let ret = e.ret { print("DSN RET:      \(ret)") }
                if let envid = e.envid { print("DSN ENVID:    \(envid)") }
                for r in e.recipients {
                    var line = "recipient:    \(r.address) \(r.state.rawValue)"
                    if let status = r.status { line += " \(status)" }
                    if let error = r.lastError { line += " — \(error)" }
                    print(line)
                }
            }
        }
    }

    /// The commands that act on one entry by id.
    struct EntryAction: ParsableArguments {
        @OptionGroup var store: StoreOptions
        @Argument(help: "The queue id (see `mailctl queue list`).") var id: Int64?

        /// Runs `body` on the named entry and prints what it answers.
        func act(_ body: @escaping (StoreClient, Int64) async throws -> String) async throws {
            guard let id else { throw ValidationError("name the queue id") }
            try await store.withClient { client in print(try await body(client, id)) }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Try a message (or with --all every deferred one) now.")
        @OptionGroup var entry: EntryAction
        @Flag(help: "Every deferred message.") var all = false
        func validate() throws {
            if (entry.id == nil) == !all { throw ValidationError("name one queue id or --all") }
        }
        func run() async throws {
            try await entry.store.withClient { client in
                if all {
                    print("\(try await client.retryAllQueued()) messages due now")
                } else if let id = entry.id {
                    _ = try await client.adminQueue(id, .retry)
                    print("queue entry \(id) due now")
                }
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a message from the queue without telling the sender.")
        @OptionGroup var entry: EntryAction
        func run() async throws {
            try await entry.act { client, id in
                try await client.deleteQueueEntry(id)
                return "queue entry \(id) deleted"
            }
        }
    }

    struct Bounce: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give up on a message now and send the sender a failure notice.")
        @OptionGroup var entry: EntryAction
        func run() async throws {
            try await entry.act { client, id in
                let result = try await client.adminQueue(id, .bounce)
                return "queue entry \(id) bounced; \(result.notifications) notice(s) sent"
            }
        }
    }

    struct Hold: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Keep a message in the queue without trying it until released.")
        @OptionGroup var entry: EntryAction
        func run() async throws {
            try await entry.act { client, id in
                _ = try await client.adminQueue(id, .hold)
                return "queue entry \(id) on hold"
            }
        }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Release a held message; it is tried now.")
        @OptionGroup var entry: EntryAction
        func run() async throws {
            try await entry.act { client, id in
                _ = try await client.adminQueue(id, .release)
                return "queue entry \(id) released"
            }
        }
    }
}
