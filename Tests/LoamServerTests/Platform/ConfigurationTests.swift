import Foundation
import LoamServer
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    @Test("No configuration at all: SQLite under data/, loopback port 8080, links to that address")
    func defaults() throws {
        let configuration = try LoamConfiguration.load(environment: [:])
        #expect(configuration.dataDirectory == "data")
        #expect(configuration.database == .sqlite(path: "data/loam.sqlite"))
        #expect(configuration.hostname == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.baseURL.absoluteString == "http://127.0.0.1:8080")
        #expect(configuration.isHTTPS == false)
    }

    @Test("LOAM_DATA_DIR moves the database; host and port from the command line shape the base URL")
    func dataDirectoryAndAddress() throws {
        let configuration = try LoamConfiguration.load(
            environment: ["LOAM_DATA_DIR": "/var/lib/loam"], hostname: "0.0.0.0", port: 9000)
        #expect(configuration.database == .sqlite(path: "/var/lib/loam/loam.sqlite"))
        #expect(configuration.baseURL.absoluteString == "http://127.0.0.1:9000")
    }

    @Test("LOAM_BASE_URL sets the public URL and https turns on HSTS")
    func baseURL() throws {
        let configuration = try LoamConfiguration.load(environment: ["LOAM_BASE_URL": "https://loam.example.com/"])
        #expect(configuration.baseURL.absoluteString == "https://loam.example.com")
        #expect(configuration.isHTTPS)
    }

    @Test(
        "A bad value names its variable and what it expects, without echoing the value",
        arguments: [
            ("DATABASE_URL", "mysql://root:hunter2@db/loam"),
            ("DATABASE_URL", "not a url at all hunter2"),
            ("DATABASE_URL", "postgres:///nohost-hunter2"),
            ("LOAM_BASE_URL", "loam.example.com/hunter2"),
            ("LOAM_BASE_URL", "ftp://hunter2.example.com"),
            ("LOAM_LOG_LEVEL", "hunter2"),
        ])
    func badValues(variable: String, value: String) throws {
        let error = #expect(throws: ConfigurationError.self) {
            try LoamConfiguration.load(environment: [variable: value])
        }
        #expect(error?.variable == variable)
        #expect(error?.description.hasPrefix("\(variable): expected ") == true)
        #expect(error?.description.contains("hunter2") == false)
        #expect(error?.description.contains("\n") == false)
    }

    @Test("DATABASE_URL with postgres:// or postgresql:// selects PostgreSQL")
    func postgres() throws {
        for url in ["postgres://loam@127.0.0.1:5432/loam", "postgresql://loam:pw@db.internal/loam"] {
            let configuration = try LoamConfiguration.load(environment: ["DATABASE_URL": url])
            #expect(configuration.database == .postgres(url: url, schema: nil))
        }
    }

    @Test("A port outside 0...65535 is refused")
    func badPort() {
        #expect(throws: ConfigurationError.self) { try LoamConfiguration.load(environment: [:], port: 70000) }
    }
}
