import Foundation

/// The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`.
enum APIDocument {
    static let operations: [APIOperation] = accounts + people + workspaces

    private static let accounts: [APIOperation] = [
        .init("GET", "/api/v1/openapi.json", "API", "This document", authenticated: false),
        .init(
            "POST", "/api/v1/accounts", "Accounts", "Sign up: mails a link that sets the password",
            authenticated: false,
            body: [("email", .string, true), ("name", .string, true)],
            success: (202, "Accepted, whether or not the address has an account"), errors: [422, 429]),
        .init(
            "POST", "/api/v1/accounts/verify", "Accounts",
            "Confirm the address from the mail's link, set the password, sign in",
            authenticated: false, body: [("token", .string, true), ("password", .string, true)],
            success: (201, "token, expires_at, session_id"), errors: [410, 422, 503]),
        .init(
            "POST", "/api/v1/account/recovery", "Accounts", "\"Can't sign in?\": mail how to sign in",
            authenticated: false,
            body: [("email", .string, true)], success: (202, "Accepted, whether or not the address has an account"),
            errors: [429]),
        .init("GET", "/api/v1/account", "Accounts", "The signed-in account with its sign-in methods"),
        .init(
            "PATCH", "/api/v1/account", "Accounts", "Settings",
            body: [("name", .string, false), ("time_zone", .string, false), ("phone_region", .string, false)],
            errors: [422]),
        .init(
            "POST", "/api/v1/account/password", "Accounts", "Change the password (signs out other sessions)",
            body: [("current_password", .string, true), ("new_password", .string, true)], errors: [403, 422, 429]),
        .init(
            "POST", "/api/v1/account/verification", "Accounts", "Send the confirmation mail again",
            success: (202, "Accepted"), errors: [429]),
        .init("GET", "/api/v1/account/audit", "Accounts", "The account's security log", query: ["limit", "cursor"]),
        .init(
            "POST", "/api/v1/account/email", "Accounts", "Ask to change the address (confirmed at the new one)",
            body: [("new_email", .string, true), ("current_password", .string, false)], success: (202, "Accepted"),
            errors: [403, 422, 429]),
        .init(
            "POST", "/api/v1/account/email/confirm", "Accounts", "Confirm an address change", authenticated: false,
            body: [("token", .string, true)], errors: [404, 410]),
        .init(
            "POST", "/api/v1/account/email/undo", "Accounts", "Undo an address change from the old address",
            authenticated: false,
            body: [("token", .string, true)], errors: [404, 410]),
        .init(
            "POST", "/api/v1/sessions", "Sessions", "Sign in: a bearer token", authenticated: false,
            body: [("email", .string, true), ("password", .string, true)],
            success: (201, "token, expires_at, session_id"), errors: [401, 403, 429, 503]),
        .init("GET", "/api/v1/sessions", "Sessions", "Your sessions (devices)"),
        .init("DELETE", "/api/v1/sessions/current", "Sessions", "Sign out", success: (204, "Signed out")),
        .init("POST", "/api/v1/sessions/revoke-others", "Sessions", "Sign out everywhere else"),
        .init(
            "DELETE", "/api/v1/sessions/{id}", "Sessions", "Sign out one device", success: (204, "Signed out"),
            errors: [404]),
        .init(
            "GET", "/api/v1/account/sign-in-methods", "Sign-in methods",
            "Password and linked providers, with the providers not yet linked"),
        .init(
            "POST", "/api/v1/account/sign-in-methods/password", "Sign-in methods", "Add a password",
            body: [("new_password", .string, true), ("current_password", .string, false)], success: (201, "Added"),
            errors: [403, 409, 422]),
        .init(
            "DELETE", "/api/v1/account/sign-in-methods/{method}", "Sign-in methods",
            "Remove a method (`password` or a linked provider's id)",
            success: (204, "Removed"), errors: [403, 404, 409]),
    ]

