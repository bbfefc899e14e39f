// swift-tools-version:6.2
// Buzón: a mail system split into processes around one central store.
// The folder list is the architecture: Shared/ holds what several services use,
// Services/<name>/ holds one service (a library with its logic and a tiny main/).

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "buzon",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mailbox-store", targets: ["mailbox-store"]),
        .executable(name: "smtp-gateway", targets: ["smtp-gateway"]),
        .executable(name: "pop3-gateway", targets: ["pop3-gateway"]),
        .executable(name: "queue-relay", targets: ["queue-relay"]),
        .executable(name: "imap-gateway", targets: ["imap-gateway"]),
        .executable(name: "mailctl", targets: ["mailctl"]),
        .executable(name: "webmail", targets: ["webmail"]),
        // The parsers, for the libFuzzer targets in Fuzz/ (a package of their own).
        .library(name: "BuzonGrammar", targets: ["LineFraming", "SMTPProtocol", "POP3Protocol", "IMAPProtocol", "InternetMessage"]),
        .library(name: "BuzonDNSClient", targets: ["DNSClient"]),
        .library(name: "BuzonSASL", targets: ["SASL"]),
        // The read model's derivations and the store's batch framing, for their fuzz targets.
        .library(name: "BuzonReadModel", targets: ["StoreAPI", "MessageSearch", "MessageThreading", "InternetMessage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // 3.12.3, not the newest 4.x: hummingbird-auth allows 1..<6 and already pulls it in.
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        // COMPRESS=DEFLATE (RFC 4978) in the imap-gateway: raw deflate over zlib.
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        // The webmail's server-rendered pages.
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // Header names Hummingbird does not export (HTTPField.Name), for the webmail's headers.
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // MARK: Shared — grammar and message targets stay free of Hummingbird/AsyncHTTPClient.
        .target(
            name: "InternetMessage",
            dependencies: ["LineFraming"],
            path: "Shared/InternetMessage",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LineFraming",
            path: "Shared/LineFraming",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SMTPProtocol",
            dependencies: ["LineFraming"],
            path: "Shared/SMTPProtocol",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "POP3Protocol",
            dependencies: ["LineFraming"],
            path: "Shared/POP3Protocol",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DNSClient",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Shared/DNSClient",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "IMAPProtocol",
            dependencies: ["InternetMessage", "LineFraming"],
            path: "Shared/IMAPProtocol",
            swiftSettings: swiftSettings
        ),
        // SASL for SMTP, POP3 and IMAP: PLAIN, LOGIN, SCRAM-SHA-256. No sockets; swift-crypto only.
        .target(
            name: "SASL",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Shared/SASL",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StoreAPI",
            dependencies: ["LineFraming"],
            path: "Shared/StoreAPI",
            swiftSettings: swiftSettings
        ),
        // The evaluator of StoreAPI's typed `MessageQuery` over a message: IMAP SEARCH's
        // semantics without IMAP's syntax, for the store (and what its indexes are tested against).
        .target(
            name: "MessageSearch",
            dependencies: ["StoreAPI", "InternetMessage"],
            path: "Shared/MessageSearch",
            swiftSettings: swiftSettings
        ),
        // SORT and THREAD's algorithms (RFC 5256, RFC 5957): pure, shared by the store and the gateway.
        .target(
            name: "MessageThreading",
            dependencies: ["StoreAPI", "InternetMessage"],
            path: "Shared/MessageThreading",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StoreClient",
            dependencies: [
                "StoreAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/StoreClient",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ServiceKit",
            dependencies: [
                "LineFraming", "StoreClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ],
            path: "Shared/ServiceKit",
            swiftSettings: swiftSettings
        ),

        // MARK: Services
        .target(
            name: "MailboxStore",
            dependencies: [
                "InternetMessage", "MessageSearch", "MessageThreading", "StoreAPI", "ServiceKit", "SASL",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SORT and THREAD step statements and read columns with sqlite3_column_* (ColumnReader).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Services/mailbox-store/MailboxStore",
            resources: [.copy("openapi.yaml")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mailbox-store",
            dependencies: ["MailboxStore", "ServiceKit"],
            path: "Services/mailbox-store/main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SMTPGateway",
            dependencies: [
                "SMTPProtocol", "SASL", "StoreAPI", "StoreClient", "ServiceKit", "InternetMessage",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/smtp-gateway/SMTPGateway",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "smtp-gateway",
            dependencies: ["SMTPGateway", "ServiceKit"],
            path: "Services/smtp-gateway/main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "POP3Gateway",
            dependencies: [
                "POP3Protocol", "SASL", "StoreAPI", "StoreClient", "ServiceKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/pop3-gateway/POP3Gateway",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "pop3-gateway",
            dependencies: ["POP3Gateway", "ServiceKit"],
            path: "Services/pop3-gateway/main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "IMAPGateway",
            dependencies: [
                "IMAPProtocol", "InternetMessage", "SASL", "StoreAPI", "StoreClient", "ServiceKit",
                "MessageSearch",  // RFC 8970 PREVIEW: the text search decodes
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            path: "Services/imap-gateway/IMAPGateway",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "imap-gateway",
            dependencies: ["IMAPGateway", "ServiceKit"],
            path: "Services/imap-gateway/main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Webmail",
            dependencies: [
                "InternetMessage", "StoreAPI", "StoreClient", "ServiceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/webmail/Webmail",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "webmail",
            dependencies: ["Webmail", "ServiceKit"],
            path: "Services/webmail/main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "QueueRelay",
            dependencies: [
                "SMTPProtocol", "DNSClient", "StoreAPI", "StoreClient", "ServiceKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Services/queue-relay/QueueRelay",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "queue-relay",
            dependencies: ["QueueRelay", "ServiceKit"],
            path: "Services/queue-relay/main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MailCtl",
            dependencies: [
                "StoreAPI", "StoreClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Services/mailctl/MailCtl",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mailctl",
            dependencies: ["MailCtl"],
            path: "Services/mailctl/main",
            swiftSettings: swiftSettings
        ),

        // MARK: Benchmarks (commands, not tests; figures go into docs/BENCHMARKS.md)
        .executableTarget(
            name: "store-bench",
            dependencies: ["StoreAPI", "StoreClient", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            path: "Benchmarks/store-bench",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .testTarget(
            name: "InternetMessageTests",
            dependencies: ["InternetMessage", "TestSupport"],
            path: "Tests/InternetMessageTests",
            resources: [.copy("Corpus")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServiceKitTests",
            dependencies: [
                "ServiceKit", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            path: "Tests/ServiceKitTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SMTPProtocolTests",
            dependencies: ["SMTPProtocol", "TestSupport"],
            path: "Tests/SMTPProtocolTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WebmailTests",
            dependencies: ["Webmail", "InternetMessage", "StoreAPI", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Tests/WebmailTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SASLTests",
            dependencies: ["SASL"],
            path: "Tests/SASLTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SMTPGatewayTests",
            dependencies: ["SMTPGateway", "SMTPProtocol", "SASL", "StoreAPI", "TestSupport"],
            path: "Tests/SMTPGatewayTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "POP3ProtocolTests",
            dependencies: ["POP3Protocol", "TestSupport"],
            path: "Tests/POP3ProtocolTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "POP3GatewayTests",
            dependencies: ["POP3Gateway", "POP3Protocol", "SASL", "StoreAPI", "TestSupport"],
            path: "Tests/POP3GatewayTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DNSClientTests",
            dependencies: [
                "DNSClient", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/DNSClientTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "QueueRelayTests",
            dependencies: [
                "QueueRelay", "SMTPProtocol", "StoreAPI", "DNSClient", "ServiceKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/QueueRelayTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MessageThreadingTests",
            dependencies: ["MessageThreading", "StoreAPI", "InternetMessage"],
            path: "Tests/MessageThreadingTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IMAPProtocolTests",
            dependencies: ["IMAPProtocol", "InternetMessage", "TestSupport"],
            path: "Tests/IMAPProtocolTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MessageSearchTests",
            dependencies: ["MessageSearch", "StoreAPI", "InternetMessage"],
            path: "Tests/MessageSearchTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IMAPGatewayTests",
            dependencies: [
                "IMAPGateway", "IMAPProtocol", "SASL", "StoreAPI", "StoreClient", "StoreTestSupport", "MailboxStore", "TestSupport",
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "CompressNIO", package: "compress-nio"),
            ],
            path: "Tests/IMAPGatewayTests",
            swiftSettings: swiftSettings
        ),
        // Libraries, not tests: what every test target shares (bytes, seeded randomness, the
        // transcript checks), and the in-process store the store's and the gateways' tests share.
        .target(
            name: "TestSupport",
            dependencies: ["LineFraming", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StoreTestSupport",
            dependencies: [
                "MailboxStore", "StoreAPI", "StoreClient", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/StoreTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MailboxStoreTests",
            dependencies: [
                "MailboxStore", "MessageSearch", "SASL", "StoreAPI", "StoreClient", "ServiceKit", "StoreTestSupport", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/MailboxStoreTests",
            swiftSettings: swiftSettings
        ),
    ]
)
