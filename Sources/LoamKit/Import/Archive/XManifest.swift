/// X's `data/manifest.js`: `window.__THAR_CONFIG = { …, "dataTypes": { "following": { "files": [ { "fileName":
/// "data/following.js", "globalName": "YTD.following.part0", "count": "1234" } ] }, … } }`. It names every part
/// of every list, so a list split in `-part1.js`, `-part2.js`… is read whole.
enum XManifest {
    /// The file names per data type; empty when the manifest cannot be read (the caller then looks for the
    /// files by name).
    static func files(in source: any ImportByteSource) -> [String: [String]] {
        guard let bytes = try? JSONExportText.firstBytes(of: source),
            let equals = bytes.firstIndex(of: UInt8(ascii: "="))
        else { return [:] }
        let stream = JSONStream(source: source, firstChunk: bytes, start: equals + 1)
        guard let document = try? stream.document(eventLimit: 1_000_000),
            case .object(let types)? = document["dataTypes"]
        else {
            return [:]
        }
        var files: [String: [String]] = [:]
        for member in types {
            guard case .array(let list)? = member.value["files"] else { continue }
            files[member.key] = list.compactMap { $0["fileName"]?.string }
        }
        return files
    }
}
