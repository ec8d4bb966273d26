#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Eight-lane loads, stores and the handful of operations every kernel is built from.
///
/// Loads and stores: `SIMD8<Float>` has 16-byte alignment in Swift, so binding a Float pointer to it would
/// demand alignment the callers cannot promise (leading dimensions and column offsets are arbitrary).
/// Unaligned raw loads and stores compile to one `vmovups`, as fast as an aligned move on aligned data.
///
/// Arithmetic: `+ − × ÷` and comparisons on `SIMD8<Float>` are single AVX instructions. But the standard
/// library implements `addingProduct`, `replacing(with:where:)`, `squareRoot()` and `pointwiseMin/Max` one lane
/// at a time and leaves it to LLVM to re-vectorize the loop. It does in small loops (a GEMM micro-kernel), and
/// does not in larger ones: inside `vectorExp` the calls came out as scalar `vfmadd213ss` and half-width
/// `vblendvps`, and `squareRoot()` is always eight `sqrtf` calls, several times slower than one instruction
/// on eight lanes. On x86-64, where the package builds SeqKernels for x86-64-v3
/// (AVX2 + FMA), they therefore name the instruction directly; elsewhere they fall back to the standard
/// library's lane-wise definitions, which give the same results.

/// The vector types of `VectorMath.swift`, which AVX512Kernels compiles again on sixteen lanes.
typealias Lanes = SIMD8<Float>
typealias LaneBits = SIMD8<UInt32>
typealias LaneIntegers = SIMD8<Int32>

extension UnsafePointer where Pointee == Float {
    @inline(__always)
    func vector(at offset: Int) -> SIMD8<Float> {
        UnsafeRawPointer(self + offset).loadUnaligned(as: SIMD8<Float>.self)
    }
}

extension UnsafeMutablePointer where Pointee == Float {
    @inline(__always)
    func vector(at offset: Int) -> SIMD8<Float> {
        UnsafeRawPointer(self + offset).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    func storeVector(_ value: SIMD8<Float>, at offset: Int) {
        UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: SIMD8<Float>.self)
    }
}

/// a·b + c with a single rounding (`vfmadd`).
@inline(__always)
func multiplyAdd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
    #if arch(x86_64)
    _mm256_fmadd_ps(a, b, c)
    #else
    c.addingProduct(a, b)
    #endif
}

/// Lane-wise `mask ? whereTrue : whereFalse` (`vblendvps`).
@inline(__always)
func select(_ mask: SIMDMask<SIMD8<Int32>>, _ whereTrue: SIMD8<Float>, _ whereFalse: SIMD8<Float>) -> SIMD8<Float> {
    #if arch(x86_64)
    _mm256_blendv_ps(whereFalse, whereTrue, unsafeBitCast(mask, to: SIMD8<Float>.self))
    #else
    whereFalse.replacing(with: whereTrue, where: mask)
    #endif
}

/// Lane-wise `key < 0 ? whereNegative : otherwise` (`vblendvps`, which reads only the sign bit of each lane).
@inline(__always)
func blend(bySignOf key: LaneIntegers, _ whereNegative: Lanes, _ otherwise: Lanes) -> Lanes {
    #if arch(x86_64)
    _mm256_blendv_ps(otherwise, whereNegative, unsafeBitCast(key, to: Lanes.self))
    #else
    otherwise.replacing(with: whereNegative, where: key .< 0)
    #endif
}

/// x clamped to [lower, upper] lane-wise; NaN lanes stay NaN (`vminps`, `vmaxps`, which return their second
/// operand when either is NaN, hence the order).
@inline(__always)
func clamp(_ x: SIMD8<Float>, lower: Float, upper: Float) -> SIMD8<Float> {
    #if arch(x86_64)
    _mm256_max_ps(SIMD8(repeating: lower), _mm256_min_ps(SIMD8(repeating: upper), x))
    #else
    x.replacing(with: upper, where: x .> upper).replacing(with: lower, where: x .< lower)
    #endif
}

/// √x, correctly rounded (`vsqrtps`).
@inline(__always)
func squareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> {
    #if arch(x86_64)
    _mm256_sqrt_ps(x)
    #else
    x.squareRoot()
    #endif
}

extension SIMD8 where Scalar == Float {
    /// The sum of the eight lanes, in a fixed pairwise order (deterministic for a given input).
    @inline(__always)
    var laneSum: Float {
        let four = lowHalf + highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }

    /// The largest lane. Which lane wins when some are NaN is unspecified; callers that must propagate NaN
    /// do so through their later arithmetic (for example `exp(x − max)` of a NaN lane).
    @inline(__always)
    var laneMax: Float {
        var best = self[0]
        for i in 1..<8 where self[i] > best { best = self[i] }
        return best
    }
}
