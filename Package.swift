// swift-tools-version:6.1
import PackageDescription

// swiftc targets baseline x86-64 (SSE2) unless told otherwise: SIMD8<Float> then splits into two xmm
// registers and every addProduct becomes a libm fmaf call per lane. x86-64-v3 (AVX2 + FMA) is what any
// x86 CPU of the last decade has; other architectures build with their defaults.
// AVX512Kernels holds the kernels built for x86-64-v4 (AVX-512); SeqModel calls them only on a CPU that has it.
#if arch(x86_64)
let simdFlags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v3", "-enforce-exclusivity=unchecked"])]
let avx512Flags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v4", "-enforce-exclusivity=unchecked"])]
#else
let simdFlags: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
let avx512Flags = simdFlags
#endif

let package = Package(
    name: "nlp-vanish",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nlp-vanish", targets: ["nlp-vanish"]),
        .library(name: "Tokenizer", targets: ["Tokenizer"]),
        .library(name: "SeqModel", targets: ["SeqModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CUtf8proc", path: "Sources/CUtf8proc"),
        .target(name: "Tokenizer", dependencies: ["CUtf8proc"]),
        .target(name: "CFloatControl"),
        .target(name: "AVX512Kernels", swiftSettings: avx512Flags),
        .target(name: "SeqModel", dependencies: ["CFloatControl", "AVX512Kernels"], swiftSettings: simdFlags),
        .executableTarget(
            name: "nlp-vanish",
            dependencies: [
                "Tokenizer", "SeqModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "vanish-bench", dependencies: ["SeqModel"], path: "Benchmarks/vanish-bench",
            swiftSettings: simdFlags),
        .testTarget(name: "TokenizerTests", dependencies: ["Tokenizer"]),
        .testTarget(name: "CorpusTests", dependencies: ["Tokenizer"]),
        .testTarget(name: "SeqModelTests", dependencies: ["SeqModel"], swiftSettings: simdFlags),
        .testTarget(name: "nlp-vanishTests", dependencies: ["nlp-vanish", "SeqModel"]),
    ]
)
