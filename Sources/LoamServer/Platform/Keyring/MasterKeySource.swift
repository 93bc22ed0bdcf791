import LoamKit

/// Where the master key comes from.
public enum MasterKeySource: Sendable {
    /// Given in `LOAM_MASTER_KEY`: what production should use, kept apart from the data it protects.
    case provided(MasterKey)
    /// A key file, created with mode 0600 on first run when missing: `swift run loam serve` works with
    /// no set-up, at the price of the key living beside the database.
    case keyFile(path: String)
}
