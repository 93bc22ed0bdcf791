import Foundation
import Testing

/// Runs the built `loam` executable as a user would, for tests of the command line itself.
struct LoamProcess {
    /// `.build/debug/loam` next to this package, or `LOAM_BIN` when the build lives elsewhere.
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["LOAM_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug/loam")
    }

    let process = Process()
    let stdout = Pipe()
    let stderr = Pipe()
    let stdin = Pipe()

    init(_ arguments: [String], environment: [String: String], workingDirectory: URL) {
        process.executableURL = Self.executable
        process.arguments = arguments
        // Start from an empty environment so the developer's own variables cannot change the result.
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        env.merge(environment) { $1 }
        process.environment = env
        process.currentDirectoryURL = workingDirectory
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
    }

    /// Writes `text` to the process's standard input and closes it.
    func send(_ text: String) {
        stdin.fileHandleForWriting.write(Data(text.utf8))
        try? stdin.fileHandleForWriting.close()
    }

    func start() throws { try process.run() }

    /// Reads standard output until a line containing `marker` appears, or gives up after `timeout`.
    func waitForLine(containing marker: String, timeout: Duration = .seconds(60)) async throws -> String? {
        let handle = stdout.fileHandleForReading
        let deadline = ContinuousClock.now + timeout
        var buffer = ""
        while ContinuousClock.now < deadline {
            let chunk = handle.availableDataOrEOF()
            if let chunk, !chunk.isEmpty {
                buffer += String(decoding: chunk, as: UTF8.self)
                if let line = buffer.split(separator: "\n").first(where: { $0.contains(marker) }) {
                    return String(line)
                }
            } else if !process.isRunning {
                return nil
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        return nil
    }

    /// Waits for the process to end and returns its status and standard error.
    func finish(timeout: Duration = .seconds(60)) async throws -> (status: Int32, stderr: String) {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            process.terminate()
            Issue.record("loam did not exit in time")
        }
        process.waitUntilExit()
        let errorText = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, errorText)
    }
}

extension FileHandle {
    /// Non-blocking read of what is available now (`nil` when nothing is).
    fileprivate func availableDataOrEOF() -> Data? {
        var poll = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
        guard Glibc.poll(&poll, 1, 0) > 0 else { return nil }
        return availableData
    }
}
