import Foundation
import LoamKit

/// An interaction sealed and its subject tokenized before its batch reaches the database, so an import can do
/// that work on another core while the previous batch is written (`ImportBatching.runPipelined`). The identifier
/// is chosen here because the sealed fields are bound to it; a row the unique index turns away is simply dropped.
struct PreparedInteraction: Sendable {
    let id: UUID
    let new: NewInteraction
    let sealed: InteractionRecord.SealedFields
    /// `SearchEntry.joined` tokens of the subject; empty when it has no searchable word.
    let subjectTokens: String
    /// The hashed dedup key (`InteractionRecord.dedupKey`), made here too, off the database's path.
    let dedupKey: String

    /// What the batch writer would seal and index for `new`; `attendeesJSON`, `subjectTokens` and `dedupKey` can be
    /// given when the caller shares them between the interactions of one message.
    init(
        _ new: NewInteraction, owner: OwnerID, cipher: FieldCipher, blindIndex: BlindIndex,
        attendeesJSON: String? = nil, rolesJSON: Data? = nil,
        subjectTokens: String? = nil, dedupKey: String? = nil
    ) throws {
        let id = TimeOrderedUUID.make()
        self.id = id
        self.new = new
        self.sealed = try InteractionRecord.sealedFields(
            new, id: id, owner: owner, cipher: cipher, attendeesJSON: attendeesJSON, rolesJSON: rolesJSON)
        self.dedupKey = dedupKey ?? InteractionRecord.dedupKey(new, blindIndex: blindIndex)
        self.subjectTokens =
            subjectTokens
            ?? new.subject.map { InteractionRecord.subjectTokens($0, blindIndex: blindIndex) } ?? ""
    }
}
