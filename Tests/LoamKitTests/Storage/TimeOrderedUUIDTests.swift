import Foundation
import Testing

@testable import LoamKit

/// Bulk writes rely on these identifiers being valid version 7 UUIDs that only ever increase, and on their
/// random part staying random: a broken generator would make keys collide or put rows back on random pages.
@Suite("Time-ordered UUIDs")
struct TimeOrderedUUIDTests {
    static func bytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }

    @Test("they carry version 7, the RFC 9562 variant and the current time in milliseconds")
    func layout() {
        let before = UInt64(Date().timeIntervalSince1970 * 1000)
        let id = TimeOrderedUUID.make()
        let after = UInt64(Date().timeIntervalSince1970 * 1000)
        let b = Self.bytes(id)
        #expect(b[6] >> 4 == 7)
        #expect(b[8] >> 6 == 0b10)
        let time = b[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        // The counter may have moved the timestamp on by a millisecond or two when it ran out.
        #expect(time >= before && time <= after + 2)
    }

    @Test("each is greater than the one before, byte by byte, as SQLite and PostgreSQL compare them")
    func increasing() {
        var previous = Self.bytes(TimeOrderedUUID.make())
        for _ in 0..<50_000 {
            let next = Self.bytes(TimeOrderedUUID.make())
            #expect(previous.lexicographicallyPrecedes(next))
            previous = next
        }
    }

    @Test("within one millisecond the counter counts up, and when it runs out the timestamp moves on")
    func counterOverflow() {
        var state = TimeOrderedUUID.State()
        var ids: [[UInt8]] = []
        for _ in 0..<5_000 { ids.append(Self.bytes(state.next(at: 1_000))) }
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) })
        let times = Set(ids.map { $0[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } })
        #expect(times.min() == 1_000)
        #expect(times.count >= 2, "5,000 identifiers cannot fit one millisecond's 4,096 counter values")
        // A clock that steps back does not make an identifier smaller.
        let back = Self.bytes(state.next(at: 10))
        #expect(ids.last!.lexicographicallyPrecedes(back))
    }

    @Test("the random part differs between identifiers made in the same millisecond")
    func randomTail() {
        var state = TimeOrderedUUID.State()
        let tails = (0..<2_000).map { _ in Array(Self.bytes(state.next(at: 42))[9...]) }
        #expect(Set(tails.map { $0.map { String($0) }.joined(separator: ",") }).count == tails.count)
        // Every byte value turns up somewhere in 2,000 × 7 random bytes unless the bytes are not random.
        #expect(Set(tails.joined()).count > 200)
    }
}

/// Sealed fields bind their row by the lowercase string: it must be exactly what `uuidString.lowercased()` gave, or
/// every field sealed before it would no longer open. SQLite stores the uppercase one: it must be `uuidString`, or
/// rows written by an import would not be found by Fluent's queries.
@Suite("UUID.lowercaseString and uppercaseString")
struct UUIDHexStringTests {
    @Test("they are uuidString lowercased and uuidString, for random, time-ordered and extreme identifiers")
    func sameAsFoundation() {
        let fixed = [
            UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)),
            UUID(uuidString: "6BA7B810-9DAD-11D1-80B4-00C04FD430C8")!,
        ]
        for id in fixed + (0..<1_000).map({ _ in UUID() }) + (0..<1_000).map({ _ in TimeOrderedUUID.make() }) {
            #expect(id.lowercaseString == id.uuidString.lowercased())
            #expect(id.uppercaseString == id.uuidString)
        }
        #expect(fixed[2].lowercaseString == "6ba7b810-9dad-11d1-80b4-00c04fd430c8")
        #expect(fixed[2].uppercaseString == "6BA7B810-9DAD-11D1-80B4-00C04FD430C8")
    }

    @Test(
        "UUID(canonicalText:) reads what uuidString and lowercaseString write, and refuses what UUID(uuidString:) refuses"
    )
    func parsing() {
        for id in (0..<1_000).map({ _ in UUID() }) + (0..<1_000).map({ _ in TimeOrderedUUID.make() }) {
            #expect(UUID(canonicalText: id.uuidString) == id)
            #expect(UUID(canonicalText: id.lowercaseString) == id)
        }
        let text = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
        for bad in [
            "", "6ba7b810", text + "0", String(text.dropLast()), text.replacingOccurrences(of: "-", with: "_"),
            "6ba7b810-9dad-11d1-80b4-00c04fd430cg", "6ba7b8109dad11d180b400c04fd430c8", "{\(text)}",
        ] {
            #expect(UUID(canonicalText: bad) == nil, "\(bad)")
            #expect(UUID(uuidString: bad) == nil, "Foundation agrees: \(bad)")
        }
        // Foundation on Linux reads this one as BA7B8100-…; the canonical form has no room for a space.
        #expect(UUID(canonicalText: " " + String(text.dropFirst())) == nil)
    }
}
