import Fluent
import Foundation
import LoamKit
import LoamServer
import NIOCore
import SQLKit
import Vapor

/// `loam-bench invite`: invitations created through the HTTP API of a running Loam (a real server on a
/// loopback port) until the invitation mail reaches a real SMTP server (aiosmtpd writing a Maildir,
/// started by `scripts/bench invite`). Latency runs from sending the API request to the server's receipt
/// of the mail. The seed's anchor: an invitation mail that took 5 to 7 minutes. Target: p99 under 2 s.
enum InviteBenchmark {
    static let usage = """
        usage: loam-bench invite [--count N] [--concurrency N] [--database-url postgres://…] [--timeout SECONDS]
        SMTP relay and its Maildir come from LOAM_TEST_SMTP_URL and LOAM_TEST_SMTP_MAILDIR (see scripts/bench).
        """

    struct Options: Sendable {
        var count = 200
        var concurrency = 4
        var databaseURL: String?
        var timeout = 120.0
        var smtpURL = ""
        var maildir = ""

        init(_ arguments: [String], environment: [String: String]) throws {
            var parser = BenchmarkArguments(arguments, usage: InviteBenchmark.usage)
            while let flag = parser.nextFlag() {
                switch flag {
                case "--count": count = Int(try parser.number())
                case "--concurrency": concurrency = Int(try parser.number())
                case "--database-url": databaseURL = try parser.string()
                case "--timeout": timeout = try parser.number()
                default: throw parser.unknown()
                }
            }
            let server = try BenchmarkSMTPServer(environment: environment, benchmark: "invite")
            self.smtpURL = server.url
            self.maildir = server.maildir
        }
    }

    static func run(_ arguments: [String]) throws {
        let options = try Options(arguments, environment: ProcessInfo.processInfo.environment)
        try runBlocking { try await benchmark(options) }
    }

    static let password = "bench-hayloft-otter-42"

