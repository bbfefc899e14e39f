import ArgumentParser
import AsyncHTTPClient
import Foundation
import StoreAPI
import StoreClient

/// mailctl: the administrator's command for domains, users, aliases and mailboxes, talking to
/// the mailbox-store's internal API.
///
/// Exit codes: 0 done; 1 the store refused (the message says why: exists, not found, invalid);
/// 3 the store could not be reached or failed; 64 usage (EX_USAGE of sysexits(3), as
/// swift-argument-parser answers a command line it cannot use).
public struct MailCtl: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mailctl",
        abstract: "Administer a Buzón mail system: domains, users, aliases, mailboxes, quotas, the outbound queue, failed logins.",
        discussion: """
            The store is found through --store-url (or BUZON_STORE_URL, default http://127.0.0.1:8025) and \
            authenticated with --token (or BUZON_INTERNAL_TOKEN, or the file internal-token in BUZON_DATA_DIR, \
            default ./.data).
            """,
        subcommands: [
            DomainCommand.self, UserCommand.self, AliasCommand.self, MailboxCommand.self, QueueCommand.self, LoginFailuresCommand.self,
            QuotaCommand.self,
        ])

    public init() {}
}

/// Where the store is and how to authenticate; every subcommand takes these.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "Base URL of the mailbox-store API.")
    var storeURL: String?

    @Option(name: .long, help: "Internal API token.")
    var token: String?

    static let defaultURL = "http://127.0.0.1:8025"

    /// Runs `body` with a client for the store, reporting store errors as exit codes, and
    /// closes the client's connections afterwards.
    func withClient(_ body: (StoreClient) async throws -> Void) async throws {
        let http = StoreClient.makeHTTPClient()
        do {
            let client = try self.client(http)
            try await performStoreCall { try await body(client) }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try? await http.shutdown()
    }

    private func client(_ http: HTTPClient) throws -> StoreClient {
        let env = ProcessInfo.processInfo.environment
        let url = storeURL ?? env["BUZON_STORE_URL"] ?? Self.defaultURL
        var secret = token ?? env["BUZON_INTERNAL_TOKEN"]
        if secret == nil {
            let dir = env["BUZON_DATA_DIR"] ?? "./.data"
            secret = (try? String(contentsOfFile: dir + "/internal-token", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let secret, !secret.isEmpty else {
            throw ValidationError("no token: pass --token, set BUZON_INTERNAL_TOKEN, or run where BUZON_DATA_DIR/internal-token exists")
        }
        return StoreClient(baseURL: url, token: secret, httpClient: http, timeout: .seconds(30))
    }
}

/// Runs a store call and turns its failure into a message and an exit code a person can act on.
func performStoreCall(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as StoreClientError {
        switch error {
        case .api(let status, _, let message) where status < 500:
            FileHandle.standardError.write(Data("mailctl: \(message)\n".utf8))
            throw ExitCode(1)
        default:
            FileHandle.standardError.write(Data("mailctl: \(error)\n".utf8))
            throw ExitCode(3)
        }
    }
}

func printTable(_ header: [String], _ rows: [[String]]) {
    let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
    print(line(header))
    rows.forEach { print(line($0)) }
}
