import ArgumentParser
import StoreAPI
import StoreClient

/// `mailctl quota set|show|clear`: an account's limits (RFC 9208 STORAGE and MESSAGE), which
/// the store enforces on delivery, APPEND and COPY. No limit is set until one is given here.
struct QuotaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quota", abstract: "A user's quota: the most storage and messages its mailboxes may hold.",
        subcommands: [SetLimits.self, Show.self, Clear.self])

    struct SetLimits: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Set a user's limits; a limit not given stays as it was.",
            discussion: """
                Storage is in KiB unless a unit follows: 512K, 10M, 2G, 1T (powers of 1024). \
                "none" removes a limit. Mail that would go over a limit is refused: SMTP answers \
                452 4.2.2, IMAP NO [OVERQUOTA]; lowering a limit below what is used deletes nothing.
                """)
        @OptionGroup var store: StoreOptions
        @Option(help: "Storage limit, e.g. 10M; none for no limit.") var storage: String?
        @Option(help: "Message count limit; none for no limit.") var messages: String?
        @Argument(help: "Address, e.g. alice@example.org") var address: String

        func validate() throws {
            guard storage != nil || messages != nil else { throw ValidationError("give --storage, --messages or both") }
            _ = try storage.map(QuotaCommand.kibibytes)
            _ = try messages.map(QuotaCommand.count)
        }

        func run() async throws {
            try await store.withClient { client in
                let current = try await client.quota(of: address)
                let storageLimit = try storage.map(QuotaCommand.kibibytes) ?? current.storageLimit
                let messageLimit = try messages.map(QuotaCommand.count) ?? current.messageLimit
                let quota = try await client.setQuota(of: address, storageLimit: storageLimit, messageLimit: messageLimit)
                print("quota of \(address): \(QuotaCommand.summary(quota))")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a user's limits and what it uses.")
        @OptionGroup var store: StoreOptions
        @Argument var address: String
        func run() async throws {
            try await store.withClient { client in
                let q = try await client.quota(of: address)
                print("address:  \(address)")
                print("storage:  \(q.storageUsedKiB) KiB (\(q.storageUsed) bytes) of \(q.storageLimit.map { "\($0) KiB" } ?? "no limit")")
                print("messages: \(q.messagesUsed) of \(q.messageLimit.map(String.init) ?? "no limit")")
            }
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove both of a user's limits.")
        @OptionGroup var store: StoreOptions
        @Argument var address: String
        func run() async throws {
            try await store.withClient { client in
                _ = try await client.setQuota(of: address, storageLimit: nil, messageLimit: nil)
                print("quota of \(address) cleared")
            }
        }
    }

    /// `storage: 12 KiB of 10240 KiB, messages: 3 of 1000`.
    static func summary(_ q: QuotaInfo) -> String {
        "storage \(q.storageUsedKiB) KiB of \(q.storageLimit.map { "\($0) KiB" } ?? "no limit"), "
            + "messages \(q.messagesUsed) of \(q.messageLimit.map(String.init) ?? "no limit")"
    }

    /// `512`, `512K` → 512; `10M` → 10240; `2G`, `1T`; `none` → nil (no limit). Units are powers of 1024.
    static func kibibytes(_ text: String) throws -> Int64? {
        let lower = text.lowercased()
        if lower == "none" { return nil }
        let units: [(suffix: String, kib: Int64)] = [
            ("kib", 1), ("mib", 1024), ("gib", 1 << 20), ("tib", 1 << 30), ("k", 1), ("m", 1024), ("g", 1 << 20), ("t", 1 << 30),
        ]
        var digits = Substring(lower)
        var scale: Int64 = 1
        if let unit = units.first(where: { lower.hasSuffix($0.suffix) }) {
            digits = digits.dropLast(unit.suffix.count)
            scale = unit.kib
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int64(digits), value >= 0,
            value.multipliedReportingOverflow(by: scale).overflow == false, value * scale <= maxLimit
        else {
            throw ValidationError("storage is a number of KiB with an optional unit K, M, G or T (e.g. 10M), or none")
        }
        return value * scale
    }

    /// A message count, or `none` → nil.
    static func count(_ text: String) throws -> Int64? {
        if text.lowercased() == "none" { return nil }
        guard text.allSatisfy(\.isASCII), let value = Int64(text), value >= 0, value <= maxLimit else {
            throw ValidationError("messages is a count (e.g. 1000), or none")
        }
        return value
    }

    /// The store's largest limit (QuotaRoutes.maxLimit).
    static let maxLimit: Int64 = (1 << 53) - 1
}
