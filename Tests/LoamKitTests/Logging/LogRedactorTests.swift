import LoamKit
import Testing

@Suite("Log redaction")
struct LogRedactorTests {
    @Test(
        "Secrets are replaced wherever they appear",
        arguments: [
            ("signed in alice@example.com", "alice@example.com"),
            ("to: \"Dana O'Neil\" <dana.o-neil+crm@mail.example.co.uk>", "dana.o-neil+crm@mail.example.co.uk"),
            (#"{"email":"x@y.io","password":"hunter2hunter2"}"#, "hunter2hunter2"),
            ("password=hunter2&next=/", "hunter2"),
            (#"["Authorization": "Bearer abc.def.ghi-jkl"]"#, "abc.def.ghi-jkl"),
            ("authorization: Basic YWxpY2U6c2VjcmV0", "YWxpY2U6c2VjcmV0"),
            ("cookie: loam_session=s3cr3tvalue", "s3cr3tvalue"),
            (
                "link /invitations/q2Xv7cYl0bZ1m4k9PqRsTuVwXyZaBcDeFgHiJkLmNoP",
                "q2Xv7cYl0bZ1m4k9PqRsTuVwXyZaBcDeFgHiJkLmNoP"
            ),
            ("stored $pbkdf2-sha256$i=600000$c2FsdA$aGFzaA", "$pbkdf2-sha256$i=600000$c2FsdA$aGFzaA"),
            ("client_secret: 'abc123'", "abc123"),
        ])
    func redacts(line: String, secret: String) {
        let redacted = LogRedactor.redact(line)
        #expect(!redacted.contains(secret), "\(redacted)")
    }

    @Test("Ordinary lines, ids, counts and durations are left alone")
    func keepsOrdinaryText() {
        for line in [
            "request method=GET route=/people/:id status=200 duration_ms=3.1",
            "import finished people_created=12 rows_skipped=1",
            "request_id=5f0c6a8e-3b1d-4c7a-9a77-2c1b0d9e8f10",
            "Loam is listening on http://127.0.0.1:8080",
        ] {
            #expect(LogRedactor.redact(line) == line)
        }
    }
}

@Suite("Log redaction keeps what operators need")
struct LogRedactorKeepsTests {
    @Test("File names and paths made of times and UUIDs stay readable; a padded base64 key does not")
    func paths() {
        let path = "/var/lib/loam/outbox/20261123T160000Z-0b9e6f1a-3b1d-4c7a-9a77-2c1b0d9e8f10.eml"
        #expect(LogRedactor.redact("file=\(path)") == "file=\(path)")
        let key = "q2Xv7cYl0bZ1m4k9PqRs+uVwXyZaBcDeFgHiJkLmNoP/Q2Xv7cYl0bZ1m4k="
        #expect(!LogRedactor.redact("key \(key)").contains("q2Xv7cYl0bZ1m4k9"))
    }
}
