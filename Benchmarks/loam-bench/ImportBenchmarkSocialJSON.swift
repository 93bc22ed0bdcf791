import Foundation

/// Writes the two JSON exports of the benchmark as Facebook and X write them (Tests/Fixtures/facebook and
/// Tests/Fixtures/x say where each quirk is seen).
enum ImportBenchmarkSocialJSON {
    /// Facebook's `connections/friends/your_friends.json`: two-space indent, newest friend first, and every byte
    /// of a non-ASCII name's UTF-8 as its own `\u00XX` escape ("José" as `Jos\u00c3\u00a9`), the mojibake every
    /// Facebook JSON export has. Returns the file's size.
    static func writeFacebook(path: String, friends: Int, corpus: ImportBenchmarkCorpus, seed: UInt64) throws -> Int64 {
        var random = SplitMix64(seed: seed)
        let writer = try BenchmarkFileWriter(path: path)
        try writer.write("{\n  \"friends_v2\": [")
        var befriended = 1_733_000_000  // December 2024, going back.
        for index in 0..<friends {
            let person = index < corpus.people.count ? corpus.people[index] : random.pick(corpus.people)
            befriended -= random.below(2_000)
            // Now and then a friend whose date Facebook lost: 0, which the reader takes as unknown.
            let timestamp = random.chance(1) ? 0 : befriended
            try writer.write(
                (index == 0 ? "\n" : ",\n") + "    {\n      \"name\": \"\(facebookEscaped(person.name))\",\n"
                    + "      \"timestamp\": \(timestamp)\n    }")
        }
        try writer.write("\n  ]\n}\n")
        try writer.close()
        return writer.bytesWritten
    }

    /// `text` as a JSON string body the way Facebook writes it: ASCII as it is (quotes and backslashes escaped), each
    /// UTF-8 byte above 0x7F as `\u00xx`.
    static func facebookEscaped(_ text: String) -> String {
        var escaped = ""
        for byte in text.utf8 {
            switch byte {
            case 0x22: escaped += "\\\""
            case 0x5C: escaped += "\\\\"
            case 0x80...: escaped += "\\u00" + String(byte, radix: 16)
            default: escaped.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return escaped
    }

    /// An X archive's `data/following.js`: the `window.YTD.following.part0 = ` prefix, `"key" : value` with a
    /// space before the colon, ids as strings, most of them the 19 digits of accounts made since 2022.
    static func writeX(path: String, accounts: Int, seed: UInt64) throws -> Int64 {
        var random = SplitMix64(seed: seed)
        let writer = try BenchmarkFileWriter(path: path)
        try writer.write("window.YTD.following.part0 = [")
        for index in 0..<accounts {
            let id =
                random.chance(60)
                ? 1_500_000_000_000_000_000 + random.below(300_000_000_000_000_000)
                : 10_000 + random.below(3_000_000_000)
            try writer.write(
                (index == 0 ? "\n" : ",\n") + "  {\n    \"following\" : {\n      \"accountId\" : \"\(id)\",\n"
                    + "      \"userLink\" : \"https://twitter.com/intent/user?user_id=\(id)\"\n    }\n  }")
        }
        try writer.write("\n]")
        try writer.close()
        return writer.bytesWritten
    }
}
