// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Lectern",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lectern", targets: ["lectern"]),
        // The numeric core and the display runtime, as one dynamic library:
        // the generated lecture programs link it with a single -l and rpath,
        // and students can import LecternCore in any Swift program.
        .library(name: "LecternKit", type: .dynamic, targets: ["LecternCore", "LecternRecords", "LecternDisplay"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .systemLibrary(name: "CLapack", pkgConfig: "lapacke",
                       providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]),

        // Linear algebra (LAPACK/BLAS), seeded randomness, RNN gradient toolkit.
        .target(name: "LecternCore", dependencies: [
            "CLapack", .product(name: "Numerics", package: "swift-numerics"),
        ]),
        // The records a lecture program writes and the tool reads. Its own module so
        // that the tool does not link the numeric core (and OpenBLAS's thread pool).
        .target(name: "LecternRecords"),
        // What a cell calls: show, tables, figures (SVG), expect, math; the records they emit.
        .target(name: "LecternDisplay", dependencies: ["LecternCore", "LecternRecords"]),
        // Markdown + front matter + cells + math spans -> Document.
        .target(name: "LecternDocument", dependencies: ["CCmarkGFM", "Yams"]),
        // What a run produced, cell by cell, failures as Diagnostic values; the text a
        // cell printed. The one module that the runner writes and renderers and checks read.
        .target(name: "LecternResults", dependencies: ["LecternDocument", "LecternRecords"]),
        // Document -> generated Swift program -> compiled, run, records collected; cache.
        // fork + exec with a parent-death signal, for ChildProcess (C: nothing may run between the two).
        .target(name: "CLecternSpawn"),
        .target(name: "LecternRunner", dependencies: ["LecternDocument", "LecternRecords", "LecternResults", "CLecternSpawn"]),
        // Document + results -> HTML page, GFM Markdown, terminal text, index, assets.
        .target(name: "LecternRender", dependencies: ["LecternDocument", "LecternRecords", "LecternResults"]),
        // Course build: find lectures, run them, render, write Output/ atomically.
        .target(name: "LecternBuild", dependencies: ["LecternDocument", "LecternRecords", "LecternResults", "LecternRunner", "LecternRender", "Yams"]),
        // `lectern check`: expect/output/claim verification, Output/ freshness, --update, reports.
        .target(name: "LecternCheck", dependencies: ["LecternBuild", "LecternDocument", "LecternResults"]),
        // `lectern watch`: rebuild on save, serve Output/ with live reload.
        .target(name: "LecternServe", dependencies: ["LecternBuild"]),
        .executableTarget(name: "lectern", dependencies: [
            "LecternBuild", "LecternCheck", "LecternServe", "LecternRunner", "LecternRender", "LecternResults",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "lectern-bench-core", dependencies: ["LecternCore"], path: "bench/core"),
        .executableTarget(name: "lectern-bench-render", dependencies: ["LecternDocument", "LecternRender"],
                          path: "bench/render"),
        .testTarget(name: "LecternCoreTests", dependencies: ["LecternCore"]),
        .testTarget(name: "LecternDisplayTests", dependencies: ["LecternDisplay"], exclude: ["Golden"]),
        .testTarget(name: "LecternDocumentTests", dependencies: ["LecternDocument"]),
        // The runner without swiftc: generated programs, collecting raw runs, cache keys.
        .testTarget(name: "LecternRunnerTests", dependencies: ["LecternRunner", "LecternResults"]),
        .testTarget(name: "LecternRenderTests", dependencies: ["LecternRender", "LecternDocument", "LecternResults"]),
        .testTarget(name: "LecternBuildTests", dependencies: ["LecternBuild", "LecternCheck", "LecternRender"],
                    exclude: ["site_check.py"]),
        .testTarget(name: "LecternCheckTests", dependencies: ["LecternCheck"]),
        .testTarget(name: "LecternServeTests", dependencies: ["LecternServe", "LecternBuild", "LecternRender", "LecternResults"]),
    ]
)
