// swift-tools-version:6.0
import PackageDescription

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
    ],
    targets: [
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CNCurses", pkgConfig: "ncursesw", providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(
            name: "PulseCore",
            dependencies: [
                "CRdKafka", "CZstd", "CCurl", "CCrypto",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "PulseProducers",
            dependencies: ["PulseCore"]
        ),
        .target(name: "PulseDashboard", dependencies: ["CNCurses"], path: "Sources/PulseTUI/Dashboard"),
        .executableTarget(
            name: "PulseTUI",
            dependencies: [
                "PulseCore", "PulseProducers", "PulseDashboard", "CNCurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Dashboard"]
        ),
        .executableTarget(
            name: "PulseBench",
            dependencies: ["PulseCore", "PulseProducers", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "PulseCoreTests", dependencies: ["PulseCore"]),
        .testTarget(name: "PulseProducersTests", dependencies: ["PulseProducers", "PulseCore"]),
        .testTarget(name: "PulseTUITests", dependencies: ["PulseTUI", "PulseCore"]),
        .testTarget(name: "PulseDashboardTests", dependencies: ["PulseDashboard"]),
    ],
    swiftLanguageModes: [.v6]
)
