/// Eight-lane loads and stores of Float data at any element offset.
///
/// `SIMD8<Float>` has 16-byte alignment in Swift, so binding a Float pointer to it would demand alignment
/// the callers cannot promise (leading dimensions and column offsets are arbitrary). Unaligned raw loads and
/// stores compile to one `vmovups` on AVX hardware, which costs the same as an aligned move when the data is
/// in fact aligned.
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
        let four = lowHalf.replacing(with: highHalf, where: highHalf .> lowHalf)
        let two = four.lowHalf.replacing(with: four.highHalf, where: four.highHalf .> four.lowHalf)
        return two[1] > two[0] ? two[1] : two[0]
    }
}
