import Foundation

/// A JSON Web Key Set (RFC 7517 §5) as a provider serves it at its `jwks_uri`.
///
/// Keys Loam cannot use are skipped rather than refused (unknown `kty` or `crv`, `use` other
/// than `sig`, RSA under 2048 bits, points off the curve): providers add new kinds of key
/// over time, and one of them must not break sign-in with the others.
public struct JSONWebKeySet: Sendable {
    let keys: [JSONWebKey]

    /// Throws ``IDTokenError/malformed(_:)`` only when the document is not a `{"keys": [...]}`
    /// object; an empty result is for the caller to judge (see ``isEmpty``).
    public init(json: Data) throws(IDTokenError) {
        guard let document = JOSEJSON.object(from: json), case .array(let members)? = document["keys"] else {
            throw .malformed("jwks")
        }
        keys = members.compactMap { member in
            guard case .object(let fields) = member else { return nil }
            return JSONWebKey(fields)
        }
    }

    /// The `kid` of every usable key, in document order (keys without one are left out).
    public var keyIDs: [String] { keys.compactMap(\.keyID) }

    /// True when no key in the document is usable.
    public var isEmpty: Bool { keys.isEmpty }
}
