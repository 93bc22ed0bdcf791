import Testing

@testable import LoamKit

@Suite("Identity resolution")
struct IdentityResolverTests {
    let resolver = IdentityResolver()

    private func record(
        _ name: String, company: String? = nil, source: String = "vcard", _ identities: NormalizedIdentity...
    ) -> ResolverRecord {
        ResolverRecord(name: name, company: company, source: source, identities: identities)
    }

    private func email(_ raw: String) -> NormalizedIdentity {
        NormalizedIdentity(kind: .email, value: IdentityNormalizer.email(raw)!)
    }

    private func phone(_ raw: String) -> NormalizedIdentity {
        NormalizedIdentity(kind: .phone, value: IdentityNormalizer.phone(raw, defaultRegion: "US")!)
    }

    private func profile(_ raw: String) -> NormalizedIdentity {
        NormalizedIdentity(kind: .profileURL, value: IdentityNormalizer.profileURL(raw)!)
    }

    private func sourceID(_ value: String) -> NormalizedIdentity {
        NormalizedIdentity(kind: .sourceID, value: value)
    }

    @Test("records sharing an email address merge")
    func sharedEmail() {
        let records = [
            record("Dana Lee", source: "mail", email("Dana@Example.com")),
            record("Someone Else", email("other@example.com")),
            record("D. Lee", source: "linkedin", email("dana@example.com")),
        ]
        let resolution = resolver.resolve(records)
        #expect(resolution.clusters == [[0, 2]])
        #expect(resolution.reviewPairs.isEmpty)
    }

    @Test("one phone number in two spellings merges once normalized")
    func phoneSpellings() {
        let records = [
            record("Dana Lee", phone("+1 415 555 0132")),
            record("Dana", source: "csv", phone("(415) 555-0132")),
            record("Dana L", source: "mail", phone("415.555.0132")),
        ]
        #expect(resolver.resolve(records).clusters == [[0, 1, 2]])
    }

    @Test("chains of shared identifiers end in one cluster")
    func transitive() {
        let records = [
            record("A", email("a@example.com")),
            record("Unrelated", email("z@example.com")),
            record("A2", email("a@example.com"), phone("415 555 0100")),
            record("A3", phone("+14155550100"), NormalizedIdentity(kind: .handle, value: "x:anna")),
            record("A4", source: "x", NormalizedIdentity(kind: .handle, value: "x:anna")),
        ]
        #expect(resolver.resolve(records).clusters == [[0, 2, 3, 4]])
    }

