import SeqKernels
/// The project's own seeded generator: xoshiro256** (Blackman & Vigna 2018), seeded through SplitMix64.
///
/// Every random draw in a training path — initialisation, data order, task generation, sampling — comes from
/// one of these, so the same seed gives bit-identical results on every run and every machine. The mapping from
/// raw bits to `Float`/`Double` is written here too: the standard library does not promise a fixed one.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable {
    /// The four 64-bit words of state; exposed so checkpoints can store and restore a generator exactly.
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose state is four successive SplitMix64 outputs of `seed` (never all zero).
    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// Restores a generator from a saved state.
    public init(state: [UInt64]) {
        precondition(state.count == 4, "xoshiro256** state has four words")
        self.state = (state[0], state[1], state[2], state[3])
    }

    /// The state as an array, for checkpoints.
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    public static func == (a: Self, b: Self) -> Bool { a.stateWords == b.stateWords }

    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// An inverted-dropout mask: each of `count` entries is 0 with probability `p`, else 1/(1 − p). Four 16-bit
    /// uniforms per draw; an entry is dropped when its uniform falls below p · 2¹⁶.
    public mutating func fillDropoutMask(_ mask: UnsafeMutablePointer<Float>, count: Int, probability p: Float) {
        let threshold = UInt64((Double(p) * 65536).rounded())
        let kept = 1 / (1 - p)
        var i = 0
        while i < count {
            var bits = next()
            for _ in 0..<min(4, count - i) {
                mask[i] = bits & 0xFFFF < threshold ? 0 : kept
                bits >>= 16
                i += 1
            }
        }
    }

    /// Uniform in [0, 1): the top 24 bits, so every value is exactly representable.
    public mutating func nextFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in [lower, upper).
    public mutating func uniform(_ lower: Float, _ upper: Float) -> Float { lower + (upper - lower) * nextFloat() }

    /// A standard normal draw (Box–Muller on two uniforms; the second value is discarded so that the
    /// generator advances by exactly two words per call, whatever the caller does).
    public mutating func normal() -> Double {
        let u1 = 1 - nextDouble()           // (0, 1]: log is finite
        let u2 = nextDouble()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Uniform integer in 0..<bound (Lemire's multiply-shift with rejection: unbiased).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) private func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
