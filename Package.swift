// swift-tools-version:6.1
import PackageDescription

/// Build option: `PULSE_RDKAFKA_LIB=/abs/path/librdkafka….so.1` links that librdkafka file instead of
/// Debian's (2.0.2, which cannot talk to Tansu), keeping Debian's headers; the binary finds the file at
/// run time through an rpath to its directory. Unset (the default), Debian's `-lrdkafka` is linked.
/// A pkg-config file cannot do this: SwiftPM puts the other packages' `-L/usr/lib/...` first.
let rdkafkaFile = Context.environment["PULSE_RDKAFKA_LIB"].flatMap { $0.isEmpty ? nil : $0 }
if let rdkafkaFile, !rdkafkaFile.hasPrefix("/") {
    fatalError("PULSE_RDKAFKA_LIB must be an absolute path (the binary's rpath is its directory): \(rdkafkaFile)")
}
let rdkafkaTarget: Target =
    if rdkafkaFile != nil {
        // Same module, without `link "rdkafka"`: the file is handed to the linker by PulseCore.
        .systemLibrary(name: "CRdKafka", path: "Sources/CRdKafkaUnlinked")
    } else {
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])])
    }
let rdkafkaLinkerSettings: [LinkerSetting] =
    if let rdkafkaFile, let slash = rdkafkaFile.lastIndex(of: "/") {
        [.unsafeFlags(["-Xlinker", rdkafkaFile, "-Xlinker", "-rpath", "-Xlinker", String(rdkafkaFile[..<slash])])]
    } else {
        []
    }

/// Build option: `PULSE_FUZZ=1` adds the libFuzzer targets under Tests/Fuzz (`make fuzz` builds them with the
/// fuzzer and address sanitizers). They export `LLVMFuzzerTestOneInput` and leave `main` to libFuzzer, so an
/// ordinary build or `swift test` would only link them as programs that do nothing: they stay out of it.
let fuzzTargets: [Target] =
    Context.environment["PULSE_FUZZ"] == "1"
    ? ["FuzzJSONRecord", "FuzzDeltaLog", "FuzzParquet", "FuzzGoldState"].map {
        .executableTarget(name: $0, dependencies: ["PulseCore"], path: "Tests/Fuzz/\($0)")
    } : []

let package = Package(
    name: "pulse-tui",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pulse-tui", targets: ["PulseTUI"]),
        .executable(name: "pulse-bench", targets: ["PulseBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Without its default traits: no swift-configuration, no full Foundation to build.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        rdkafkaTarget,
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CNCurses", pkgConfig: "ncursesw", providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CGlibcExtras"),
        .target(
            name: "PulseCore",
            dependencies: [
                "CRdKafka", "CZstd", "CCurl", "CCrypto", "CGlibcExtras",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            linkerSettings: rdkafkaLinkerSettings
        ),
        .target(
            name: "PulseProducers",
            dependencies: ["PulseCore"]
        ),
        .target(name: "PulseDashboard", dependencies: ["CNCurses"]),
        .target(
            name: "PulseAPI",
            dependencies: [
                "PulseCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "PulseTUI",
            dependencies: [
                "PulseCore", "PulseProducers", "PulseDashboard", "PulseAPI", "CNCurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "PulseBench",
            dependencies: ["PulseCore", "PulseProducers", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "PulseCoreTests", dependencies: ["PulseCore"]),
        .testTarget(name: "PulseProducersTests", dependencies: ["PulseProducers", "PulseCore"]),
        .testTarget(name: "PulseTUITests", dependencies: ["PulseTUI", "PulseCore"]),
        .testTarget(name: "PulseDashboardTests", dependencies: ["PulseDashboard"]),
        .testTarget(
            name: "PulseAPITests",
            dependencies: ["PulseAPI", "PulseCore", .product(name: "Logging", package: "swift-log")]),
    ] + fuzzTargets,
    swiftLanguageModes: [.v6]
)

// Every module names what it uses: a member reachable only through another module's import (Foundation's
// String.range(of:) leaking into PulseCore, say) is an error, not a silent dependency.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}
