extension IdentityResolver {
    /// Suggests clusters for review on names, bucketed so that only people who share a name key, or a
    /// canonical first name and a last name, are ever compared: no pass over all pairs.
    func collectNameReviews(_ records: [ResolverRecord], into review: inout ReviewCollector) {
        var byName: [String: [Int32]] = [:]
        var byNickname: [String: [Int32]] = [:]
        var names: [PersonName] = []
        names.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            let name = PersonName(record.name)
            names.append(name)
            guard name.isUsable else { continue }
            byName[name.key, default: []].append(Int32(index))
            if let first = name.first, let last = name.last {
                // U+0001 cannot occur in a folded token, so the key cannot be faked by a name.
                byNickname[Nicknames.canonical(folded: first) + "\u{1}" + last, default: []].append(Int32(index))
            }
        }

        for members in byName.values where members.count >= 2 {
            // Per cluster: the companies and sources its records with this name came with.
            let groups = clusterGroups(members, review) { index in
                let record = records[Int(index)]
                return (record.company.flatMap(CompanyName.key), record.source)
            }
            guard let groups else { continue }
            for i in groups.indices {
                for j in groups.indices where j > i {
                    let (a, b) = (groups[i], groups[j])
                    if !a.firsts.isDisjoint(with: b.firsts) {
                        review.addClusters(a.representative, b.representative, .sameNameAndCompany)
                    } else if differ(a.seconds, b.seconds) {
                        review.addClusters(a.representative, b.representative, .sameNameOtherSource)
                    }
                }
            }
        }

        for members in byNickname.values where members.count >= 2 {
            let groups = clusterGroups(members, review) { index in (names[Int(index)].first, "") }
            guard let groups else { continue }
            for i in groups.indices {
                for j in groups.indices where j > i && differ(groups[i].firsts, groups[j].firsts) {
                    review.addClusters(groups[i].representative, groups[j].representative, .nickname)
                }
            }
        }
    }

    /// Whether some value on one side differs from some value on the other: false only when both sides
    /// hold the same one value (two records of one source, two spellings of one first name).
    private func differ(_ a: Set<String>, _ b: Set<String>) -> Bool {
        !(a.count == 1 && a == b)
    }

    /// One cluster's records in a bucket: `firsts` are their company keys (name buckets) or first names
    /// (nickname buckets), `seconds` their sources.
    private struct ClusterGroup {
        var representative: Int
        var firsts: Set<String> = []
        var seconds: Set<String> = []
    }

    /// A bucket's records grouped by cluster, with what `facts` says about each record; `nil` when the
    /// bucket is one cluster (nothing to pair) or more than ``nameBucketLimit`` clusters.
    private func clusterGroups(
        _ members: [Int32], _ review: ReviewCollector, facts: (Int32) -> (String?, String)
    ) -> [ClusterGroup]? {
        // Most buckets are one person's records, already merged: nothing to pair, nothing to allocate.
        let firstRepresentative = review.representative[Int(members[0])]
        if members.allSatisfy({ review.representative[Int($0)] == firstRepresentative }) { return nil }
        var groupOf: [Int: Int] = [:]
        var groups: [ClusterGroup] = []
        for member in members {
            let representative = Int(review.representative[Int(member)])
            let group: Int
            if let existing = groupOf[representative] {
                group = existing
            } else {
                if groups.count == nameBucketLimit { return nil }
                group = groups.count
                groupOf[representative] = group
                groups.append(ClusterGroup(representative: representative))
            }
            let (first, second) = facts(member)
            if let first { groups[group].firsts.insert(first) }
            groups[group].seconds.insert(second)
        }
        return groups.count >= 2 ? groups : nil
    }
}
