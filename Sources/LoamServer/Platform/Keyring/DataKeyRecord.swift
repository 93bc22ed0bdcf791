import Fluent
import Foundation

/// One owner's data key, wrapped by the master key. Deleting the row destroys everything sealed
/// under it (crypto-shredding): the key exists nowhere else.
final class DataKeyRecord: Model, @unchecked Sendable {
    static let schema = "data_keys"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    /// `user` or `workspace`.
    @Field(key: "owner_kind") var ownerKind: String
    @Field(key: "owner_id") var ownerID: String
    /// The data key's id inside sealed fields; it grows when an owner's data key is rotated.
    @Field(key: "generation") var generation: Int
    /// The master key that wrapped it, so rotation can find rows still wrapped by a retired key.
    @Field(key: "master_key_id") var masterKeyID: Int64
    @Field(key: "wrapped_key") var wrappedKey: Data

    init() {}

    init(ownerKind: String, ownerID: String, generation: Int, masterKeyID: UInt32, wrappedKey: Data) {
        self.ownerKind = ownerKind
        self.ownerID = ownerID
        self.generation = generation
        self.masterKeyID = Int64(masterKeyID)
        self.wrappedKey = wrappedKey
    }
}

struct CreateDataKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DataKeyRecord.schema)
            .id()
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("owner_kind", .string, .required)
            .field("owner_id", .string, .required)
            .field("generation", .int, .required)
            .field("master_key_id", .int64, .required)
            .field("wrapped_key", .data, .required)
            .unique(on: "owner_kind", "owner_id", name: "data_keys_owner_unique")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DataKeyRecord.schema).delete()
    }
}
