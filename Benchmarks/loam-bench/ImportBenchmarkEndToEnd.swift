import Foundation
import LoamKit
import LoamServer

/// `loam-bench import end-to-end`: the release `loam import --user … --json FILE` as a child process, on a fresh
/// SQLite data folder whose account this process created first. Its wall time runs from starting the process to
/// its exit (opening the database included, as a user waits for it), and its peak memory is the child's own
/// `ru_maxrss`. Messages a second counts every message of the file, bulk ones included, as the reader finds them.
enum ImportBenchmarkEndToEnd {
    static let password = "bench-hayloft-otter-42"

    static func run(loam: String, mbox: String, label: String) async throws {
        guard FileManager.default.isExecutableFile(atPath: loam) else {
            throw BenchmarkFailure(description: "no loam executable at \(loam)")
        }
        let messages = try countMessages(mbox)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "loam-bench-import-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let data = (folder as NSString).appendingPathComponent("data")

        var environment = ProcessInfo.processInfo.environment
        // SQLite, always: this is the single-machine figure the target names.
        environment["DATABASE_URL"] = nil
        environment["LOAM_DATA_DIR"] = data
        environment["LOAM_MASTER_KEY"] = MasterKey.generate().base64
        environment["LOAM_LOG_LEVEL"] = "warning"
        let configuration = try LoamConfiguration.load(environment: environment, port: 0)
        let created = try await LoamRuntime.createUser(
            configuration, email: ImportBenchmarkMbox.ownerAddress, name: "Bench Owner", password: password,
            admin: false)
        guard created.succeeded else {
            throw BenchmarkFailure(description: "the account was not created: \(created.message)")
        }

        let output = (folder as NSString).appendingPathComponent("summary.jsonl")
        let child = try BenchmarkChild.run(
            loam, ["import", "--user", ImportBenchmarkMbox.ownerAddress, "--json", mbox], environment: environment,
            stdout: output)
        let summary = try String(contentsOfFile: output, encoding: .utf8)
        guard child.status == 0,
            let line = summary.split(separator: "\n").last,
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else {
            throw BenchmarkFailure(description: "loam import exited with \(child.status) and printed: \(summary)")
        }
        func count(_ key: String) -> Int { (object[key] as? NSNumber)?.intValue ?? 0 }
        let skipped = (object["skipped"] as? [Any])?.count ?? 0
        let databaseBytes = folderSize(data)
        let rate = Double(messages) / child.seconds
        print(
            "  loam import, \(ImportBenchmark.megabytes(try ImportBenchmark.fileSize(mbox))) MB mbox (\(messages) messages) into "
                + "SQLite: \(MailBenchmark.format(child.seconds, digits: 1)) s, \(Int(rate)) messages/s, peak memory "
                + "\(MailBenchmark.format(child.peakMemoryMegabytes, digits: 1)) MB; \(count("people_created")) people, "
                + "\(count("interactions")) interactions, \(count("ignored")) bulk ignored, \(skipped) skipped; "
                + "data folder \(ImportBenchmark.megabytes(databaseBytes)) MB")
        let prefix = "e2e_\(label)"
        print("\(prefix)_mbox_bytes \(try ImportBenchmark.fileSize(mbox))")
        print("\(prefix)_messages \(messages)")
        print("\(prefix)_seconds \(MailBenchmark.format(child.seconds, digits: 3))")
        print("\(prefix)_peak_memory_mb \(MailBenchmark.format(child.peakMemoryMegabytes, digits: 1))")
        print("\(prefix)_people_created \(count("people_created"))")
        print("\(prefix)_interactions \(count("interactions"))")
        print("\(prefix)_ignored \(count("ignored"))")
        print("\(prefix)_skipped \(skipped)")
        print("\(prefix)_data_bytes \(databaseBytes)")
    }

    /// The messages of the file as Loam's reader finds them (what the import is asked to go through).
    private static func countMessages(_ path: String) throws -> Int {
        let reader = try MboxReader(path: path)
        var messages = 0
        while let item = try reader.next() {
            if case .message = item { messages += 1 }
        }
        return messages
    }

    /// The database, its WAL and the key file: what the import left on disk.
    private static func folderSize(_ path: String) -> Int64 {
        let files = (try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []
        return files.reduce(0) { total, file in
            total + ((try? ImportBenchmark.fileSize((path as NSString).appendingPathComponent(file))) ?? 0)
        }
    }
}
