import ArgumentParser
import Foundation
import StoreClient

/// `mailctl user add|list|passwd|del`
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Accounts: an address with a password and mailboxes.",
        subcommands: [Add.self, List.self, Passwd.self, Delete.self])

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
