import ArgumentParser
import Foundation
import StoreClient

/// `mailctl user add|list|show|passwd|unlock|del`
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Accounts: an address with a password and mailboxes.",
        subcommands: [Add.self, List.self, Show.self, Passwd.self, Unlock.self, Delete.self])

    /// Where a new password comes from: `--password`, `--password-stdin`, or a prompt.
    struct PasswordSource: ParsableArguments {
        @Option(help: "The password (visible in the process list; prefer --password-stdin).") var password: String?
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func read() throws -> String {
            if let password { return password }
            if passwordStdin || isatty(0) == 0 {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw ValidationError("no password on standard input")
                }
                return line
            }
            guard let first = getpass("Password: ").map({ String(cString: $0) }), !first.isEmpty else {
                throw ValidationError("empty password")
            }
            guard let again = getpass("Again: ").map({ String(cString: $0) }), again == first else {
                throw ValidationError("the passwords do not match")
            }
            return first
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user with INBOX, Sent, Drafts, Trash and Junk.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var source: PasswordSource
        @Argument(help: "Address, e.g. alice@example.org") var address: String
        func run() async throws {
            let password = try source.read()
            try await store.withClient { client in
                let u = try await client.createUser(address, password: password); print("added user \(u.address)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Only this domain.") var domain: String?
        func run() async throws {
            try await store.withClient { client in
                let users = try await client.listUsers(domain: domain)
                let format = ISO8601DateFormatter()
                printTable(
                    ["ADDRESS", "CREATED"], users.map { [$0.address, format.string(from: Date(timeIntervalSince1970: $0.createdAt))] })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a user: mailboxes, messages, and failed logins (is the account or an address locked out of it?).")
        @OptionGroup var store: StoreOptions
        @Argument var address: String
        func run() async throws {
            try await store.withClient { client in
                let u = try await client.user(address)
                print("address:   \(u.address)")
                print("created:   \(LoginFailuresCommand.time(u.createdAt))")
                print("mailboxes: \(u.mailboxes)")
                print("messages:  \(u.messages) (\(u.bytes) bytes)")
                let failures = try await client.loginFailures(account: u.address)
                let own = failures.first { $0.scope == .account }
                var line = "failed logins: \(own?.failures ?? 0) since \(own.map { LoginFailuresCommand.time($0.since) } ?? "-")"
                if let until = own?.lockedUntil { line += "; LOCKED until \(LoginFailuresCommand.time(until)) (mailctl user unlock)" }
                print(line)
                for entry in failures where entry.scope == .addressAccount {
                    var from = "  from \(entry.address ?? "?"): \(entry.failures)"
                    if let until = entry.lockedUntil { from += ", locked out until \(LoginFailuresCommand.time(until))" }
                    print(from)
                }
            }
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Clear a user's failed logins and locks: the account's own and every address's against it.")
        @OptionGroup var store: StoreOptions
        @Argument var address: String
        func run() async throws {
            try await store.withClient { client in
                let cleared = try await client.clearLoginFailures(account: address)
                print("unlocked \(address) (\(cleared) counter\(cleared == 1 ? "" : "s") cleared)")
            }
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var source: PasswordSource
        @Argument var address: String
        func run() async throws {
            let password = try source.read()
            try await store.withClient { client in
                try await client.setPassword(address, password: password); print("password changed for \(address)")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "del", abstract: "Delete a user and all of its mail.")
        @OptionGroup var store: StoreOptions
        @Argument var address: String
        func run() async throws {
            try await store.withClient { client in
                try await client.deleteUser(address); print("deleted user \(address)")
            }
        }
    }
}
