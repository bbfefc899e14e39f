import ArgumentParser
import StoreClient

/// `mailctl mailbox list USER`
struct MailboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailbox", abstract: "A user's mailboxes (folders).", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a user's mailboxes with their counts and IMAP state.")
        @OptionGroup var store: StoreOptions
        @Argument var address: String
        func run() async throws {
            try await store.withClient { client in
                let boxes = try await client.listMailboxes(address)
                printTable(
                    ["MAILBOX", "SPECIAL-USE", "MESSAGES", "UNSEEN", "SIZE", "UIDVALIDITY", "UIDNEXT", "HIGHESTMODSEQ"],
                    boxes.map {
                        [
                            $0.name, $0.specialUse.map { "\\" + $0 } ?? "", String($0.messages), String($0.unseen),
                            String($0.size), String($0.uidValidity), String($0.uidNext), String($0.highestModSeq),
                        ]
                    })
            }
        }
    }
}
