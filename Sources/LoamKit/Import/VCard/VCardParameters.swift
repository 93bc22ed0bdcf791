/// A property's parameters (`;TYPE=work;CHARSET=UTF-8…`), kept as the header's bytes and read only when the
/// builder asks for one: most properties need one or two of them, and building every name and value as a String
/// (and an array of them) for every line was a good part of the reader's allocations.
///
/// Each `;`-separated piece outside double quotes is one parameter; its name is upper-cased and its value kept as
/// written, trimmed of spaces and one pair of surrounding quotes; 2.1's bare parameters (`TEL;CELL;PREF:`) have
/// the name `""`. An ASCII piece is read on bytes; any other goes through `String` exactly as it always has.
struct VCardParameters {
    /// From just after the property name's `;` to just before the colon; empty when there are none.
    let header: ArraySlice<UInt8>

    /// One parameter's value, as bytes when the piece was ASCII.
    enum Value {
        case ascii(ArraySlice<UInt8>)
        case text(String)

        var string: String {
            switch self {
            case .ascii(let bytes): VCardBytes.string(bytes)
            case .text(let text): text
            }
        }

        /// The comma-separated items (`TYPE=a,b`), trimmed and lower-cased, empty ones left out, in order;
        /// stops at the first for which `body` returns true and hands it back.
        func firstItem(where body: (String) -> Bool) -> String? {
            switch self {
            case .ascii(let bytes):
                for item in bytes.split(separator: 0x2C) {
                    let item = VCardBytes.string(VCardBytes.trimmingSpaces(item), mapping: VCardBytes.lowercased)
                    if body(item) { return item }
                }
            case .text(let text):
                for item in text.split(separator: ",") {
                    let item = item.trimmingSpaces().lowercased()
                    if body(item) { return item }
                }
            }
            return nil
        }
    }

    /// Whether the header may hold `word` (upper-case ASCII) in a name or value: an ASCII header without the
    /// bytes cannot, which spares most lines a look at each parameter; any other is looked at.
    func mayHold(_ word: StaticString) -> Bool {
        !header.isEmpty && (!VCardBytes.isASCII(header) || VCardBytes.containsIgnoringCase(header, word))
    }

    /// The value of each parameter named `name` (upper-case), in order, until `body` returns true.
    func forEachValue(named name: StaticString, _ body: (Value) -> Bool) {
        if name.utf8CodeUnitCount > 0, !mayHold(name) { return }
        var start = header.startIndex
        var quoted = false
        for index in header.indices {
            let byte = header[index]
            if byte == 0x22 { quoted.toggle() }
            if byte == 0x3B, !quoted {
                if let value = Self.value(of: header[start..<index], ifNamed: name), body(value) { return }
                start = index + 1
            }
        }
        if let value = Self.value(of: header[start...], ifNamed: name) { _ = body(value) }
    }

    /// The first value of the parameter `name`, as written.
    func first(_ name: StaticString) -> String? {
        var found: String?
        forEachValue(named: name) { value in
            found = value.string
            return true
        }
        return found
    }

    /// The first item of the parameters `name` that `body` accepts.
    func firstItem(of name: StaticString, where body: (String) -> Bool) -> String? {
        var found: String?
        forEachValue(named: name) { value in
            found = value.firstItem(where: body)
            return found != nil
        }
        return found
    }

    /// The piece's value when its name is `name`.
    private static func value(of piece: ArraySlice<UInt8>, ifNamed name: StaticString) -> Value? {
        guard VCardBytes.isASCII(piece) else { return textValue(of: piece, ifNamed: name) }
        let piece = VCardBytes.trimmingSpaces(piece)
        if piece.isEmpty { return nil }
        guard let equals = piece.firstIndex(of: 0x3D) else {
            return name.utf8CodeUnitCount == 0 ? .ascii(piece) : nil
        }
        guard VCardBytes.equalsIgnoringCase(VCardBytes.trimmingSpaces(piece[..<equals]), name) else { return nil }
        var value = VCardBytes.trimmingSpaces(piece[(equals + 1)...])
        if value.count >= 2, value.first == 0x22, value.last == 0x22 { value = value.dropFirst().dropLast() }
        return .ascii(value)
    }

    /// `value(of:ifNamed:)` for a piece with other bytes than ASCII: its spaces may be Unicode's, its `=` may carry
    /// a combining mark, its name may upper-case to ASCII (`ı` → `I`).
    private static func textValue(of bytes: ArraySlice<UInt8>, ifNamed name: StaticString) -> Value? {
        let piece = String(decoding: bytes, as: UTF8.self).trimmingSpaces()
        if piece.isEmpty { return nil }
        guard let equals = piece.firstIndex(of: "=") else {
            return name.utf8CodeUnitCount == 0 ? .text(piece) : nil
        }
        guard piece[..<equals].trimmingSpaces().uppercased() == name.description else { return nil }
        var value = piece[piece.index(after: equals)...].trimmingSpaces()
        if value.utf8.count >= 2, value.utf8.first == 0x22, value.utf8.last == 0x22 {
            value = String(value.dropFirst().dropLast())
        }
        return .text(value)
    }
}
