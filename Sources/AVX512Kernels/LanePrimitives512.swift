#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// The lane types and operations `VectorMath.swift` (a symlink to SeqKernels') is written against, on sixteen
/// lanes: SeqKernels' eight-lane `multiplyAdd`, `blend` and `clamp` on `zmm` registers. (Elsewhere than x86-64
/// they fall back to the standard library's lane-wise forms, as SeqKernels' do, so the package still builds; this
/// module's code never runs there.)
typealias Lanes = SIMD16<Float>
typealias LaneBits = SIMD16<UInt32>
typealias LaneIntegers = SIMD16<Int32>

/// a·b + c with a single rounding (`vfmadd`).
@inline(__always)
func multiplyAdd(_ a: Lanes, _ b: Lanes, _ c: Lanes) -> Lanes {
    #if arch(x86_64)
    _mm512_fmadd_ps(a, b, c)
    #else
    c.addingProduct(a, b)
    #endif
}

/// Lane-wise `key < 0 ? whereNegative : otherwise`: the sign bits become a mask register (`vpmovd2m`) that
/// picks lanes in one masked blend. (A comparison's `SIMDMask` on sixteen lanes comes out of swiftc as lane
/// shuffles through general registers, and splits the code around it into 128-bit pieces.)
@inline(__always)
func blend(bySignOf key: LaneIntegers, _ whereNegative: Lanes, _ otherwise: Lanes) -> Lanes {
    #if arch(x86_64)
    _mm512_mask_blend_ps(_mm512_movepi32_mask(unsafeBitCast(key, to: SIMD8<Int64>.self)), otherwise, whereNegative)
    #else
    otherwise.replacing(with: whereNegative, where: key .< 0)
    #endif
}

/// x clamped to [lower, upper] lane-wise; NaN lanes stay NaN (`vminps`, `vmaxps` return their second operand
/// when either is NaN, hence the order).
@inline(__always)
func clamp(_ x: Lanes, lower: Float, upper: Float) -> Lanes {
    #if arch(x86_64)
    _mm512_max_ps(Lanes(repeating: lower), _mm512_min_ps(Lanes(repeating: upper), x))
    #else
    x.replacing(with: upper, where: x .> upper).replacing(with: lower, where: x .< lower)
    #endif
}

/// √x, correctly rounded (`vsqrtps`).
@inline(__always)
func squareRoot(_ x: Lanes) -> Lanes {
    #if arch(x86_64)
    _mm512_sqrt_ps(x)
    #else
    x.squareRoot()
    #endif
}

/// Unaligned sixteen-lane loads and stores (`vmovups`), as SeqKernels' eight-lane ones.
extension UnsafePointer where Pointee == Float {
    @inline(__always)
    func vector(at offset: Int) -> Lanes { UnsafeRawPointer(self + offset).loadUnaligned(as: Lanes.self) }
}

extension UnsafeMutablePointer where Pointee == Float {
    @inline(__always)
    func vector(at offset: Int) -> Lanes { UnsafeRawPointer(self + offset).loadUnaligned(as: Lanes.self) }

    @inline(__always)
    func storeVector(_ value: Lanes, at offset: Int) {
        UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: Lanes.self)
    }
}
