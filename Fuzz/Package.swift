// swift-tools-version:6.2
// Buzón's libFuzzer targets: one executable per parser, in a package of their own so the root
// package's `swift build` never builds them (they link libFuzzer's main). Built and run by
// scripts/fuzz.sh (`make fuzz`); see docs/FUZZING.md. Every module must be compiled with
// `-Xswiftc -sanitize=fuzzer,address` (one flag: SwiftPM's two `--sanitize` flags reach
// swiftc as two `-sanitize=` options, and the last one wins, leaving no coverage).

import PackageDescription

let grammar: Target.Dependency = .product(name: "BuzonGrammar", package: "buzon")

/// One fuzz target: Sources/<name>/, an executable whose only entry is `LLVMFuzzerTestOneInput`.
func fuzzTarget(_ name: String, _ library: Target.Dependency = grammar) -> Target {
    .executableTarget(
        name: name, dependencies: ["FuzzSupport", library],
        // In the target's own flags, so SwiftPM links libFuzzer's main instead of renaming ours.
        swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "buzon-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "buzon", path: "..")],
    targets: [
        .target(name: "FuzzSupport", swiftSettings: [.enableUpcomingFeature("ExistentialAny")]),
        fuzzTarget("line-framing"),
        fuzzTarget("smtp-command"),
        fuzzTarget("smtp-reply"),
        fuzzTarget("pop3-command"),
        fuzzTarget("pop3-response"),
        fuzzTarget("imap-framing"),
        fuzzTarget("imap-command"),
        fuzzTarget("message"),
        fuzzTarget("address"),
        fuzzTarget("dns-message", .product(name: "BuzonDNSClient", package: "buzon")),
        fuzzTarget("sasl", .product(name: "BuzonSASL", package: "buzon")),
        fuzzTarget("read-model", .product(name: "BuzonReadModel", package: "buzon")),
        fuzzTarget("message-batch", .product(name: "BuzonReadModel", package: "buzon")),
    ]
)
