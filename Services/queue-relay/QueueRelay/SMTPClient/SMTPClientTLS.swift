import NIOCore
import NIOSSL

/// How the client's STARTTLS is done (the session only says when): the TLS handler the
/// shared driver installs, with the relay's verification policy.
struct SMTPClientTLS: Sendable {
    var serverName: String
    var verify: Bool
    var caFile: String?

    /// Makes the client handler at STARTTLS time (RFC 3207 §4): TLS 1.2 or later; the
    /// certificate verified when policy requires it, else opportunistic (RFC 7435).
    var makeHandler: @Sendable () throws -> any ChannelHandler {
        let settings = self
        return {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.minimumTLSVersion = .tlsv12
            if settings.verify {
                configuration.certificateVerification = .fullVerification
                if let caFile = settings.caFile { configuration.trustRoots = .file(caFile) }
            } else {
                // Opportunistic TLS (RFC 7435): encrypt even when the certificate cannot be checked.
                configuration.certificateVerification = .none
            }
            let context = try NIOSSLContext(configuration: configuration)
            // SNI carries names, never address literals (RFC 6066 §3).
            let name = IPAddress.isLiteral(settings.serverName) ? nil : settings.serverName
            return try NIOSSLClientHandler(context: context, serverHostname: name)
        }
    }
}
