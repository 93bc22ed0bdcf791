import Foundation

/// A compact JWS (RFC 7515 §7.1) taken apart, before anything in it is trusted.
///
/// Parsing only checks shape: three base64url parts, a header and a payload that are JSON
/// objects. Whether the signature holds is the verifier's business.
struct CompactJWS {
    /// ID tokens are a few kilobytes at most; refusing larger input bounds the JSON work an
    /// unauthenticated request can cause.
    static let maximumLength = 64 * 1024

    var header: [String: JOSEJSON]
    var payload: [String: JOSEJSON]
    /// The bytes the signature covers: ASCII(base64url(header) "." base64url(payload)).
    var signingInput: Data
    var signature: Data

    init(parsing token: String) throws(IDTokenError) {
        guard token.utf8.count <= Self.maximumLength else { throw .malformed("too long") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("not three parts") }
        guard let headerBytes = Base64.decodeURL(parts[0]), let header = JOSEJSON.object(from: headerBytes) else {
            throw .malformed("header")
        }
        guard let payloadBytes = Base64.decodeURL(parts[1]), let payload = JOSEJSON.object(from: payloadBytes) else {
            throw .malformed("payload")
        }
        guard let signature = Base64.decodeURL(parts[2]) else { throw .malformed("signature encoding") }
        self.header = header
        self.payload = payload
        self.signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        self.signature = signature
    }

    /// Serializes a token from its already-encoded JSON parts and a signer over the signing input.
    static func serialize(header: Data, payload: Data, sign: (Data) throws -> Data) rethrows -> String {
        let input = "\(Base64.url(header)).\(Base64.url(payload))"
        return "\(input).\(Base64.url(try sign(Data(input.utf8))))"
    }
}