    private static let people: [APIOperation] = [
        .init(
            "GET", "/api/v1/people", "People", "Your people",
            query: ["limit", "cursor", "sort", "group", "archived", "favourites"], errors: [422]),
        .init(
            "POST", "/api/v1/people", "People",
            "Add a person; 200 with merged: true when an address or number already names one",
            body: [
                ("name", .string, true), ("emails", .strings, false), ("phones", .strings, false),
                ("company", .string, false), ("title", .string, false),
            ],
            success: (201, "The new person"), errors: [409, 422]),
        .init(
            "GET", "/api/v1/people/{personID}", "People", "A person with identities, groups and sources", errors: [404]),
        .init(
            "PATCH", "/api/v1/people/{personID}", "People",
            "Edit, favourite or archive (the user's edits win over imports)",
            body: [
                ("name", .string, false), ("company", .string, false), ("title", .string, false),
                ("is_favourite", .boolean, false), ("archived", .boolean, false),
            ],
            errors: [404, 422]),
        .init(
            "DELETE", "/api/v1/people/{personID}", "People", "Delete a person and everything about them",
            success: (204, "Deleted"), errors: [404]),
        .init("GET", "/api/v1/people/{personID}/identities", "People", "A person's identifiers", errors: [404]),
        .init(
            "POST", "/api/v1/people/{personID}/identities", "People",
            "Add an identifier (email, phone, handle, profile_url)",
            body: [("kind", .string, true), ("value", .string, true)], success: (201, "The identifier"),
            errors: [404, 409, 422]),
        .init(
            "DELETE", "/api/v1/people/{personID}/identities/{identityID}", "People", "Remove an identifier",
            success: (204, "Removed"), errors: [404]),
        .init("GET", "/api/v1/people/{personID}/notes", "Notes", "Your notes on a person, newest first", errors: [404]),
        .init(
            "POST", "/api/v1/people/{personID}/notes", "Notes", "Add a note (sealed at rest)",
            body: [("body", .string, true)],
            success: (201, "The note"), errors: [404, 422]),
        .init(
            "PATCH", "/api/v1/people/{personID}/notes/{noteID}", "Notes", "Rewrite a note",
            body: [("body", .string, true)], errors: [404, 422]),
        .init(
            "DELETE", "/api/v1/people/{personID}/notes/{noteID}", "Notes", "Delete a note", success: (204, "Deleted"),
            errors: [404]),
        .init(
            "GET", "/api/v1/people/{personID}/timeline", "Timeline",
            "Interactions in time order, first and last contact, counts",
            query: ["limit", "cursor", "order"], errors: [404, 422]),
        .init(
            "POST", "/api/v1/people/{personID}/interactions", "Timeline",
            "Record a mail, meeting, day of messages or connection",
            body: [
                ("kind", .string, true), ("occurred_at", .dateTime, true), ("subject", .string, false),
                ("description", .string, false),
                ("attendees", .strings, false), ("count", .integer, false), ("key", .string, false),
            ],
            success: (201, "The interaction; 200 when its key was seen before"), errors: [404, 422]),
        .init("GET", "/api/v1/duplicates", "Duplicates", "Likely duplicates, each with its reason"),
        .init(
            "POST", "/api/v1/people/{personID}/merge", "Duplicates", "Merge another person into this one",
            body: [("other_id", .uuid, true)],
            success: (201, "The merge (its id undoes it)"), errors: [404, 422]),
        .init(
            "POST", "/api/v1/people/{personID}/not-same", "Duplicates", "Mark two people as not the same",
            body: [("other_id", .uuid, true)],
            success: (204, "Remembered"), errors: [404, 422]),
        .init("GET", "/api/v1/merges", "Duplicates", "Recent merges"),
        .init("POST", "/api/v1/merges/{mergeID}/undo", "Duplicates", "Undo a merge", errors: [404, 409]),
        .init("GET", "/api/v1/groups", "Groups", "Your groups with their sizes"),
        .init(
            "POST", "/api/v1/groups", "Groups", "Create a group", body: [("name", .string, true)],
            success: (201, "The group"), errors: [409, 422]),
        .init("GET", "/api/v1/groups/{groupID}", "Groups", "A group", errors: [404]),
        .init(
            "PATCH", "/api/v1/groups/{groupID}", "Groups", "Rename a group", body: [("name", .string, true)],
            errors: [404, 409, 422]),
        .init(
            "DELETE", "/api/v1/groups/{groupID}", "Groups", "Delete a group (its people stay)",
            success: (204, "Deleted"), errors: [404]),
        .init(
            "PUT", "/api/v1/groups/{groupID}/people/{personID}", "Groups", "Put a person in a group",
            success: (204, "Done"), errors: [404]),
        .init(
            "DELETE", "/api/v1/groups/{groupID}/people/{personID}", "Groups", "Take a person out of a group",
            success: (204, "Done"), errors: [404]),
    ]

