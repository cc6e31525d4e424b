// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "mhalearn",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mhalearn", targets: ["mhalearn"]),
        .executable(name: "mhalearn-bench", targets: ["mhalearn-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "5.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"]), .brew(["cmark"])]
        ),
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(name: "MarkdownTerminal", dependencies: ["CCmark"]),
        .target(
            name: "AttentionCore",
            dependencies: [.target(name: "CBLAS", condition: .when(platforms: [.linux]))],
            linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS]))]
        ),
        .target(name: "LessonEngine", dependencies: ["MarkdownTerminal", "AttentionCore"]),
        .target(
            name: "Exercises",
            dependencies: ["LessonEngine", "MarkdownTerminal", "AttentionCore", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "mhalearn",
            dependencies: [
                "MarkdownTerminal", "AttentionCore", "LessonEngine", "Exercises",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "mhalearn-bench", dependencies: ["AttentionCore"], path: "Benchmarks/mhalearn-bench"),
        .testTarget(name: "MarkdownTerminalTests", dependencies: ["MarkdownTerminal"], resources: [.copy("Fixtures")]),
        .testTarget(name: "AttentionCoreTests", dependencies: ["AttentionCore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LessonEngineTests", dependencies: ["LessonEngine"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ExercisesTests", dependencies: ["Exercises"], resources: [.copy("Fixtures")]),
        .testTarget(name: "mhalearnTests", dependencies: ["mhalearn", "AttentionCore"]),
    ],
    swiftLanguageModes: [.v5]
)
