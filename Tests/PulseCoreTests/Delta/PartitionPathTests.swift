import Testing

@testable import PulseCore

@Suite struct PartitionPathTests {
    /// Directory and log path forms that deltalake 1.6.6 wrote for these values (machine-facts §4 and a
    /// probe table written with `write_deltalake(..., partition_by=["s"])`).
    @Test(arguments: [
        ("a b", "s=a%20b", "s=a%2520b"),
        ("c/d", "s=c%2Fd", "s=c%252Fd"),
        ("x=y", "s=x%3Dy", "s=x%253Dy"),
        ("p%q", "s=p%25q", "s=p%2525q"),
        ("é ü", "s=%C3%A9%20%C3%BC", "s=%25C3%25A9%2520%25C3%25BC"),
        ("a~b", "s=a~b", "s=a~b"),
        ("o{p}", "s=o%7Bp%7D", "s=o%257Bp%257D"),
        ("tab\tx", "s=tab%09x", "s=tab%2509x"),
        ("a(b)", "s=a%28b%29", "s=a%2528b%2529"),
        ("S001", "s=S001", "s=S001"),
    ])
    func escapesLikeDeltaRs(value: String, directory: String, logPath: String) {
        #expect(PartitionPath.directory(column: "s", value: value) == directory)
        #expect(PartitionPath.logPath(relativePath: directory) == logPath)
        #expect(PartitionPath.relativePath(logPath: logPath) == directory)
    }

    @Test func nullAndEmptyValuesUseTheHiveDefaultPartition() {
        #expect(PartitionPath.directory(column: "s", value: nil) == "s=__HIVE_DEFAULT_PARTITION__")
        #expect(PartitionPath.directory(column: "s", value: "") == "s=__HIVE_DEFAULT_PARTITION__")
        #expect(
            PartitionPath.relativeDirectory(columns: ["dt", "station_id"], values: ["2025-08-20", "S 1"])
                == "dt=2025-08-20/station_id=S%201")
        #expect(PartitionPath.relativeDirectory(columns: [], values: []) == "")
    }
}
