import Fluent
import Foundation
import LoamKit
import LoamServer
import SQLKit
import Vapor

/// `loam-bench mail`: mails queued through the outbox, each in its own transaction, and delivered by
/// the in-process worker to a real SMTP server on loopback (aiosmtpd writing a Maildir, started by
/// `scripts/bench mail`). Latency runs from the enqueuing transaction's commit to the server's
/// receipt, which is the modification time of the file the server wrote for the mail.
///
/// Two runs on one application: a burst (all mails queued back to back by a few concurrent tasks,
/// which measures throughput) and a paced run at a steady rate (what a live app sees, where the
/// 1-second p99 target applies without a backlog).
enum MailBenchmark {
    static let usage = """
        usage: loam-bench mail [--count N] [--concurrency N] [--rate PER_SEC] [--worker-concurrency N]
                               [--database-url postgres://…] [--timeout SECONDS]
        SMTP relay and its Maildir come from LOAM_TEST_SMTP_URL and LOAM_TEST_SMTP_MAILDIR (see scripts/bench).
        --rate 0 skips the paced run.
        """

    struct Options: Sendable {
        var count = 1000
        var concurrency = 4
        var pacedRate = 100.0
        var workerConcurrency = 16
        var databaseURL: String?
        var timeout = 120.0
        var smtpURL = ""
        var maildir = ""

        init(_ arguments: [String], environment: [String: String]) throws {
            var parser = BenchmarkArguments(arguments, usage: MailBenchmark.usage)
            while let flag = parser.nextFlag() {
                switch flag {
                case "--count": count = Int(try parser.number())
                case "--concurrency": concurrency = Int(try parser.number())
                case "--rate": pacedRate = try parser.number(atLeast: 0)
                case "--worker-concurrency": workerConcurrency = Int(try parser.number())
                case "--database-url": databaseURL = try parser.string()
                case "--timeout": timeout = try parser.number()
                default: throw parser.unknown()
                }
            }
            let server = try BenchmarkSMTPServer(environment: environment, benchmark: "mail")
            self.smtpURL = server.url
            self.maildir = server.maildir
        }
    }

    static func run(_ arguments: [String]) throws {
        let options = try Options(arguments, environment: ProcessInfo.processInfo.environment)
        try runBlocking { try await benchmark(options) }
    }

    // MARK: - Setup