    @Test("the same name alone never merges, it is only suggested")
    func nameAloneNeverMerges() {
        let records = [
            record("Robert Smith", source: "mail", email("rs@example.com")),
            record("Robert Smith", source: "linkedin", email("robert@example.org")),
            record("Robert Smith", source: "vcard"),
        ]
        let resolution = resolver.resolve(records)
        #expect(resolution.clusters.isEmpty)
        #expect(
            Set(resolution.reviewPairs) == [
                ReviewPair(pair: RecordPair(0, 1), reason: .sameNameOtherSource),
                ReviewPair(pair: RecordPair(0, 2), reason: .sameNameOtherSource),
                ReviewPair(pair: RecordPair(1, 2), reason: .sameNameOtherSource),
            ])
    }

    @Test("two LinkedIn profiles stop a merge on a shared email, and the pair goes to review")
    func conflictingProfiles() {
        let records = [
            record(
                "Dana Lee", source: "linkedin", email("team@example.com"),
                profile("https://www.linkedin.com/in/dana-lee/")),
            record(
                "Sam Lee", source: "linkedin", email("team@example.com"), profile("https://linkedin.com/in/sam-lee")),
        ]
        let resolution = resolver.resolve(records)
        #expect(resolution.clusters.isEmpty)
        #expect(resolution.reviewPairs == [ReviewPair(pair: RecordPair(0, 1), reason: .conflictingIdentifiers)])
    }

    @Test("a conflict cannot be walked around through a third record")
    func conflictBetweenClusters() {
        let records = [
            record("Dana Lee", email("dana@example.com"), profile("linkedin.com/in/dana")),
            record("Dana", phone("415 555 0132"), email("dana@example.com")),
            record("Dana L", phone("415 555 0132"), profile("linkedin.com/in/someone-else")),
        ]
        let resolution = resolver.resolve(records)
        #expect(resolution.clusters == [[0, 1]])
        #expect(resolution.reviewPairs == [ReviewPair(pair: RecordPair(0, 2), reason: .conflictingIdentifiers)])
    }

    @Test("a record listing two profiles on one site conflicts only with a cluster holding neither")
    func twoProfilesOnOneRecord() {
        let records = [
            record(
                "Dana Lee", email("dana@example.com"), profile("linkedin.com/in/dana"),
                profile("linkedin.com/in/dana-lee")),
            record("Dana", email("dana@example.com"), profile("linkedin.com/in/dana-lee")),
            record("Dana L", email("dana@example.com"), profile("linkedin.com/in/someone-else")),
        ]
        let resolution = resolver.resolve(records)
        #expect(resolution.clusters == [[0, 1]])
        #expect(resolution.reviewPairs == [ReviewPair(pair: RecordPair(0, 2), reason: .conflictingIdentifiers)])
    }

    @Test("source ids conflict within one source, not across sources")
    func sourceIDConflicts() {
        let x1 = sourceID("x:12345")
        let x2 = sourceID("x:999")
        let linkedIn = sourceID("linkedin:urn:li:member:42")
        #expect(IdentityResolver.conflicts([x1, email("a@example.com")], [x2]))
        #expect(!IdentityResolver.conflicts([x1], [linkedIn]))
        #expect(!IdentityResolver.conflicts([x1], [x1, linkedIn]))
        #expect(!IdentityResolver.conflicts([email("a@example.com")], [email("b@example.com")]))
        #expect(IdentityResolver.conflicts([profile("x.com/jack")], [profile("https://twitter.com/jill")]))
        #expect(!IdentityResolver.conflicts([profile("x.com/jack")], [profile("linkedin.com/in/jack")]))
    }

    @Test("a pair marked not the same never merges, even through a chain, and is never suggested")
    func notTheSame() {
        let records = [
            record("Robert Smith", company: "Acme", source: "mail", email("bob@example.com")),
            record(
                "Robert Smith", company: "Acme Inc.", source: "csv", email("bob@example.com"), phone("415 555 0100")),
            record("Bob Smith", source: "vcard", phone("415 555 0100")),
        ]
        let direct = resolver.resolve(records, notTheSame: [RecordPair(1, 0)])
        #expect(direct.clusters == [[1, 2]])
        #expect(direct.reviewPairs.isEmpty)

        let chained = resolver.resolve(records, notTheSame: [RecordPair(0, 2)])
        #expect(chained.clusters == [[0, 1]])
        #expect(chained.reviewPairs.isEmpty)

        #expect(resolver.resolve(records).clusters == [[0, 1, 2]])
    }

    @Test("same name and same company is suggested for review")
    func sameNameAndCompany() {
        let records = [
            record("Ann Lee", company: "Acme, Inc.", source: "mail", email("ann@acme.com")),
            record("ANN LEE", company: "ACME", source: "mail", email("ann.lee@gmail.com")),
            record("Ann Lee", company: "Globex", source: "mail", email("ann@globex.com")),
        ]
        let resolution = resolver.resolve(records)
        #expect(resolution.clusters.isEmpty)
        #expect(resolution.reviewPairs == [ReviewPair(pair: RecordPair(0, 1), reason: .sameNameAndCompany)])
        #expect(IdentityResolver.reviewReason(records[0], records[1]) == .sameNameAndCompany)
        #expect(IdentityResolver.reviewReason(records[0], records[2]) == nil)
    }

    @Test("a nickname and the full first name with the same last name are suggested (Bob and Robert Smith)")
    func nickname() {
        let records = [
            record("Bob Smith", source: "mail", email("bob@example.com")),
            record("Robert Smith", source: "mail", email("robert@example.org")),
            record("Robert Jones", source: "mail", email("rj@example.org")),
        ]
        let resolution = resolver.resolve(records)
        #expect(resolution.reviewPairs == [ReviewPair(pair: RecordPair(0, 1), reason: .nickname)])
        #expect(IdentityResolver.reviewReason(records[0], records[1]) == .nickname)
        #expect(IdentityResolver.reviewReason(records[1], records[2]) == nil)
    }

    @Test("honorifics, accents and \"Last, First\" meet in one name key")
    func nameSpellingsMeet() {
        let records = [
            record("Dr. José Núñez", source: "mail"),
            record("jose nunez", source: "vcard"),
            record("Smith, Robert", source: "csv"),
            record("Robert Smith", source: "linkedin"),
        ]
        let resolution = resolver.resolve(records)
        #expect(
            resolution.reviewPairs == [
                ReviewPair(pair: RecordPair(0, 1), reason: .sameNameOtherSource),
                ReviewPair(pair: RecordPair(2, 3), reason: .sameNameOtherSource),
            ])
    }

    @Test("review pairs are reported once per pair of clusters, on each cluster's lowest index")
    func reviewOnRepresentatives() {
        let records = [
            record("Other", email("o@example.com")),
            record("Ann Lee", source: "mail", email("ann@example.com")),
            record("Ann Lee", source: "csv", email("ann@example.com")),
            record("Ann Lee", source: "linkedin", email("lee@example.org")),
            record("Ann Lee", source: "vcard", email("lee@example.org")),
        ]
        let resolution = resolver.resolve(records)
        #expect(resolution.clusters == [[1, 2], [3, 4]])
        #expect(resolution.reviewPairs == [ReviewPair(pair: RecordPair(1, 3), reason: .sameNameOtherSource)])
    }

    @Test("a name shared by more clusters than the bucket limit is not suggested at all")
    func bucketCap() {
        let common = (0..<51).map {
            record("John Smith", source: $0 % 2 == 0 ? "mail" : "csv", email("john\($0)@example.com"))
        }
        #expect(resolver.resolve(common).reviewPairs.isEmpty)
        let fewer = Array(common.prefix(50))
        #expect(resolver.resolve(fewer).reviewPairs.count == 25 * 25)
        #expect(IdentityResolver(nameBucketLimit: 100).resolve(common).reviewPairs.count == 26 * 25)
    }

    @Test("records of one source with the same name and no company are not suggested")
    func sameSourceSameName() {
        let records = [record("Ann Lee", source: "mail"), record("Ann Lee", source: "mail")]
        #expect(resolver.resolve(records).reviewPairs.isEmpty)
    }

    @Test("every reason has a sentence for the Duplicates review")
    func explanations() {
        #expect(
            DuplicateReason.sameNameAndCompany.explanation == "Same name and company, but no shared address or number.")
        for reason in DuplicateReason.allCases {
            #expect(reason.explanation.hasSuffix("."))
        }
    }
}
