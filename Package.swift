// swift-tools-version:6.2
import PackageDescription

// swiftc targets baseline x86-64 (SSE2) unless told otherwise: SIMD8<Float> then splits into two xmm
// registers and every addProduct becomes a libm fmaf call per lane. x86-64-v3 (AVX2 + FMA) is what any
// x86 CPU of the last decade has; other architectures build with their defaults.
// AVX512Kernels holds the kernels built for x86-64-v4 (AVX-512); SeqKernels calls them only on a CPU that has it.
// Tools version 6.2 is what lets another package depend on these targets by version despite the flags
// (SwiftPM refuses unsafe flags in versioned dependencies whose manifest is older).
#if arch(x86_64)
let simdFlags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v3", "-enforce-exclusivity=unchecked"])]
let avx512Flags: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v4", "-enforce-exclusivity=unchecked"])]
#else
let simdFlags: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
let avx512Flags = simdFlags
#endif

// The layers, each a target that imports only those below it:
//   SeqKernels (SIMD, knows no RNN) ← SeqModel (cells, workspace, init, PRNG, safetensors)
//     ← SeqTraining (optimizers, loop, checkpoints) ← SeqStudy (tasks, grid, verdict)
//   SeqProfile (the step profiler) reads the model through its phase timer; SeqMemory (how far back a trained
//   model looks: context ablation, gradient reach) reads it through its forward and backward; the CLI sits on top.
let package = Package(
    name: "nlp-vanish",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nlp-vanish", targets: ["nlp-vanish"]),
        .library(name: "Tokenizer", targets: ["Tokenizer"]),
        .library(name: "SeqModel", targets: ["SeqKernels", "SeqModel", "SeqTraining", "SeqStudy", "SeqProfile", "SeqMemory"]),
        .library(name: "NGram", targets: ["NGram"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CUtf8proc", path: "Sources/CUtf8proc"),
        .target(name: "Tokenizer", dependencies: ["CUtf8proc"]),
        .target(name: "CFloatControl"),
        .target(name: "AVX512Kernels", swiftSettings: avx512Flags),
        .target(name: "SeqKernels", dependencies: ["CFloatControl", "AVX512Kernels"], swiftSettings: simdFlags),
        .target(name: "SeqModel", dependencies: ["SeqKernels"], swiftSettings: simdFlags),
        .target(name: "SeqTraining", dependencies: ["SeqKernels", "SeqModel"], swiftSettings: simdFlags),
        .target(name: "SeqStudy", dependencies: ["SeqKernels", "SeqModel", "SeqTraining"], swiftSettings: simdFlags),
        .target(name: "SeqProfile", dependencies: ["SeqKernels", "SeqModel", "SeqTraining"],
                swiftSettings: simdFlags),
        .target(name: "SeqMemory", dependencies: ["SeqKernels", "SeqModel"], swiftSettings: simdFlags),
        .target(name: "NGram"),
        .executableTarget(
            name: "nlp-vanish",
            dependencies: [
                "Tokenizer", "SeqKernels", "SeqModel", "SeqTraining", "SeqStudy", "SeqProfile", "SeqMemory", "NGram",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "vanish-bench", dependencies: ["SeqKernels", "SeqModel", "SeqTraining", "SeqProfile"],
            path: "Benchmarks/vanish-bench", swiftSettings: simdFlags),
        .testTarget(name: "TokenizerTests", dependencies: ["Tokenizer"]),
        .testTarget(name: "CorpusTests", dependencies: ["Tokenizer"]),
        .testTarget(name: "SeqKernelsTests", dependencies: ["SeqKernels"], swiftSettings: simdFlags),
        .testTarget(name: "SeqModelTests", dependencies: ["SeqKernels", "SeqModel"], swiftSettings: simdFlags),
        .testTarget(name: "SeqTrainingTests", dependencies: ["SeqKernels", "SeqModel", "SeqTraining"],
                    swiftSettings: simdFlags),
        .testTarget(name: "SeqStudyTests", dependencies: ["SeqKernels", "SeqModel", "SeqTraining", "SeqStudy"],
                    swiftSettings: simdFlags),
        .testTarget(name: "SeqProfileTests", dependencies: ["SeqKernels", "SeqModel", "SeqTraining", "SeqProfile"],
                    swiftSettings: simdFlags),
        .testTarget(name: "SeqMemoryTests", dependencies: ["SeqKernels", "SeqModel", "SeqMemory"],
                    swiftSettings: simdFlags),
        .testTarget(name: "NGramTests", dependencies: ["NGram"]),
        .testTarget(name: "nlp-vanishTests", dependencies: ["nlp-vanish", "SeqModel", "SeqTraining", "SeqStudy"]),
    ]
)
