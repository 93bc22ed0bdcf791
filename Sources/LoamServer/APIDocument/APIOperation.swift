/// One documented API operation. `APIDocument.operations` lists them all; a test holds that list and the
/// real route table equal, so the document can neither miss a route nor describe one that does not exist.
struct APIOperation: Sendable {
    enum Property: Sendable {
        case string, integer, boolean, dateTime, uuid, strings

        var schema: [String: Any] {
            switch self {
            case .string: ["type": "string"]
            case .integer: ["type": "integer"]
            case .boolean: ["type": "boolean"]
            case .dateTime: ["type": "string", "format": "date-time"]
            case .uuid: ["type": "string", "format": "uuid"]
            case .strings: ["type": "array", "items": ["type": "string"]]
            }
        }
    }

    var method: String
    /// OpenAPI spelling: `/api/v1/people/{personID}`.
    var path: String
    var tag: String
    var summary: String
    /// Signed-in only (a bearer token); the few public operations say `false`.
    var authenticated = true
    var query: [String] = []
    var body: [(name: String, type: Property, required: Bool)] = []
    /// Success status and what it returns.
    var success: (Int, String) = (200, "OK")
    var errors: [Int] = []
}

extension APIOperation {
    init(
        _ method: String, _ path: String, _ tag: String, _ summary: String, authenticated: Bool = true,
        query: [String] = [],
        body: [(name: String, type: Property, required: Bool)] = [], success: (Int, String) = (200, "OK"),
        errors: [Int] = []
    ) {
        self.method = method
        self.path = path
        self.tag = tag
        self.summary = summary
        self.authenticated = authenticated
        self.query = query
        self.body = body
        self.success = success
        self.errors = errors
    }
}
