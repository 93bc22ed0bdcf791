import Foundation
import Vapor

/// The list shape of every API list: `{"items": […], "next_cursor": …}`.
struct Page<Item: Content>: Content {
    var items: [Item]
    var nextCursor: String?
}

/// The one cursor scheme of every list: the position after the last item of a page (a sort key and an id, or an
/// offset), as base64url JSON tagged with the list it belongs to. Clients treat it as opaque; a cursor that this
/// server did not give out for this list answers 422 on every list alike.
enum ListCursor {
    private struct Envelope<Position: Codable>: Codable {
        var list: String
        var position: Position
    }

    static func encode<Position: Codable>(_ position: Position, list: String) -> String {
        let data = (try? JSONEncoder().encode(Envelope(list: list, position: position))) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/", with: "_"
        )
        .replacingOccurrences(of: "=", with: "")
    }

    /// The position in `text`; `nil` for no cursor (absent or empty), `ListCursorError` for anything else.
    static func decode<Position: Codable>(_ text: String?, list: String, as type: Position.Type = Position.self) throws
        -> Position?
    {
        guard let text, !text.isEmpty else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.count <= 4_096, let data = Data(base64Encoded: base64),
            let envelope = try? JSONDecoder().decode(Envelope<Position>.self, from: data), envelope.list == list
        else { throw ListCursorError() }
        return envelope.position
    }
}

/// A cursor that is not one this server gave out for this list.
struct ListCursorError: LoamError {
    var status: HTTPResponseStatus { .unprocessableEntity }
    var problemType: ProblemType { .validation }
    var detail: String { "The cursor is not one this server gave out for this list." }
}

extension Request {
    /// `?cursor=` as given, or nil; decode it with `ListCursor.decode`.
    var listCursor: String? { try? query.get(String.self, at: "cursor") }

    /// `?limit=`, from 1 to `maximum`, `fallback` when absent.
    func listLimit(default fallback: Int = 50, maximum: Int = 200) -> Int {
        min(max((try? query.get(Int.self, at: "limit")) ?? fallback, 1), maximum)
    }
}