    private static func benchmark(_ options: Options) async throws {
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "loam-bench-invite-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        var environment = [
            "LOAM_DATA_DIR": dataDirectory, "SMTP_URL": options.smtpURL, "LOAM_MASTER_KEY": MasterKey.generate().base64,
            "LOAM_LOG_LEVEL": "warning",
            // The benchmark sends far more invitations than a person would; the limits are configuration for this.
            "LOAM_INVITATIONS_PER_WORKSPACE_PER_HOUR": "1000000", "LOAM_INVITATIONS_PER_INVITER_PER_HOUR": "1000000",
        ]
        if let url = options.databaseURL { environment["DATABASE_URL"] = url }
        var configuration = try LoamConfiguration.load(environment: environment, port: 0)
        var schema: String?
        if case .postgres(let url, _) = configuration.database {
            schema = "loam_bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            configuration.database = .postgres(url: url, schema: schema)
        }
        let app = try await Application.make(Environment(name: "production", arguments: ["loam-bench"]))
        app.logger.logLevel = .warning
        do {
            try await configure(app, configuration)
            try await app.autoMigrate()
            try await app.startup()
            guard let port = app.http.server.shared.localAddress?.port else {
                throw BenchmarkFailure(description: "the server did not report its port")
            }
            let base = "http://127.0.0.1:\(port)"
            print(
                "Invite: \(options.count) invitations created through POST /api/v1/workspaces/{id}/invitations on a running "
                    + "Loam (\(options.concurrency) clients at a time), each until its mail reached aiosmtpd on loopback; "
                    + "database \(configuration.database.kind)")
            print("invite_count \(options.count)")

            let token = try await signedInInviter(app, base: base)
            let workspaceID =
                try await post(app, "\(base)/api/v1/workspaces", ["name": "Bench team"], token: token)["id"] as? String
                ?? ""
            let watcher = MaildirWatcher(
                directory: (options.maildir as NSString).appendingPathComponent("new"), marker: "invitee-")
            try await watcher.skipExisting()

            // One invitation first, before the clock starts: keys, connections and caches are warm.
            _ = try await post(
                app, "\(base)/api/v1/workspaces/\(workspaceID)/invitations", ["email": "invitee-w-0@bench.example"],
                token: token)
            guard try await watcher.waitFor(tag: "w", count: 1, timeout: options.timeout).count == 1 else {
                throw BenchmarkFailure(description: "the warm-up invitation did not reach the SMTP server")
            }

            let starts = CommitLog(count: options.count)
            let responses = CommitLog(count: options.count)
            let concurrency = min(options.concurrency, options.count)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<concurrency {
                    group.addTask {
                        for index in stride(from: lane, to: options.count, by: concurrency) {
                            await starts.record(index, at: Date())
                            let answer = try await post(
                                app, "\(base)/api/v1/workspaces/\(workspaceID)/invitations",
                                ["email": "invitee-i-\(index)@bench.example", "role": "member"], token: token)
                            guard answer["state"] as? String != nil else {
                                throw BenchmarkFailure(description: "invitation \(index) failed")
                            }
                            await responses.record(index, at: Date())
                        }
                    }
                }
                try await group.waitForAll()
            }
            let receipts = try await watcher.waitFor(tag: "i", count: options.count, timeout: options.timeout)
            guard receipts.count == options.count else {
                throw BenchmarkFailure(
                    description:
                        "only \(receipts.count) of \(options.count) invitation mails arrived within \(Int(options.timeout)) s"
                )
            }
            let startTimes = await starts.times
            let responseTimes = await responses.times
            var latencies: [Double] = []
            var apiLatencies: [Double] = []
            for index in 0..<options.count {
                guard let start = startTimes[index], let response = responseTimes[index], let receipt = receipts[index]
                else {
                    throw BenchmarkFailure(description: "invitation \(index) has no start, response or receipt time")
                }
                latencies.append(receipt - start)
                apiLatencies.append(response - start)
            }
            latencies.sort()
            apiLatencies.sort()
            func ms(_ values: [Double], _ p: Double) -> String {
                MailBenchmark.format(MailBenchmark.percentile(values, p) * 1000, digits: 1)
            }
            let met = MailBenchmark.percentile(latencies, 0.99) < 2
            print("  API answer (201): p50 \(ms(apiLatencies, 0.5)) ms, p99 \(ms(apiLatencies, 0.99)) ms")
            print(
                "  request to mail received: p50 \(ms(latencies, 0.5)) ms, p99 \(ms(latencies, 0.99)) ms, max \(ms(latencies, 1)) ms; "
                    + "p99 target (< 2000 ms) \(met ? "met" : "MISSED")")
            print("invite_api_p50_ms \(ms(apiLatencies, 0.5))")
            print("invite_api_p99_ms \(ms(apiLatencies, 0.99))")
            print("invite_latency_p50_ms \(ms(latencies, 0.5))")
            print("invite_latency_p99_ms \(ms(latencies, 0.99))")
            print("invite_latency_max_ms \(ms(latencies, 1))")
            print("invite_p99_target_met \(met ? "yes" : "no")")
        } catch {
            await tearDown(app, schema: schema)
            throw error
        }
        await tearDown(app, schema: schema)
    }

    /// A confirmed inviter (only they may invite) with a bearer token from the real sign-in endpoint.
    private static func signedInInviter(_ app: Application, base: String) async throws -> String {
        _ = try await post(
            app, "\(base)/api/v1/accounts",
            ["email": "bench-inviter@bench.example", "password": password, "name": "Bench Inviter"], token: nil)
        // The benchmark plays the mailbox owner who opened the confirmation link.
        guard let sql = app.db as? any SQLDatabase else { throw BenchmarkFailure(description: "no SQL database") }
        try await sql.raw(
            "UPDATE users SET email_verified_at = \(bind: Date()) WHERE email = \(bind: "bench-inviter@bench.example")"
        ).run()
        guard
            let token = try await post(
                app, "\(base)/api/v1/sessions", ["email": "bench-inviter@bench.example", "password": password],
                token: nil)["token"] as? String
        else { throw BenchmarkFailure(description: "the inviter could not sign in") }
        return token
    }

    private static func post(_ app: Application, _ url: String, _ body: [String: String], token: String?) async throws
        -> [String: Any]
    {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let token { headers.bearerAuthorization = BearerAuthorization(token: token) }
        let response = try await app.client.post(URI(string: url), headers: headers) { request in
            request.body = ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: body)))
        }
        guard (200..<300).contains(response.status.code), let buffer = response.body,
            let object = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any]
        else {
            throw BenchmarkFailure(
                description:
                    "POST \(url) answered \(response.status.code) \(response.body.map { String(buffer: $0) } ?? "")")
        }
        return object
    }

    private static func tearDown(_ app: Application, schema: String?) async {
        if let schema, let sql = app.db as? any SQLDatabase {
            try? await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
        }
        try? await app.asyncShutdown()
    }
}
