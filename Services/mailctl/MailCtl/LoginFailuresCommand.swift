import ArgumentParser
import Foundation
import StoreAPI
import StoreClient

/// `mailctl login-failures [--account A] [--address IP] [--clear]`: the login policy's counters
/// (failed logins per client address, per address and account, per account) and its locks.
struct LoginFailuresCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login-failures",
        abstract: "Failed logins still counted and the locks they caused; --clear removes them.",
        discussion: """
            A client address is slowed (the delay doubles per failure) and then locked out of an account or of all; \
            an account itself is locked only after many failures from any addresses. `mailctl user unlock` clears one account.
            """)
    @OptionGroup var store: StoreOptions
    @Option(help: "Only this account name.") var account: String?
    @Option(help: "Only this client address.") var address: String?
    @Flag(help: "Remove the counters and locks named by --account and/or --address.") var clear = false

    func validate() throws {
        if clear && account == nil && address == nil { throw ValidationError("--clear needs --account or --address") }
    }

    func run() async throws {
        try await store.withClient { client in
            if clear {
                let cleared = try await client.clearLoginFailures(account: account, address: address)
                print("cleared \(cleared) counter\(cleared == 1 ? "" : "s")")
                return
            }
            let entries = try await client.loginFailures(account: account, address: address)
            printTable(
                ["SCOPE", "ACCOUNT", "ADDRESS", "FAILURES", "SINCE", "LOCKED-UNTIL"],
                entries.map { e in
                    [
                        e.scope.rawValue, e.account ?? "", e.address ?? "", String(e.failures), Self.time(e.since),
                        e.lockedUntil.map(Self.time) ?? "",
                    ]
                })
        }
    }

    static func time(_ seconds: Double) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds))
    }
}
