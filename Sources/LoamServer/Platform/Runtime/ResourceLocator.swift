import Foundation
import Vapor

/// Finds the folder that holds `Resources/Views` and `Public/`.
///
/// `swift run loam serve` runs from the package root, but `loam` may be started from anywhere
/// (a service manager, a test in a temporary folder): then the package root is found by walking up
/// from the executable (`.build/debug/loam` lives three levels below it).
enum ResourceLocator {
    static func directory(executablePath: String = CommandLine.arguments.first ?? "") -> DirectoryConfiguration {
        let detected = DirectoryConfiguration.detect()
        if hasResources(detected.workingDirectory) { return detected }
        var candidate = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            if hasResources(candidate.path) {
                return DirectoryConfiguration(workingDirectory: candidate.path)
            }
            candidate.deleteLastPathComponent()
        }
        return detected
    }

    private static func hasResources(_ folder: String) -> Bool {
        FileManager.default.fileExists(
            atPath: (folder as NSString).appendingPathComponent("Resources/Views/layout.leaf"))
    }
}
