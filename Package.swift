// swift-tools-version:6.2
// wa-tools: Unix filters that turn WhatsApp `track` events into dashboard numbers.
// One library (WAKit) holds all logic; each executable is a thin main.swift.
// No package dependencies: the product needs nothing beyond the Swift toolchain.
import PackageDescription

let package = Package(
  name: "wa-tools",
  products: [
    .executable(name: "wa-validate", targets: ["wa-validate"]),
    .executable(name: "wa-enrich", targets: ["wa-enrich"]),
    .executable(name: "wa-aggregate", targets: ["wa-aggregate"]),
    .executable(name: "wa-convert", targets: ["wa-convert"]),
    .executable(name: "wa-report", targets: ["wa-report"]),
  ],
  targets: [
    .target(name: "WAKit", dependencies: ["CStage1"]),
    // The JSON scanner's stage 1 kernel: the one piece in C, because Swift has no movemask
    // (README.md, "Why one C file").
    .target(name: "CStage1"),
    .executableTarget(name: "wa-validate", dependencies: ["WAKit"]),
    .executableTarget(name: "wa-enrich", dependencies: ["WAKit"]),
    .executableTarget(name: "wa-aggregate", dependencies: ["WAKit"]),
    .executableTarget(name: "wa-convert", dependencies: ["WAKit"]),
    .executableTarget(name: "wa-report", dependencies: ["WAKit"]),
    .testTarget(name: "WAKitTests", dependencies: ["WAKit"]),
    // What the two harnesses below share (Tests/TestSupport); no product uses it.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    // Depends on the executables so that `swift test` builds them before running them.
    .testTarget(
      name: "EndToEndTests",
      dependencies: [
        "wa-validate", "wa-enrich", "wa-aggregate", "wa-convert", "wa-report", "TestSupport",
      ]),
    // One test per fixed bug and per fuzz finding, replaying its input (Tests/Regression).
    .testTarget(
      name: "RegressionTests",
      dependencies: [
        "WAKit", "wa-validate", "wa-enrich", "wa-aggregate", "wa-convert", "wa-report",
        "TestSupport",
      ],
      path: "Tests/Regression", exclude: ["README.md", "Inputs"]),
  ]
)
