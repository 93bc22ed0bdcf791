import LoamKit
import Testing

@Suite("BlindIndex")
struct BlindIndexTests {
    let index = BlindIndex(dataKey: .generate())

    /// How the server searches: every query token must be among the row's stored tokens.
    func matches(
        query: String, stored: String, column: String = "people.name", queryColumn: String? = nil,
        querier: BlindIndex? = nil
    ) -> Bool {
        let storedTokens = Set(index.tokens(for: stored, column: column))
        let queryTokens = (querier ?? index).queryTokens(for: query, column: queryColumn ?? column)
        return !queryTokens.isEmpty && queryTokens.allSatisfy(storedTokens.contains)
    }

    @Test("tokens are 16 bytes of lowercase hex, one per distinct term")
    func shape() {
        let tokens = index.tokens(for: "Ann Lee ann", column: "people.name")

        #expect(tokens.count == 2)
        #expect(tokens.allSatisfy { $0.count == 32 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
    }

    @Test("the same text gives the same tokens, also from a second index with the same key")
    func deterministic() {
        let dataKey = DataKey.generate()

        let first = BlindIndex(dataKey: dataKey).tokens(for: "Ann Lee", column: "people.name")
        let second = BlindIndex(dataKey: dataKey).tokens(for: "Ann Lee", column: "people.name")

        #expect(first == second)
        #expect(first.count == 2)
    }

    @Test("another owner's key gives different tokens")
    func otherKey() {
        let other = BlindIndex(dataKey: .generate())

        #expect(matches(query: "Ann", stored: "Ann"))
        #expect(!matches(query: "Ann", stored: "Ann", querier: other))
        #expect(Set(index.tokens(for: "Ann", column: "c")).isDisjoint(with: other.tokens(for: "Ann", column: "c")))
    }

    @Test("another column gives different tokens")
    func otherColumn() {
        #expect(!matches(query: "Ann", stored: "Ann", column: "people.name", queryColumn: "people.notes"))
        #expect(
            Set(index.tokens(for: "Ann", column: "people.name")).isDisjoint(
                with: index.tokens(for: "Ann", column: "people.notes")))
    }

    @Test(
        "queries find what the indexer stored",
        arguments: [
            ("jose", "José García"),
            ("JOSÉ", "jose garcia"),
            ("José", "JOSE"),
            ("garcia jose", "José García"),
            ("ann", "ann.lee@example.com"),
            ("example.com", "ann.lee@example.com"),
            ("Ann.Lee@Example.com", "ann.lee@example.com"),
        ] as [(String, String)]
    )
    func finds(query: String, stored: String) {
        #expect(matches(query: query, stored: stored))
    }

    @Test(
        "queries do not find other words",
        arguments: [
            ("joseph", "José"),
            ("jos", "José"),  // no prefix search: terms match whole
            ("ann lee", "Ann Smith"),
            ("bob@example.com", "ann@example.com"),
        ] as [(String, String)]
    )
    func doesNotFind(query: String, stored: String) {
        #expect(!matches(query: query, stored: stored))
    }

    @Test("a query with no searchable term gives no tokens")
    func emptyQuery() {
        #expect(index.queryTokens(for: " ,.; ", column: "people.name").isEmpty)
    }
}
