import XCTest
@testable import SeqKernels

/// `gemmPackedB` on a B packed by `packGEMMPanels` (plain and transposed) against `gemmReference` on B itself,
/// over sizes on both sides of the 4-, 6- and 8-row tiles, the 8- and 16-column tiles and the 32-column pairs
/// of the 512-bit kernel, and the 256-step depth block; with each kernel the CPU has.
final class GEMMPackedBTests: XCTestCase {
    func testAgainstReferenceOverAwkwardShapes() {
        forEachKernelWidth { checkAwkwardShapes(width: $0) }
    }

    /// Each element of C is, per depth block of 256 steps, one chain of fused multiply-adds from zero, then added
    /// to C, as on every other path (`GEMMTests.testEveryKernelSumsInOneOrderToTheBit`): exactly those bits at each
    /// width this CPU has, a batch of one (eight panels at a time on sixteen lanes, four on eight) included.
    func testEveryKernelSumsInOneOrderToTheBit() {
        var rng = SplitMix64(seed: 12)
        for (m, n, k) in [(1, 100, 100), (1, 130, 300), (1, 256, 17), (2, 200, 64), (9, 100, 257), (33, 72, 40)] {
            let a = (0..<(m * k)).map { _ in rng.float(-1, 1) }
            let b = (0..<(k * n)).map { _ in rng.float(-1, 1) }
            let c0 = (0..<(m * n)).map { _ in rng.float(-1, 1) }
            var expected = c0
            for i in 0..<m {
                for j in 0..<n {
                    for block in stride(from: 0, to: k, by: GEMMBlocking.depthBlock) {
                        var sum: Float = 0
                        for p in block..<min(k, block + GEMMBlocking.depthBlock) {
                            sum.addProduct(a[i * k + p], b[p * n + j])
                        }
                        expected[i * n + j] += sum
                    }
                }
            }
            var packed = [Float](repeating: .nan, count: packedPanelCount(k: k, n: n))
            packGEMMPanels(b, ldb: n, transB: false, k: k, n: n, into: &packed)
            forEachKernelWidth { width in
                var actual = c0
                gemmPackedB(m: m, n: n, k: k, a: a, lda: k, packedB: packed, c: &actual, ldc: n, accumulate: true,
                            width: width)
                XCTAssert(zip(actual, expected).allSatisfy { $0.bitPattern == $1.bitPattern },
                          "m \(m) n \(n) k \(k) kernel \(width.name)")
            }
        }
    }

    func checkAwkwardShapes(width: KernelWidth) {
        var rng = SplitMix64(seed: 11)
        var cases = 0
        for m in [1, 3, 4, 5, 8, 13, 32, 33] {
            for n in [1, 7, 8, 9, 16, 24, 31, 64, 100] {
                for k in [1, 5, 64, 257] {
                    for transB in [false, true] {
                        let accumulate = (m + n + k) % 2 == 0
                        let a = (0..<(m * k)).map { _ in rng.float(-1, 1) }
                        let b = (0..<(k * n)).map { _ in rng.float(-1, 1) }
                        let c0 = (0..<(m * n)).map { _ in rng.float(-1, 1) }
                        var packed = [Float](repeating: .nan, count: packedPanelCount(k: k, n: n))
                        var expected = c0, actual = c0
                        let ldb = transB ? k : n
                        packGEMMPanels(b, ldb: ldb, transB: transB, k: k, n: n, into: &packed)
                        gemmPackedB(m: m, n: n, k: k, a: a, lda: k, packedB: packed, c: &actual, ldc: n,
                                    accumulate: accumulate, width: width)
                        gemmReference(m: m, n: n, k: k, a: a, lda: k, transA: false, b: b, ldb: ldb, transB: transB,
                                      c: &expected, ldc: n, accumulate: accumulate)
                        for i in 0..<(m * n) {
                            // |error| ≤ 1e-5 · (Σ|a·b| + |c₀|), bounded here by k + 1 for values in [−1, 1].
                            XCTAssertEqual(actual[i], expected[i], accuracy: 1e-5 * Float(k + 1),
                                           "m \(m) n \(n) k \(k) transB \(transB) element \(i)")
                        }
                        cases += 1
                    }
                }
            }
        }
        XCTAssertEqual(cases, 8 * 9 * 4 * 2)
    }
}
