import Foundation

/// Reads a service's settings from `BUZON_*` environment variables and the matching
/// command-line flags: `BUZON_STORE_PORT` is also `--store-port`, and a flag wins over the
/// environment so that a one-off run can override a unit file.
public struct ConfigReader: Sendable {
    public enum ConfigError: Error, CustomStringConvertible {
        case invalid(key: String, value: String, expected: String)
        case missing(key: String)
        public var description: String {
            switch self {
            case .invalid(let key, let value, let expected):
                return "\(key)=\(value) is not valid: expected \(expected)"
            case .missing(let key):
                return "\(key) must be set (or --\(ConfigReader.flagName(key)))"
            }
        }
    }

    private let values: [String: String]

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        arguments: [String] = Array(CommandLine.arguments.dropFirst())
    ) {
        var values = environment.filter { $0.key.hasPrefix("BUZON_") }
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            if arg.hasPrefix("--") {
                let body = arg.dropFirst(2)
                if let eq = body.firstIndex(of: "=") {
                    values[Self.envName(String(body[..<eq]))] = String(body[body.index(after: eq)...])
                } else if i + 1 < arguments.count, !arguments[i + 1].hasPrefix("--") {
                    values[Self.envName(String(body))] = arguments[i + 1]
                    i += 1
                } else {
                    values[Self.envName(String(body))] = "true"
                }
            }
            i += 1
        }
        self.values = values
    }

    static func envName(_ flag: String) -> String {
        "BUZON_" + flag.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    static func flagName(_ key: String) -> String {
        key.dropFirst("BUZON_".count).lowercased().replacingOccurrences(of: "_", with: "-")
    }

    public func string(_ key: String) -> String? {
        guard let v = values[key], !v.isEmpty else { return nil }
        return v
    }

    public func string(_ key: String, default value: String) -> String {
        string(key) ?? value
    }

    public func required(_ key: String) throws -> String {
        guard let v = string(key) else { throw ConfigError.missing(key: key) }
        return v
    }

    public func int(_ key: String, default value: Int) throws -> Int {
        guard let raw = string(key) else { return value }
        guard let v = Int(raw) else { throw ConfigError.invalid(key: key, value: raw, expected: "an integer") }
        return v
    }

    public func bool(_ key: String, default value: Bool) throws -> Bool {
        guard let raw = string(key)?.lowercased() else { return value }
        switch raw {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigError.invalid(key: key, value: raw, expected: "true or false")
        }
    }

    /// A secret given directly (`KEY`) or as a file (`KEY_FILE`), the way container
    /// secrets are mounted.
    public func secret(_ key: String) throws -> String? {
        if let v = string(key) { return v }
        guard let path = string(key + "_FILE") else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError.invalid(key: key + "_FILE", value: path, expected: "a readable file")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
