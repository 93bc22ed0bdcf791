import Foundation

// One place for the base64 flavours Loam writes: padded standard (key files, like
// `openssl rand -base64 32`), unpadded standard (PHC strings) and unpadded base64url (tokens
// that travel in URLs and cookies). Decoding is tolerant of missing or present padding.
enum Base64 {
    static func standard(_ bytes: some DataProtocol, padded: Bool) -> String {
        let text = Data(bytes).base64EncodedString()
        return padded ? text : String(text.prefix { $0 != "=" })
    }

    static func url(_ bytes: some DataProtocol) -> String {
        var text = standard(bytes, padded: false)
        text = text.replacingOccurrences(of: "+", with: "-")
        return text.replacingOccurrences(of: "/", with: "_")
    }

    /// Decodes standard base64 with or without padding; nil for anything else.
    static func decodeStandard(_ text: some StringProtocol) -> Data? {
        var body = String(text)
        while body.hasSuffix("=") { body.removeLast() }
        // A remainder of 1 can never be valid base64; other remainders get their padding back.
        switch body.utf8.count % 4 {
        case 1: return nil
        case 2: body += "=="
        case 3: body += "="
        default: break
        }
        return Data(base64Encoded: body)
    }

    /// Decodes unpadded (or padded) base64url; nil for anything else.
    static func decodeURL(_ text: some StringProtocol) -> Data? {
        // Reject the standard alphabet's own symbols so one token has exactly one spelling.
        guard !text.contains("+"), !text.contains("/") else { return nil }
        let standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        return decodeStandard(standard)
    }
}

enum Hex {
    /// The value of one hex digit, either case; nil for any other byte.
    static func value(ofDigit byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