    private static func benchmark(_ options: Options) async throws {
        let dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("loam-bench-mail-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }

        var environment = [
            "LOAM_DATA_DIR": dataDirectory,
            "SMTP_URL": options.smtpURL,
            "LOAM_MASTER_KEY": MasterKey.generate().base64,
            "LOAM_WORKER_CONCURRENCY": String(options.workerConcurrency),
            "LOAM_LOG_LEVEL": "warning",
        ]
        if let url = options.databaseURL { environment["DATABASE_URL"] = url }
        // SMTP settings are internal to LoamServer: load(environment:) is the way to set them.
        var configuration = try LoamConfiguration.load(environment: environment)
        // The worker is started by hand once the database is migrated; the app never boots a server.
        configuration.runsWorker = false
        var schema: String?
        if case .postgres(let url, _) = configuration.database {
            schema = "loam_bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            configuration.database = .postgres(url: url, schema: schema)
        }

        let app = try await Application.make(Environment(name: "production", arguments: ["loam-bench"]))
        // Before configure: the job queue and the SMTP client copy this logger. Per-mail info lines would
        // flood the output and cost time.
        app.logger.logLevel = .warning
        do {
            try await configure(app, configuration)
            try await app.autoMigrate()
            app.jobWorker.start()

            print(
                "Mail: \(options.count) mails, each queued in its own transaction, delivered by the in-process worker "
                    + "(concurrency \(options.workerConcurrency)) over SMTP to aiosmtpd on loopback; "
                    + "database \(configuration.database.kind)")
            print("mail_count \(options.count)")
            print("mail_worker_concurrency \(options.workerConcurrency)")

            let watcher = MaildirWatcher(directory: (options.maildir as NSString).appendingPathComponent("new"))
            try await watcher.skipExisting()

            // One mail first, delivered before the clock starts: it creates the outbox's data key (which the
            // keyring then caches) and opens the connections, so the runs measure a warm application.
            _ = try await app.db.writeTransaction { tx in
                try await app.mailer.enqueue(
                    MailDraft(
                        to: [try MailAddress("someone@example.com")], subject: "Loam bench warm-up",
                        body: "\(MaildirWatcher.marker)w-0\n", category: "benchmark"),
                    on: tx)
            }
            guard try await watcher.waitFor(tag: "w", count: 1, timeout: options.timeout).count == 1 else {
                throw BenchmarkFailure(description: "the warm-up mail did not reach the SMTP server")
            }

            let burst = try await measureRun(
                app, tag: "b", options: options, watcher: watcher,
                description:
                    "Burst: \(options.count) mails queued back to back by \(options.concurrency) concurrent tasks",
                pacing: nil)
            report(burst, prefix: "mail")

            if options.pacedRate > 0 {
                let paced = try await measureRun(
                    app, tag: "p", options: options, watcher: watcher,
                    description:
                        "Paced: \(options.count) mails queued at \(format(options.pacedRate, digits: 1)) per second",
                    pacing: options.pacedRate)
                print("mail_paced_rate \(format(options.pacedRate, digits: 1))")
                report(paced, prefix: "mail_paced")
            }
        } catch {
            await tearDown(app, schema: schema)
            throw error
        }
        await tearDown(app, schema: schema)
    }

    private static func tearDown(_ app: Application, schema: String?) async {
        await app.jobWorker.stop()
        if let schema, let sql = app.db as? any SQLDatabase {
            try? await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
        }
        try? await app.asyncShutdown()
    }

    // MARK: - A run

    struct RunResult {
        var count: Int
        /// Seconds from the first commit to the last commit.
        var enqueueSeconds: Double
        /// Seconds from the first commit to the last receipt.
        var totalSeconds: Double
        /// Commit-to-receipt latencies in seconds, sorted.
        var latencies: [Double]
        /// Enqueuing transactions SQLite refused with "database is locked" (retried).
        var busyFailures: Int
    }

    private static func measureRun(
        _ app: Application, tag: String, options: Options, watcher: MaildirWatcher, description: String,
        pacing rate: Double?
    ) async throws -> RunResult {
        print("\(description)…")
        let count = options.count
        let commits = CommitLog(count: count)
        let to = try MailAddress("someone@example.com", name: "Bench Recipient")

        @Sendable func enqueue(_ index: Int) async throws {
            let token = "\(tag)-\(index)"
            let draft = MailDraft(
                to: [to], subject: "Loam bench \(token)",
                body: "A benchmark mail.\n\n\(MaildirWatcher.marker)\(token)\n", category: "benchmark")
            while true {
                do {
                    _ = try await app.db.writeTransaction { tx in
                        try await app.mailer.enqueue(draft, on: tx)
                    }
                    break
                } catch  where "\(error)".contains("database is locked") {
                    // Should not happen with writeTransaction (which takes the write lock first); if SQLite refuses a
                    // transaction all the same, a request would fail: count it and try again.
                    await commits.recordBusy()
                }
            }
            await commits.record(index, at: Date())
        }

        if let rate {
            // Open loop: each mail is queued at its scheduled moment by its own task, as independent requests
            // would, so a slow commit delays neither the ones after it nor the offered rate.
            let clock = ContinuousClock()
            let start = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    try await clock.sleep(
                        until: start + .nanoseconds(Int64(Double(index) / rate * 1e9)), tolerance: nil)
                    group.addTask { try await enqueue(index) }
                }
                try await group.waitForAll()
            }
        } else {
            let concurrency = min(options.concurrency, count)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<concurrency {
                    group.addTask {
                        for index in stride(from: lane, to: count, by: concurrency) {
                            try await enqueue(index)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }

        let commitTimes = await commits.times
        let busyFailures = await commits.busyFailures
        let receipts = try await watcher.waitFor(tag: tag, count: count, timeout: options.timeout)
        guard receipts.count == count else {
            throw BenchmarkFailure(
                description:
                    "only \(receipts.count) of \(count) mails reached the SMTP server within \(Int(options.timeout)) s")
        }
        var latencies: [Double] = []
        latencies.reserveCapacity(count)
        for index in 0..<count {
            guard let commit = commitTimes[index], let receipt = receipts[index] else {
                throw BenchmarkFailure(description: "mail \(tag)-\(index) has no commit or no receipt time")
            }
            latencies.append(receipt - commit)
        }
        latencies.sort()
        let firstCommit = commitTimes.compactMap { $0 }.min()!
        let lastCommit = commitTimes.compactMap { $0 }.max()!
        let lastReceipt = receipts.values.max()!
        return RunResult(
            count: count, enqueueSeconds: lastCommit - firstCommit, totalSeconds: lastReceipt - firstCommit,
            latencies: latencies, busyFailures: busyFailures)
    }

    private static func report(_ result: RunResult, prefix: String) {
        let perSecond = Double(result.count) / result.totalSeconds
        let enqueueRate = result.enqueueSeconds > 0 ? Double(result.count) / result.enqueueSeconds : 0
        func ms(_ p: Double) -> Double { percentile(result.latencies, p) * 1000 }
        let met = ms(0.99) < 1000
        print(
            "  queued in \(format(result.enqueueSeconds)) s (\(format(enqueueRate, digits: 1)) commits per second); "
                + "all received \(format(result.totalSeconds)) s after the first commit: \(format(perSecond, digits: 1)) mails per second"
        )
        print(
            "  commit to receipt: p50 \(format(ms(0.5), digits: 1)) ms, p90 \(format(ms(0.9), digits: 1)) ms, "
                + "p99 \(format(ms(0.99), digits: 1)) ms, max \(format(ms(1), digits: 1)) ms; "
                + "p99 target (< 1000 ms) \(met ? "met" : "MISSED")")
        if result.busyFailures > 0 {
            print(
                "  \(result.busyFailures) enqueuing transactions failed with SQLite \"database is locked\" and were retried"
            )
        }
        print("\(prefix)_enqueue_per_sec \(format(enqueueRate, digits: 1))")
        print("\(prefix)_total_seconds \(format(result.totalSeconds))")
        print("\(prefix)_per_sec \(format(perSecond, digits: 1))")
        print("\(prefix)_latency_p50_ms \(format(ms(0.5), digits: 1))")
        print("\(prefix)_latency_p90_ms \(format(ms(0.9), digits: 1))")
        print("\(prefix)_latency_p99_ms \(format(ms(0.99), digits: 1))")
        print("\(prefix)_latency_max_ms \(format(ms(1), digits: 1))")
        print("\(prefix)_p99_target_met \(met ? "yes" : "no")")
        print("\(prefix)_enqueue_busy_errors \(result.busyFailures)")
    }

    /// Nearest-rank percentile of sorted values.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    static func format(_ value: Double, digits: Int = 3) -> String {
        String(format: "%.\(digits)f", value)
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
}

/// Commit times (wall clock, seconds since 1970) by mail index.
actor CommitLog {
    private(set) var times: [Double?]
    private(set) var busyFailures = 0

    init(count: Int) {
        times = Array(repeating: nil, count: count)
    }

    func recordBusy() {
        busyFailures += 1
    }

    func record(_ index: Int, at date: Date) {
        times[index] = date.timeIntervalSince1970
    }
}

/// Finds the benchmark's mails in the SMTP server's Maildir and reads when each arrived.
///
/// aiosmtpd's Mailbox handler writes a mail into `tmp/` and renames it into `new/`; the rename keeps
/// the modification time, which is when the server wrote the mail, a moment before it answered 250.
/// A mail is named by the token `<tag>-<index>` that follows `marker` in it, up to the end of the line
/// or an `@` (so a token can also sit in an address: `invitee-i-12@bench.example`).
actor MaildirWatcher {
    static let marker = "loam-bench-token: "

    let directory: String
    let marker: String
    private var seen: Set<String> = []
    /// Receipt times (seconds since 1970) by tag, then index.
    private var receipts: [String: [Int: Double]] = [:]

    init(directory: String, marker: String = MaildirWatcher.marker) {
        self.directory = directory
        self.marker = marker
    }

    /// Ignores mails already in the Maildir (from an earlier run against the same server).
    func skipExisting() throws {
        seen.formUnion(try listing())
    }

    /// Polls until `count` mails of `tag` have arrived or `timeout` seconds pass; returns their receipt times.
    func waitFor(tag: String, count: Int, timeout: Double) async throws -> [Int: Double] {
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while true {
            try scan()
            let arrived = receipts[tag] ?? [:]
            if arrived.count >= count || ContinuousClock.now >= deadline { return arrived }
            // Polling speed does not affect the figures (they come from file times); it only costs CPU.
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private func listing() throws -> [String] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: directory)
    }

    private func scan() throws {
        for name in try listing() where !seen.contains(name) {
            seen.insert(name)
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path),
                let token = Self.token(in: data, after: marker),
                let dash = token.firstIndex(of: "-"),
                let index = Int(token[token.index(after: dash)...]),
                let received = Self.modificationTime(path)
            else { continue }
            receipts[String(token[..<dash]), default: [:]][index] = received
        }
    }

    private static func token(in data: Data, after marker: String) -> String? {
        let text = String(decoding: data, as: UTF8.self)
        guard let start = text.range(of: marker)?.upperBound else { return nil }
        let rest = text[start...]
        let end = rest.firstIndex(where: { $0 == "\n" || $0 == "\r" || $0 == "@" }) ?? rest.endIndex
        return String(rest[..<end])
    }

    /// The file's modification time; Foundation keeps stat's nanoseconds.
    private static func modificationTime(_ path: String) -> Double? {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970
    }
}
