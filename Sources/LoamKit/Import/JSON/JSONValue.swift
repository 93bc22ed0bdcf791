/// One small JSON value held whole: an entry of an export's list (a friend, an account followed), read
/// from a `JSONStream` while the list around it streams.
indirect enum JSONValue: Equatable {
    /// Members in the order written: an entry has a handful, and a list beats hashing each key.
    case object([Member])
    case array([JSONValue])
    case string(String)
    /// As written; see `JSONStream.Event.number`.
    case number(String)
    case bool(Bool)
    case null

    struct Member: Equatable {
        let key: String
        let value: JSONValue
    }

    /// The member's value; of a key written twice, the last (as Python's `json` and JavaScript read it).
    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.last { $0.key == key }?.value }
        return nil
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// A string, or a number as its digits: exports write ids either way.
    var text: String? {
        switch self {
        case .string(let text): text
        case .number(let digits): digits
        default: nil
        }
    }

    var number: Double? {
        guard case .number(let text) = self else { return nil }
        return Self.integer(text) ?? Double(text)
    }

    /// Digits alone (a Unix timestamp), at most 15 so the Double is exact: what `Double(text)` gives, without
    /// `strtod`, which was a tenth of a Facebook friend's time. Nil for any other text.
    private static func integer(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { bytes -> Double? in
            guard (1...15).contains(bytes.count) else { return nil }
            var value = 0
            for byte in bytes {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return Double(value)
        }
    }
}

extension JSONStream {
    /// What an entry of a list is, read by `nextEntry`.
    enum Entry {
        /// The entry whole, with the line it starts on.
        case value(JSONValue, line: Int)
        /// An entry of more than `eventLimit` events, skipped.
        case tooLarge(line: Int)
    }

    /// The next entry of the array the stream is inside, nil after its last (the `]` is consumed).
    func nextEntry(eventLimit: Int = 10_000) throws -> Entry? {
        entryLine = nil
        let first = try next()
        if first == .arrayEnd { return nil }
        let line = eventLine
        entryLine = line
        var budget = eventLimit
        let value = try self.value(from: first, budget: &budget)
        entryLine = nil
        return value.map { .value($0, line: line) } ?? .tooLarge(line: line)
    }

    /// The whole top-level value (a small file: X's manifest); nil when it has more than `eventLimit` events.
    func document(eventLimit: Int) throws -> JSONValue? {
        var budget = eventLimit
        return try value(from: next(), budget: &budget)
    }

    /// The value that starts with `first`; nil, with the rest skipped, when it needs more than `budget` events.
    private func value(from first: Event, budget: inout Int) throws -> JSONValue? {
        budget -= 1
        switch first {
        case .string(let text): return .string(text)
        case .number(let text): return .number(text)
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        case .objectStart:
            var members: [JSONValue.Member] = []
            // An export's entry has a handful of members: one allocation, not one per doubling from 1.
            members.reserveCapacity(4)
            while true {
                let event = try next()
                if event == .objectEnd { return .object(members) }
                guard case .key(let key) = event else {
                    throw Failure.damaged(line: eventLine, "a key where none can be")
                }
                guard budget > 0 else { return try skipRest() }
                guard let member = try value(from: next(), budget: &budget) else { return try skipRest() }
                members.append(JSONValue.Member(key: key, value: member))
            }
        case .arrayStart:
            var elements: [JSONValue] = []
            while true {
                guard budget > 0 else { return try skipRest() }
                let event = try next()
                if event == .arrayEnd { return .array(elements) }
                guard let element = try value(from: event, budget: &budget) else { return try skipRest() }
                elements.append(element)
            }
        case .objectEnd, .arrayEnd, .key, .end:
            throw Failure.damaged(line: eventLine, "a value missing")
        }
    }

    /// Skips to the end of the object or array the stream is in; nil for `value(from:budget:)`.
    private func skipRest() throws -> JSONValue? {
        let target = depth - 1
        while depth > target {
            if try next() == .end { break }
        }
        return nil
    }
}
