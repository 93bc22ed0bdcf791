import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a program as a child process and reports what the kernel measured of it: its wall time and its peak
/// resident memory (`ru_maxrss` from `wait4`, the child's own and nobody else's, which Foundation's Process
/// does not give). Standard output goes to a file, standard error to ours, standard input is /dev/null.
struct BenchmarkChild {
    var status: Int32
    var seconds: Double
    var peakMemoryMegabytes: Double

    static func run(_ executable: String, _ arguments: [String], environment: [String: String], stdout: String) throws
        -> BenchmarkChild
    {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        let clock = ContinuousClock()
        let start = clock.now
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw BenchmarkFailure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else {
                throw BenchmarkFailure(description: "wait4 failed: \(String(cString: strerror(errno)))")
            }
        }
        let elapsed = (clock.now - start).components
        #if os(Linux)
            let megabytes = Double(usage.ru_maxrss) / 1024  // KiB on Linux
        #else
            let megabytes = Double(usage.ru_maxrss) / 1_048_576  // bytes on macOS
        #endif
        // Exited normally: the exit code; killed by a signal: 128 + the signal, as a shell reports it.
        let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return BenchmarkChild(
            status: code, seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18,
            peakMemoryMegabytes: megabytes)
    }
}
