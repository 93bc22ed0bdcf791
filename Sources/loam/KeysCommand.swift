import ArgumentParser
import LoamKit
import LoamServer

/// `loam keys`: master key chores.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Make and rotate the master key.",
        subcommands: [Generate.self, Rotate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new random master key (base64) for LOAM_MASTER_KEY.")

        func run() {
            print(MasterKey.generate().base64)
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-wrap every data key with LOAM_MASTER_KEY, opening old ones with LOAM_MASTER_KEY_RETIRED.",
            discussion: """
                Set LOAM_MASTER_KEY to the new key and LOAM_MASTER_KEY_RETIRED to the old one, run this,
                then drop LOAM_MASTER_KEY_RETIRED. Servers may keep running with both variables set:
                only the wrapped data keys change, never the data.
                """)

        func run() async throws {
            let configuration = LoamRuntime.loadConfiguration()
            LoamRuntime.bootstrapLogging(level: configuration.logLevel)
            let count: Int
            do {
                count = try await LoamRuntime.rotateMasterKey(configuration)
            } catch {
                throw ExitCode.failure
            }
            print("Re-wrapped \(count) data key\(count == 1 ? "" : "s") with the current master key.")
        }
    }
}
