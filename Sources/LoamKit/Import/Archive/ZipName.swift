/// An entry's name as text. Zip names are UTF-8 when the entry says so (flag bit 11) and CP 437 by the
/// original specification otherwise, but many tools (macOS Archive Utility, Python, Java) write UTF-8 without
/// the flag, so bytes that are valid UTF-8 are read as UTF-8 either way.
enum ZipName {
    static func decode(_ bytes: ArraySlice<UInt8>, declaredUTF8: Bool) -> String {
        var text: String
        if declaredUTF8 || bytes.allSatisfy({ $0 < 0x80 }) {
            text = String(decoding: bytes, as: UTF8.self)
        } else if let utf8 = String(validating: bytes, as: UTF8.self) {
            text = utf8
        } else {
            text = String(
                String.UnicodeScalarView(bytes.map { $0 < 0x80 ? Unicode.Scalar($0) : cp437High[Int($0) - 0x80] }))
        }
        // Some Windows tools write `\` between folders; the specification says `/`.
        if text.contains("\\") { text = String(text.map { $0 == "\\" ? "/" : $0 }) }
        return text
    }

    private static let cp437High: [Unicode.Scalar] = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{00A0}"
            .unicodeScalars)
}
