import Fluent
import Foundation
import LoamKit

/// A likely pair for the Duplicates review, with why it was proposed.
struct DuplicateCandidate: Sendable {
    var first: Person
    var second: Person
    var reason: DuplicateReason
}

extension PeopleScope {
    /// Merges `absorbedID` into `survivorID`: identities, notes, interactions and groups move over, the
    /// survivor keeps its own facts and gains the missing ones, and the absorbed person disappears until the
    /// merge is undone. A pair marked "not the same" may still be merged by hand: the user decides.
    func merge(_ absorbedID: UUID?, into survivorID: UUID?, madeBy: String = "user") async throws -> PersonMerge {
        let survivor = try await person(survivorID)
        let absorbed = try await person(absorbedID)
        let survivorID = try survivor.requireID()
        let absorbedID = try absorbed.requireID()
        guard survivorID != absorbedID else { throw PeopleError.mergeWithItself }
        let actorID = self.actorID
        let owner = self.owner
        let keyring = self.keyring
        let now = self.now
        return try await db.writeTransaction { tx in
            var snapshot = MergeSnapshot(
                identityIDs: [], noteIDs: [], interactionIDs: [], groupMemberIDs: [], survivorCompany: survivor.company,
                survivorCompanySource: survivor.companySource, survivorTitle: survivor.title,
                survivorTitleSource: survivor.titleSource, survivorFavourite: survivor.isFavourite)

            for identity in try await PersonIdentity.query(on: tx).filter(\.$person.$id == absorbedID).all() {
                identity.$person.id = survivorID
                try await identity.save(on: tx)
                snapshot.identityIDs.append(try identity.requireID())
            }
            for note in try await PersonNote.query(on: tx).filter(\.$person.$id == absorbedID).all() {
                note.$person.id = survivorID
                try await note.save(on: tx)
                snapshot.noteIDs.append(try note.requireID())
            }
            // The same mail or meeting seen with both stays once; the absorbed person keeps its copy for undo.
            let survivorKeys = Set(
                try await Interaction.query(on: tx).filter(\.$person.$id == survivorID).all().map(\.dedupKey))
            for interaction in try await Interaction.query(on: tx).filter(\.$person.$id == absorbedID).all()
            where !survivorKeys.contains(interaction.dedupKey) {
                interaction.$person.id = survivorID
                try await interaction.save(on: tx)
                snapshot.interactionIDs.append(try interaction.requireID())
            }
            let survivorGroups = Set(
                try await PersonGroupMember.query(on: tx).filter(\.$person.$id == survivorID).all().map(\.$group.id))
            for member in try await PersonGroupMember.query(on: tx).filter(\.$person.$id == absorbedID).all()
            where !survivorGroups.contains(member.$group.id) {
                member.$person.id = survivorID
                try await member.save(on: tx)
                snapshot.groupMemberIDs.append(try member.requireID())
            }
            try await Self.moveSearchEntries(of: snapshot.noteIDs, to: survivorID, ownerID: actorID, on: tx)

            survivor.fill(
                company: absorbed.company, title: absorbed.title,
                source: absorbed.companySource ?? absorbed.titleSource ?? "merge", at: now)
            survivor.isFavourite = survivor.isFavourite || absorbed.isFavourite
            try await survivor.save(on: tx)
            absorbed.mergedIntoID = survivorID
            try await absorbed.save(on: tx)
            try await ContactStats.refresh(of: survivorID, on: tx)
            try await ContactStats.refresh(of: absorbedID, on: tx)
            try await DistinctPeople.query(on: tx).filter(\.$ownerID == actorID)
                .filter(\.$firstID == DistinctPeople.ordered(survivorID, absorbedID).0)
                .filter(\.$secondID == DistinctPeople.ordered(survivorID, absorbedID).1).delete()

            let mergeID = UUID()
            let cipher = try await keyring.fieldCipher(for: owner, on: tx)
            let sealed = try cipher.seal(try JSONEncoder().encode(snapshot), context: Self.mergeContext(mergeID, owner))
            let merge = PersonMerge(
                id: mergeID, ownerID: actorID, survivorID: survivorID, absorbedID: absorbedID, madeBy: madeBy,
                sealedSnapshot: sealed)
            try await merge.create(on: tx)
            return merge
        }
    }

