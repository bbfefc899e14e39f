import Foundation

/// A fresh path under the temporary directory (not created), `prefix` naming what it is for.
public func temporaryPath(_ prefix: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
}