    private static let workspaces: [APIOperation] = [
        .init("GET", "/api/v1/workspaces", "Workspaces", "Your workspaces with your role"),
        .init(
            "POST", "/api/v1/workspaces", "Workspaces", "Create a workspace (you are its owner)",
            body: [("name", .string, true)],
            success: (201, "The workspace"), errors: [422]),
        .init("GET", "/api/v1/workspaces/{workspaceID}", "Workspaces", "A workspace you are in", errors: [404]),
        .init(
            "PATCH", "/api/v1/workspaces/{workspaceID}", "Workspaces", "Rename (admins and the owner)",
            body: [("name", .string, true)],
            errors: [403, 404, 422]),
        .init(
            "DELETE", "/api/v1/workspaces/{workspaceID}", "Workspaces", "Delete (the owner); destroys its data key",
            success: (204, "Deleted"),
            errors: [403, 404]),
        .init(
            "GET", "/api/v1/workspaces/{workspaceID}/members", "Workspaces", "Members and their roles", errors: [404]),
        .init(
            "PATCH", "/api/v1/workspaces/{workspaceID}/members/{userID}", "Workspaces",
            "Change a member's role (member or admin)",
            body: [("role", .string, true)], success: (204, "Changed"), errors: [403, 404, 409, 422]),
        .init(
            "DELETE", "/api/v1/workspaces/{workspaceID}/members/{userID}", "Workspaces",
            "Remove a member; your own id leaves",
            success: (204, "Removed"), errors: [403, 404, 409]),
        .init(
            "POST", "/api/v1/workspaces/{workspaceID}/transfer", "Workspaces", "Make another member the owner",
            body: [("user_id", .uuid, true)],
            success: (204, "Transferred"), errors: [403, 404]),
        .init(
            "GET", "/api/v1/workspaces/{workspaceID}/invitations", "Invitations",
            "Invitations with their states and links", errors: [403, 404]),
        .init(
            "POST", "/api/v1/workspaces/{workspaceID}/invitations", "Invitations",
            "Invite an address; the mail leaves within seconds",
            body: [("email", .string, true), ("role", .string, false)], success: (201, "The invitation"),
            errors: [403, 404, 409, 422, 429]),
        .init(
            "POST", "/api/v1/workspaces/{workspaceID}/invitations/{invitationID}/resend", "Invitations",
            "Send again with the same link, valid 7 days from now", errors: [403, 404, 409, 429]),
        .init(
            "POST", "/api/v1/workspaces/{workspaceID}/invitations/{invitationID}/revoke", "Invitations",
            "Withdraw an invitation",
            errors: [403, 404, 409]),
        .init(
            "POST", "/api/v1/invitations/{token}/accept", "Invitations", "Join with the invitation's link token",
            errors: [403, 404, 409]),
        .init(
            "GET", "/api/v1/workspaces/{workspaceID}/groups", "Sharing", "Groups shared into the workspace",
            errors: [404]),
        .init(
            "POST", "/api/v1/workspaces/{workspaceID}/groups", "Sharing", "Share one of your groups into the workspace",
            body: [("group_id", .uuid, true)], success: (201, "Shared"), errors: [404]),
        .init(
            "DELETE", "/api/v1/workspaces/{workspaceID}/groups/{groupID}", "Sharing",
            "Stop sharing a group (its sharer or an admin)",
            success: (204, "No longer shared"), errors: [403, 404]),
        .init(
            "GET", "/api/v1/workspaces/{workspaceID}/people", "Sharing",
            "People members can see: names, companies, titles; never contact details",
            errors: [404]),
        .init(
            "GET", "/api/v1/workspaces/{workspaceID}/people/{personID}", "Sharing",
            "A shared person with the workspace's notes", errors: [404]),
        .init(
            "GET", "/api/v1/workspaces/{workspaceID}/people/{personID}/notes", "Sharing",
            "The workspace's notes on a shared person", errors: [404]),
        .init(
            "POST", "/api/v1/workspaces/{workspaceID}/people/{personID}/notes", "Sharing",
            "Write a note every member can read (sealed with the workspace's key)", body: [("body", .string, true)],
            success: (201, "The note"), errors: [404, 422]),
    ]

    /// The document as JSON.
    static func json() throws -> Data {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            paths[operation.path, default: [:]][operation.method.lowercased()] = describe(operation)
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "Loam API", "version": "1",
                "description":
                    "Your people, notes and network. Errors are RFC 9457 problem documents; lists answer {items, next_cursor}.",
            ],
            "servers": [["url": "/"]],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": [
                    "Problem": [
                        "type": "object",
                        "properties": [
                            "type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"],
                            "detail": ["type": "string"], "instance": ["type": "string"],
                            "request_id": ["type": "string"],
                        ],
                    ]
                ],
            ],
        ]
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
    }

    private static func describe(_ operation: APIOperation) -> [String: Any] {
        var parameters: [[String: Any]] = pathParameters(operation.path).map {
            ["name": $0, "in": "path", "required": true, "schema": ["type": "string"]]
        }
        parameters += operation.query.map {
            ["name": $0, "in": "query", "required": false, "schema": ["type": "string"]]
        }
        var responses: [String: Any] = [String(operation.success.0): ["description": operation.success.1]]
        for status in operation.errors + (operation.authenticated ? [401] : []) {
            responses[String(status)] = [
                "description": "A problem document",
                "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]],
            ]
        }
        var result: [String: Any] = [
            "summary": operation.summary, "tags": [operation.tag], "responses": responses,
            "operationId": operation.method.lowercased()
                + operation.path.replacingOccurrences(of: "/api/v1", with: "")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "{", with: "").replacingOccurrences(
                    of: "}", with: ""),
            "security": operation.authenticated ? [["bearer": [String]()]] : [[String: [String]]](),
        ]
        if !parameters.isEmpty { result["parameters"] = parameters }
        if !operation.body.isEmpty {
            let properties = Dictionary(uniqueKeysWithValues: operation.body.map { ($0.name, $0.type.schema) })
            result["requestBody"] = [
                "required": true,
                "content": [
                    "application/json": [
                        "schema": [
                            "type": "object", "properties": properties,
                            "required": operation.body.filter(\.required).map(\.name),
                        ]
                    ]
                ],
            ]
        }
        return result
    }

    static func pathParameters(_ path: String) -> [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }
}