    /// Puts a merged person back exactly as the merge found them, and remembers the two as not the same,
    /// so neither the review nor a later import joins them again.
    func undoMerge(_ mergeID: UUID?) async throws -> (survivor: Person, restored: Person) {
        let merge = try await self.merge(mergeID)
        guard merge.undoneAt == nil else { throw PeopleError.mergeAlreadyUndone }
        let survivor = try await person(merge.survivorID)
        guard
            let absorbed = try await Person.query(on: db).filter(\.$id == merge.absorbedID).filter(
                \.$owner.$id == actorID
            ).first(),
            absorbed.mergedIntoID == merge.survivorID
        else { throw PeopleError.laterMergeFirst }
        let snapshot = try JSONDecoder().decode(
            MergeSnapshot.self,
            from: try await keyring.fieldCipher(for: owner, on: db).open(
                merge.sealedSnapshot, context: Self.mergeContext(try merge.requireID(), owner)))
        let survivorID = merge.survivorID
        let absorbedID = merge.absorbedID
        let actorID = self.actorID
        let now = self.now
        try await db.writeTransaction { tx in
            // Only what is still on the survivor goes back: something the user deleted since stays deleted.
            try await PersonIdentity.query(on: tx).filter(\.$id ~~ snapshot.identityIDs).filter(
                \.$person.$id == survivorID
            )
            .set(\.$person.$id, to: absorbedID).update()
            try await PersonNote.query(on: tx).filter(\.$id ~~ snapshot.noteIDs).filter(\.$person.$id == survivorID)
                .set(\.$person.$id, to: absorbedID).update()
            try await Interaction.query(on: tx).filter(\.$id ~~ snapshot.interactionIDs).filter(
                \.$person.$id == survivorID
            )
            .set(\.$person.$id, to: absorbedID).update()
            try await PersonGroupMember.query(on: tx).filter(\.$id ~~ snapshot.groupMemberIDs).filter(
                \.$person.$id == survivorID
            )
            .set(\.$person.$id, to: absorbedID).update()
            try await Self.moveSearchEntries(of: snapshot.noteIDs, to: absorbedID, ownerID: actorID, on: tx)

            // Facts the merge filled in go back too, unless the user has edited them since.
            if survivor.companySource != "user", survivor.company != snapshot.survivorCompany {
                survivor.company = snapshot.survivorCompany
                survivor.companySource = snapshot.survivorCompanySource
            }
            if survivor.titleSource != "user", survivor.title != snapshot.survivorTitle {
                survivor.title = snapshot.survivorTitle
                survivor.titleSource = snapshot.survivorTitleSource
            }
            survivor.isFavourite = snapshot.survivorFavourite
            survivor.factsUpdatedAt = now
            try await survivor.save(on: tx)
            absorbed.mergedIntoID = nil
            try await absorbed.save(on: tx)
            try await ContactStats.refresh(of: survivorID, on: tx)
            try await ContactStats.refresh(of: absorbedID, on: tx)
            merge.undoneAt = now
            try await merge.save(on: tx)
            try await Self.rememberDistinct(survivorID, absorbedID, ownerID: actorID, on: tx)
        }
        return (try await person(survivorID), try await person(absorbedID))
    }

    func merge(_ id: UUID?) async throws -> PersonMerge {
        guard let id,
            let merge = try await PersonMerge.query(on: db).filter(\.$id == id).filter(\.$ownerID == actorID).first()
        else { throw PeopleError.notFound }
        return merge
    }

