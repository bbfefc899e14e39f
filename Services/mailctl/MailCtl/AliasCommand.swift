import ArgumentParser
import StoreClient

/// `mailctl alias add|list|del`
struct AliasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias", abstract: "Addresses that forward to one or more others.",
        subcommands: [Add.self, List.self, Delete.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an alias, or replace its targets.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The alias address.") var address: String
        @Argument(help: "One or more target addresses.") var targets: [String]
        func validate() throws {
            if targets.isEmpty { throw ValidationError("name at least one target") }
        }
        func run() async throws {
            try await store.withClient { client in
                let a = try await client.setAlias(address, targets: targets)
                print("alias \(a.address) -> \(a.targets.joined(separator: ", "))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List aliases.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Only this domain.") var domain: String?
        func run() async throws {
            try await store.withClient { client in
                printTable(
                    ["ALIAS", "TARGETS"],
                    try await client.listAliases(domain: domain).map { [$0.address, $0.targets.joined(separator: ", ")] })
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "del", abstract: "Delete an alias.")
        @OptionGroup var store: StoreOptions
        @Argument var address: String
        func run() async throws {
            try await store.withClient { client in
                try await client.deleteAlias(address); print("deleted alias \(address)")
            }
        }
    }
}
