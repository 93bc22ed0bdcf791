import NIOSSL

/// The TLS side of a connection: one `NIOSSLContext` per client (it holds the loaded trust roots) and the name
/// the certificate must carry.
struct SMTPTLS: Sendable {
    let context: NIOSSLContext
    /// `nil` for an IP address literal: no SNI is sent then, and NIOSSL checks the certificate's IP SANs against
    /// the connected address instead.
    let serverHostname: String?

    /// Full verification always: the system's roots, or exactly the roots in `SMTP_CA_FILE` for a private relay.
    init(configuration: SMTPConfiguration) throws(SMTPError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        tls.minimumTLSVersion = .tlsv12
        if let caFile = configuration.caFile {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                throw .tlsConfiguration(reason: "SMTP_CA_FILE cannot be read as PEM certificates")
            }
        }
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw .tlsConfiguration(reason: String(describing: error))
        }
        serverHostname = configuration.hostIsIPAddress ? nil : configuration.host
    }

    func makeHandler() throws -> NIOSSLClientHandler {
        try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
    }
}
