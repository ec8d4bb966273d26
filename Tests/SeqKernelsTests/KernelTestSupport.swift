import SeqKernels

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator, so every kernel test sees the same inputs on
/// every run and machine. Independent of the project's own PRNG on purpose.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [lower, upper), from the top 24 bits.
    mutating func float(_ lower: Float, _ upper: Float) -> Float {
        lower + (upper - lower) * (Float(next() >> 40) * 0x1p-24)
    }

    /// Uniform in 0..<bound.
    mutating func int(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// A tensor of `count` floats drawn uniformly from [lower, upper).
func randomTensor(_ count: Int, _ rng: inout SplitMix64, _ lower: Float = -1, _ upper: Float = 1) -> Tensor {
    let t = Tensor([count])
    for i in 0..<count { t[i] = rng.float(lower, upper) }
    return t
}

/// A tensor holding a copy of `other`.
func copyOf(_ other: Tensor) -> Tensor {
    let t = Tensor(other.shape)
    t.copy(from: other)
    return t
}

/// The sizes that exercise every vector tail and tile edge: below, at and just past multiples of 8 and 16.
let awkwardCounts = [0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257]

/// Collects mismatches without one XCTest assertion per element; reports the first few and the total.
struct Mismatches {
    private(set) var count = 0
    private(set) var examples: [String] = []

    mutating func check(_ ok: Bool, _ message: @autoclosure () -> String) {
        guard !ok else { return }
        count += 1
        if examples.count < 5 { examples.append(message()) }
    }

    var summary: String { "\(count) mismatches, e.g. " + examples.joined(separator: "; ") }
}

/// Runs `body` with each kernel width this CPU can run — eight lanes always, sixteen where there is AVX-512 —
/// for the test to pass to the kernels it calls (nothing global changes, so tests may run in parallel).
func forEachKernelWidth(_ body: (KernelWidth) throws -> Void) rethrows {
    for width in KernelWidth.supported { try body(width) }
}

/// `f` over `values`, eight at a time (the last vector zero-padded).
func eightLanesAtATime(_ values: [Float], _ f: (SIMD8<Float>) -> SIMD8<Float>) -> [Float] {
    var out = values
    for start in stride(from: 0, to: values.count, by: 8) {
        var v = SIMD8<Float>()
        for lane in 0..<min(8, values.count - start) { v[lane] = values[start + lane] }
        let y = f(v)
        for lane in 0..<min(8, values.count - start) { out[start + lane] = y[lane] }
    }
    return out
}
