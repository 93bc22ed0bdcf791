import Foundation
import LoamKit
import MultipartKit
import NIOCore
import Vapor

/// Reads a `multipart/form-data` upload as it streams in, without ever holding the file: the form's
/// `csrf_token` (first in the form, so it arrives before the file), an optional `format`, then the file part,
/// whose bytes go straight into a `SealedSpool`. Nothing is kept in clear, in memory or on disk.
///
/// The form is checked before a byte of the file is written: a post without the page's token, or a file
/// part before the token, stops with 403 and leaves nothing behind.
final class ImportUploadReceiver {
    struct Received {
        var fileName: String
        var format: ImportFormat?
        var bytes: Int64
    }

    private let spoolPath: String
    private let spoolKey: [UInt8]
    private let maximumBytes: Int64
    private let checkToken: (String) -> Bool

    private var partName: String?
    private var partFileName: String?
    private var smallValue: [UInt8] = []
    private var tokenChecked = false
    private var format: ImportFormat?
    private var fileName: String?
    private var writer: SealedSpool.Writer?
    private var finishedFile = false
    private var failure: ImportError?

    init(spoolPath: String, spoolKey: [UInt8], maximumBytes: Int64, checkToken: @escaping (String) -> Bool) {
        self.spoolPath = spoolPath
        self.spoolKey = spoolKey
        self.maximumBytes = maximumBytes
        self.checkToken = checkToken
    }

    /// Reads the whole body. On any failure the spool file is removed before the error is thrown.
    func receive(_ request: Request) async throws(ImportError) -> Received {
        guard let boundary = request.headers.contentType?.parameters["boundary"],
            request.headers.contentType?.subType == "form-data",
            !boundary.isEmpty
        else { throw .uploadIncomplete }
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { [unowned self] name, value in header(name, value) }
        parser.onBody = { [unowned self] buffer in body(&buffer) }
        parser.onPartComplete = { [unowned self] in partComplete() }
        do {
            for try await chunk in request.body {
                try parser.execute(chunk)
                if failure != nil { break }
            }
        } catch {
            if failure == nil { failure = .uploadIncomplete }
        }
        if failure == nil, !finishedFile { failure = tokenChecked ? .noFile : .formTokenRejected }
        if let failure {
            discard()
            throw failure
        }
        return Received(fileName: fileName ?? "upload", format: format, bytes: writer?.plaintextBytes ?? 0)
    }

    /// Removes the spool (after a failure, or once the import has read it).
    func discard() {
        writer = nil
        try? FileManager.default.removeItem(atPath: spoolPath)
    }

    private func header(_ name: String, _ value: String) {
        guard name.lowercased() == "content-disposition" else { return }
        let parameters = Self.dispositionParameters(value)
        partName = parameters["name"]
        partFileName = parameters["filename"]
        smallValue = []
    }

    private func body(_ buffer: inout ByteBuffer) {
        guard failure == nil else { return }
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        switch partName {
        case CSRFMiddleware.fieldName, "format":
            // A token or a format name is short; anything longer is not this form.
            smallValue += bytes.prefix(max(0, 200 - smallValue.count))
        case "file":
            guard tokenChecked else {
                failure = .formTokenRejected
                return
            }
            do {
                try openSpool().append(bytes)
                if let written = writer?.plaintextBytes, written > maximumBytes {
                    failure = .tooLarge(megabytes: Int(maximumBytes >> 20))
                }
            } catch {
                failure = .notStored(reason: String(describing: error))
            }
        default:
            break
        }
    }

    private func partComplete() {
        guard failure == nil else { return }
        switch partName {
        case CSRFMiddleware.fieldName:
            tokenChecked = checkToken(String(decoding: smallValue, as: UTF8.self))
            if !tokenChecked { failure = .formTokenRejected }
        case "format":
            let text = String(decoding: smallValue, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            format = ImportFormat(rawValue: text)
        case "file":
            guard tokenChecked else {
                failure = .formTokenRejected
                return
            }
            do {
                // An empty file part is still a file, with no bytes.
                try openSpool().finish()
                finishedFile = true
            } catch {
                failure = .notStored(reason: String(describing: error))
            }
        default:
            break
        }
        partName = nil
    }

    /// The spool, created with the first bytes of the file part.
    private func openSpool() throws -> SealedSpool.Writer {
        if let writer { return writer }
        let created = try SealedSpool.Writer(path: spoolPath, key: spoolKey)
        writer = created
        fileName = Self.cleanFileName(partFileName)
        return created
    }

    /// `form-data; name="file"; filename="All mail.mbox"` → ["name": "file", "filename": "All mail.mbox"].
    static func dispositionParameters(_ value: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(value)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...].drop(while: { $0 == " " })
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var after = rest[rest.index(after: equals)...]
            let parsed: String
            if after.first == "\"" {
                after = after.dropFirst()
                var text = ""
                var escaped = false
                var end = after.endIndex
                for index in after.indices {
                    let character = after[index]
                    if escaped {
                        text.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        end = index
                        break
                    } else {
                        text.append(character)
                    }
                }
                parsed = text
                rest = end < after.endIndex ? after[after.index(after: end)...] : ""
            } else {
                let end = after.firstIndex(of: ";") ?? after.endIndex
                parsed = after[..<end].trimmingCharacters(in: .whitespaces)
                rest = after[end...]
            }
            result[key] = parsed
        }
        return result
    }

    /// Only the last path component (some browsers send a full Windows path), without control characters,
    /// at most 200 characters.
    static func cleanFileName(_ name: String?) -> String {
        let last = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
            .prefix(200)
        return clean.isEmpty ? "upload" : String(clean)
    }
}
