/// Whose data a key or a ciphertext belongs to: a user now, a workspace later.
///
/// The owner is bound into wrapped keys and sealed fields as associated data, so `id` must be
/// spelled exactly the same way every time (use the database's canonical string for the id).
public struct OwnerID: Hashable, Sendable, CustomStringConvertible {
    /// The kind of owner. Its raw value is part of the associated data and must never change.
    public enum Kind: String, Hashable, Sendable {
        case user
        case workspace
        /// Data the server holds for itself rather than for one user, such as queued outgoing mail
        /// (whose links carry tokens and must not sit in the database in clear).
        case system
    }

    public var kind: Kind
    public var id: String

    public init(kind: Kind, id: String) {
        self.kind = kind
        self.id = id
    }

    public static func user(_ id: String) -> OwnerID { OwnerID(kind: .user, id: id) }
    public static func workspace(_ id: String) -> OwnerID { OwnerID(kind: .workspace, id: id) }
    public static func system(_ id: String) -> OwnerID { OwnerID(kind: .system, id: id) }

    public var description: String { "\(kind.rawValue):\(id)" }
}
