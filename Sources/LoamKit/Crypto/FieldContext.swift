/// Where a sealed field lives. All four parts are authenticated with the ciphertext, so a
/// value copied to another table, column, row or owner fails to open.
public struct FieldContext: Hashable, Sendable {
    public var table: String
    public var column: String
    /// The row's primary key as the database spells it; it must exist before sealing.
    public var rowID: String
    public var owner: OwnerID

    public init(table: String, column: String, rowID: String, owner: OwnerID) {
        self.table = table
        self.column = column
        self.rowID = rowID
        self.owner = owner
    }
}
