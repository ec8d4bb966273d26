/// `iterations` rounds of ten independent 16-lane multiply-add chains held in registers, 320 flops per round:
/// the loop `measuredFMAPeakGFLOPS` times when the GEMMs run the 512-bit kernel, so that their GFLOP/s are
/// read against the peak of the instructions they use. Returns one lane, so the work cannot be optimised away.
public func fmaChains512(iterations: Int) -> Float {
    var a0 = SIMD16<Float>(repeating: 0), a1 = SIMD16<Float>(repeating: 1), a2 = SIMD16<Float>(repeating: 2)
    var a3 = SIMD16<Float>(repeating: 3), a4 = SIMD16<Float>(repeating: 4), a5 = SIMD16<Float>(repeating: 5)
    var a6 = SIMD16<Float>(repeating: 6), a7 = SIMD16<Float>(repeating: 7), a8 = SIMD16<Float>(repeating: 8)
    var a9 = SIMD16<Float>(repeating: 9)
    let factor = SIMD16<Float>(repeating: 0.999_999)
    for _ in 0..<iterations {
        a0.addProduct(a0, factor); a1.addProduct(a1, factor); a2.addProduct(a2, factor)
        a3.addProduct(a3, factor); a4.addProduct(a4, factor); a5.addProduct(a5, factor)
        a6.addProduct(a6, factor); a7.addProduct(a7, factor); a8.addProduct(a8, factor)
        a9.addProduct(a9, factor)
    }
    return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9)[0]
}
