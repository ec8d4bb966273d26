/// exp, tanh and the logistic sigmoid on a vector of `Lanes` at once.
///
/// This one file is compiled twice: in SeqKernels, where `Lanes` is `SIMD8<Float>` (AVX2), and through a symlink
/// in AVX512Kernels, where it is `SIMD16<Float>` (AVX-512), for the forward tanh and sigmoid on a CPU that has
/// it. Each module supplies the lane types and `multiplyAdd`, `blend` and `clamp` for them. Every operation is
/// lane-wise and the same at both widths, so a value gets the same bits from either.
///
/// Branch-free vector code, a few dozen operations per vector, in place of a scalar libm call per element.
/// Accuracy, against Double-precision libm on every Float of the range:
///
///   tanh      max absolute error 8.2e-8 on [−20, 20]   (glibc's own tanhf: 1.04e-7; 1 ulp of 1.0: 1.19e-7)
///   sigmoid   max absolute error 8.9e-8 on [−20, 20]
///   exp       max relative error 7.9e-8 on [−87.3, 88.7] (normal results; < 1 ulp)
///
/// VectorMathTests re-checks the bounds 1e-7, 1e-7 and 1.2e-7 on a 2⁻¹⁴ grid, and the special values (±0, ±∞,
/// NaN, overflow, underflow), on every run.
enum VectorMath {
    static let log2e: Float = 1.442695
    /// ln 2 as the sum of two Floats (≈ 48 significant bits), so that r = x − k·ln 2 keeps its relative
    /// precision for every k.
    static let ln2Hi: Float = 0.6931472
    static let ln2Lo: Float = -1.9046543e-09
    /// Adding then subtracting 1.5·2²³ rounds a float of magnitude < 2²² to the nearest integer, which is then
    /// also the low bits of the sum's bit pattern.
    static let roundingShifter: Float = 0x1.8p23
    /// Below this magnitude tanh uses its odd polynomial; above it, 1 − 2/(e^{2|x|} + 1), which cancels badly
    /// for small |x| (relative error) but is accurate to an ulp of 1 from here on.
    static let tanhPolynomialLimit: Float = 0.625
    /// tanh(x) ≈ x + x³·(t0 + t1 s + t2 s² + t3 s³ + t4 s⁴), s = x², on |x| ≤ 0.625: a relative minimax fit
    /// (weighted least squares with Lawson iterations against 40-digit tanh), error 4.4e-9 before rounding.
    static let tanhCoefficients: (Float, Float, Float, Float, Float) =
        (-0.3333328, 0.13331442, -0.053739708, 0.020639062, -0.005704952)
}

/// e^x, lane-wise. Overflows to +∞ above ≈ 88.72 and underflows through subnormals (or straight to 0, on a
/// thread that flushes them) to 0 below ≈ −103.3, like libm's expf; NaN gives NaN.
///
/// Range reduction: x = k·ln 2 + r with k = round(x / ln 2) and |r| ≤ ln 2 / 2 (two-constant Cody–Waite with
/// fused multiply-adds); e^r by its Taylor polynomial to degree 7 (truncation error r⁸/8! < 6e-9 relative);
/// then e^x = e^r · 2^⌊k/2⌋ · 2^(k − ⌊k/2⌋), two exact power-of-two scalings so that every k in [−150, 128]
/// is representable without a special case for the extremes.
@inline(__always)
func vectorExp(_ x: Lanes) -> Lanes {
    // Beyond [−104, 89] the result is 0 or ∞ anyway; clamping keeps k in range. NaN stays NaN.
    let xc = clamp(x, lower: -104, upper: 89)
    let shifter = Lanes(repeating: VectorMath.roundingShifter)
    let shifted = multiplyAdd(xc, Lanes(repeating: VectorMath.log2e), shifter)
    let k = shifted - shifter
    var r = multiplyAdd(k, Lanes(repeating: -VectorMath.ln2Hi), xc)
    r = multiplyAdd(k, Lanes(repeating: -VectorMath.ln2Lo), r)

    var p = Lanes(repeating: 1 / 5040)
    p = multiplyAdd(p, r, Lanes(repeating: 1 / 720))
    p = multiplyAdd(p, r, Lanes(repeating: 1 / 120))
    p = multiplyAdd(p, r, Lanes(repeating: 1 / 24))
    p = multiplyAdd(p, r, Lanes(repeating: 1 / 6))
    p = multiplyAdd(p, r, Lanes(repeating: 1 / 2))
    p = multiplyAdd(p, r, Lanes(repeating: 1))
    p = multiplyAdd(p, r, Lanes(repeating: 1))

    let kInt = unsafeBitCast(shifted, to: LaneIntegers.self) &- unsafeBitCast(shifter, to: LaneIntegers.self)
    let kHalf = kInt &>> 1
    let scale1 = unsafeBitCast((kHalf &+ 127) &<< 23, to: Lanes.self)
    let scale2 = unsafeBitCast((kInt &- kHalf &+ 127) &<< 23, to: Lanes.self)
    return p * scale1 * scale2
}

/// σ(x) = 1 / (1 + e^{−x}), lane-wise. The relative error δ of e^{−x} moves σ by at most σ(1 − σ)·δ ≤ δ/4;
/// the two roundings (of 1 + e^{−x}, and of the quotient) add about 1½ ulp of σ, so the absolute error stays
/// below 1e-7 (8.9e-8 at worst over every Float, near σ ≈ 1). σ(−∞) = 0, σ(+∞) = 1, NaN gives NaN.
@inline(__always)
func vectorSigmoid(_ x: Lanes) -> Lanes {
    let one = Lanes(repeating: 1)
    return one / (one + vectorExp(-x))
}

/// tanh(x), lane-wise. On a = |x|: an odd polynomial for a < 0.625 (so tiny inputs keep their relative
/// precision, tanh(x) ≈ x), and 1 − 2/(e^{2a} + 1) beyond; then x's sign, so tanh(−0) = −0 and tanh is exactly
/// odd. tanh(±∞) = ±1, NaN gives NaN.
@inline(__always)
func vectorTanh(_ x: Lanes) -> Lanes {
    let signMask = LaneBits(repeating: 0x8000_0000)
    let bits = unsafeBitCast(x, to: LaneBits.self)
    let a = unsafeBitCast(bits & ~signMask, to: Lanes.self)

    let one = Lanes(repeating: 1)
    let large = one - Lanes(repeating: 2) / (vectorExp(a + a) + one)

    let s = a * a
    let t = VectorMath.tanhCoefficients
    var q = Lanes(repeating: t.4)
    q = multiplyAdd(q, s, Lanes(repeating: t.3))
    q = multiplyAdd(q, s, Lanes(repeating: t.2))
    q = multiplyAdd(q, s, Lanes(repeating: t.1))
    q = multiplyAdd(q, s, Lanes(repeating: t.0))
    let small = multiplyAdd(a * s, q, a)

    // a ≥ 0, whose bit pattern orders like the number: as integers, a − limit is negative exactly when a < limit.
    // (NaN's pattern lies above every finite one: it takes the exp branch and stays NaN.)
    let belowLimit = unsafeBitCast(a, to: LaneIntegers.self)
        &- unsafeBitCast(Lanes(repeating: VectorMath.tanhPolynomialLimit), to: LaneIntegers.self)
    let magnitude = blend(bySignOf: belowLimit, small, large)
    return unsafeBitCast(unsafeBitCast(magnitude, to: LaneBits.self) | (bits & signMask),
                         to: Lanes.self)
}