    /// The latest merges, newest first, with both people (the absorbed one as it was).
    func merges(limit: Int = 50) async throws -> [(PersonMerge, survivor: Person, absorbed: Person)] {
        let merges = try await PersonMerge.query(on: db).filter(\.$ownerID == actorID).sort(\.$createdAt, .descending)
            .sort(\.$id).limit(limit).all()
        let ids = merges.flatMap { [$0.survivorID, $0.absorbedID] }
        let people = Dictionary(
            try await Person.query(on: db).filter(\.$owner.$id == actorID).filter(\.$id ~~ ids).all().map {
                (try $0.requireID(), $0)
            },
            uniquingKeysWith: { first, _ in first })
        return merges.compactMap { merge in
            guard let survivor = people[merge.survivorID], let absorbed = people[merge.absorbedID] else { return nil }
            return (merge, survivor, absorbed)
        }
    }

    /// "Not the same person": the pair never merges and never returns to the review.
    func markDistinct(_ a: UUID?, _ b: UUID?) async throws {
        let first = try await person(a)
        let second = try await person(b)
        let firstID = try first.requireID()
        let secondID = try second.requireID()
        let actorID = self.actorID
        guard firstID != secondID else { throw PeopleError.mergeWithItself }
        try await db.writeTransaction { tx in
            try await Self.rememberDistinct(firstID, secondID, ownerID: actorID, on: tx)
        }
    }

    /// Likely pairs among the user's people that no shared identifier joined, each with its reason.
    func duplicates() async throws -> [DuplicateCandidate] {
        let people = try await Person.query(on: db).filter(\.$owner.$id == actorID).filter(\.$mergedIntoID == nil)
            .sort(\.$sortName).sort(\.$id).all()
        let index = Dictionary(
            uniqueKeysWithValues: try people.enumerated().map { (try $0.element.requireID(), $0.offset) })
        var identities = [[NormalizedIdentity]](repeating: [], count: people.count)
        var sources = [String](repeating: "", count: people.count)
        // Likeness compares the identifiers themselves (the local part of an address, a number's digits), so they
        // are opened here, for their owner only.
        let cipher = try await keyring.fieldCipher(for: owner, on: db)
        for row in try await PersonIdentity.query(on: db).filter(\.$ownerID == actorID).all() {
            guard let position = index[row.$person.id],
                let identity = try IdentityRecord.open(row, owner: owner, cipher: cipher)
            else { continue }
            identities[position].append(identity)
        }
        for (position, person) in people.enumerated() { sources[position] = person.nameSource }
        var excluded: Set<RecordPair> = []
        for pair in try await DistinctPeople.query(on: db).filter(\.$ownerID == actorID).all() {
            if let a = index[pair.firstID], let b = index[pair.secondID] { excluded.insert(RecordPair(a, b)) }
        }
        let records = people.enumerated().map { position, person in
            ResolverRecord(
                name: person.name, company: person.company, source: sources[position], identities: identities[position])
        }
        let resolution = IdentityResolver().resolve(records, notTheSame: excluded)
        return resolution.reviewPairs.map {
            DuplicateCandidate(first: people[$0.pair.a], second: people[$0.pair.b], reason: $0.reason)
        }
    }

    private static func rememberDistinct(_ a: UUID, _ b: UUID, ownerID: UUID, on tx: any Database) async throws {
        let (first, second) = DistinctPeople.ordered(a, b)
        guard
            try await DistinctPeople.query(on: tx).filter(\.$ownerID == ownerID).filter(\.$firstID == first)
                .filter(\.$secondID == second).first() == nil
        else { return }
        try await DistinctPeople(ownerID: ownerID, first, second).create(on: tx)
    }

    private static func moveSearchEntries(of recordIDs: [UUID], to personID: UUID, ownerID: UUID, on tx: any Database)
        async throws
    {
        guard !recordIDs.isEmpty else { return }
        try await SearchEntry.query(on: tx).filter(\.$ownerID == ownerID).filter(\.$recordID ~~ recordIDs)
            .set(\.$personID, to: personID).update()
    }

    static func mergeContext(_ id: UUID, _ owner: OwnerID) -> FieldContext {
        FieldContext(
            table: PersonMerge.schema, column: "sealed_snapshot", rowID: id.uuidString.lowercased(), owner: owner)
    }
}
