import NIOSSL

/// Server TLS from a PEM certificate chain and key (`BUZON_TLS_CERT`, `BUZON_TLS_KEY`), as
/// every TLS-speaking gateway loads it. TLS 1.2 is the floor (RFC 8996 retired 1.0 and 1.1).
public enum TLSSetup {
    public static func serverContext(certificatePath: String, keyPath: String) throws -> NIOSSLContext {
        try NIOSSLContext(configuration: serverConfiguration(certificatePath: certificatePath, keyPath: keyPath))
    }

    /// The configuration itself, for a server that makes its own context (Hummingbird's TLS).
    public static func serverConfiguration(certificatePath: String, keyPath: String) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map { NIOSSLCertificateSource.certificate($0) }
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }

    /// The server context when both files are configured, nil when neither is (the gateway
    /// then offers no TLS); one without the other is a configuration error.
    public static func optionalServerContext(certificatePath: String?, keyPath: String?) throws -> NIOSSLContext? {
        switch (certificatePath, keyPath) {
        case (let cert?, let key?): return try serverContext(certificatePath: cert, keyPath: key)
        case (nil, nil): return nil
        default: throw ConfigReader.ConfigError.missing(key: certificatePath == nil ? "BUZON_TLS_CERT" : "BUZON_TLS_KEY")
        }
    }
}
