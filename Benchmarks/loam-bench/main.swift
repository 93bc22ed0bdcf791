// loam-bench: release-build benchmarks, one file per subcommand. Run through `scripts/bench`.
// Output mixes human lines with machine-readable `name value` lines that scripts parse.

import Foundation

let benchmarks: [String: @Sendable ([String]) throws -> Void] = [
    "crypto": CryptoBenchmark.run,
    "import": ImportBenchmark.run,
    "invite": InviteBenchmark.run,
    "mail": MailBenchmark.run,
    "resolve": ResolveBenchmark.run,
]

func usage() -> String {
    "usage: loam-bench <\(benchmarks.keys.sorted().joined(separator: "|"))> [options]"
}

let arguments = Array(CommandLine.arguments.dropFirst())
/// Thrown by a benchmark for arguments it does not understand; exits 2 like an unknown subcommand.
struct UsageError: Error, CustomStringConvertible {
    var description: String
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

if arguments.first == "--help" || arguments.first == "-h" {
    print(usage())
    exit(0)
}
guard let name = arguments.first, let benchmark = benchmarks[name] else {
    printError(usage())
    exit(2)
}
do {
    try benchmark(Array(arguments.dropFirst()))
} catch let error as UsageError {
    printError(error.description)
    exit(2)
} catch {
    printError("loam-bench \(name): \(error)")
    exit(1)
}
