import ArgumentParser
import StoreClient

/// `mailctl domain add|list|del`
struct DomainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "domain", abstract: "Domains this system receives mail for.",
        subcommands: [Add.self, List.self, Delete.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a domain.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Domain name, e.g. example.org") var name: String
        @Option(
            help: ArgumentHelp(
                "Where postmaster@<domain> goes (RFC 5321 §4.5.1); the store's BUZON_POSTMASTER when absent.",
                valueName: "address"))
        var postmaster: String?
        func run() async throws {
            try await store.withClient { client in
                let d = try await client.createDomain(name, postmaster: postmaster)
                print("added domain \(d.name)")
                if let postmaster { print("postmaster@\(d.name) -> \(postmaster)") }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List domains.")
        @OptionGroup var store: StoreOptions
        func run() async throws {
            try await store.withClient { client in
                let domains = try await client.listDomains()
                printTable(["DOMAIN", "USERS", "ALIASES"], domains.map { [$0.name, String($0.users), String($0.aliases)] })
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "del", abstract: "Delete a domain that has no users or aliases left.")
        @OptionGroup var store: StoreOptions
        @Argument var name: String
        func run() async throws {
            try await store.withClient { client in
                try await client.deleteDomain(name); print("deleted domain \(name)")
            }
        }
    }
}
