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
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
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
        .target(name: "Support"),
        .target(name: "Grading"),
        .target(name: "MarkdownTerminal", dependencies: ["CCmark", "Grading"]),
        // the attention core's hot loops, one version per CPU level chosen at run time (no CPU-pinning flags)
        .target(name: "CAttentionKernels"),
        .target(
            name: "AttentionCore",
            dependencies: ["Support", "CAttentionKernels", .target(name: "CBLAS", condition: .when(platforms: [.linux]))],
            linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS]))]
        ),
        .target(name: "ExpressionLanguage", dependencies: ["Support"]),
        .target(name: "LiveValues", dependencies: ["ExpressionLanguage", "Reports", "AttentionCore", "MarkdownTerminal"]),
        .target(
            name: "Lessons",
            dependencies: ["LiveValues", "ExpressionLanguage", "MarkdownTerminal", "Support", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "Reports", dependencies: ["AttentionCore", "MarkdownTerminal", "Support"]),
        .target(
            name: "Exercises",
            dependencies: [
                "Grading", "LiveValues", "ExpressionLanguage", "MarkdownTerminal", "AttentionCore", "Support",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "WebExport",
            dependencies: ["Grading", "Exercises", "Lessons", "MarkdownTerminal", "ExpressionLanguage"],
            resources: [.copy("Resources/grader.wasm"), .copy("Resources/app.js"), .copy("Resources/style.css")]
        ),
        .target(name: "Progress", dependencies: ["Exercises", "Support", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Practice", dependencies: ["Progress", "Exercises", "ExpressionLanguage", "MarkdownTerminal"]),
        .target(
            name: "Export",
            dependencies: ["Exercises", "LiveValues", "ExpressionLanguage", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .executableTarget(
            name: "mhalearn",
            dependencies: [
                "Support", "MarkdownTerminal", "AttentionCore", "ExpressionLanguage", "LiveValues", "Lessons", "Reports",
                "Exercises", "Progress", "Practice", "Export", "WebExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(name: "mhalearn-bench", dependencies: ["AttentionCore", "Support"], path: "Benchmarks/mhalearn-bench"),
        .testTarget(name: "SupportTests", dependencies: ["Support"]),
        .testTarget(name: "MarkdownTerminalTests", dependencies: ["MarkdownTerminal"], resources: [.copy("Fixtures")]),
        .testTarget(name: "AttentionCoreTests", dependencies: ["AttentionCore", "Support"], resources: [.copy("Fixtures")]),
        .target(name: "TestSupport", dependencies: ["AttentionCore"], path: "Tests/TestSupport"),
        .testTarget(name: "ExpressionLanguageTests", dependencies: ["ExpressionLanguage", "TestSupport"]),
        .testTarget(name: "LiveValuesTests", dependencies: ["LiveValues", "TestSupport"]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "TestSupport"]),
        .testTarget(name: "ExercisesTests", dependencies: ["Exercises", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "GradingTests", dependencies: ["Grading", "Exercises", "ExpressionLanguage", "MarkdownTerminal", "TestSupport"]),
        .testTarget(name: "WebExportTests", dependencies: ["WebExport", "Exercises", "Lessons", "MarkdownTerminal"]),
        .testTarget(name: "ProgressTests", dependencies: ["Progress"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PracticeTests", dependencies: ["Practice"]),
        .testTarget(name: "ExportTests", dependencies: ["Export", "Exercises"]),
        .testTarget(name: "mhalearnTests", dependencies: ["mhalearn", "AttentionCore", "Support"]),
    ],
    swiftLanguageModes: [.v6]
)
