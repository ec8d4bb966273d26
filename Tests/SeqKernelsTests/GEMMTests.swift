import XCTest
@testable import SeqKernels

/// `gemm` against the Double-accumulating triple loop `gemmReference`, over every transposition, both values of
/// `accumulate`, leading dimensions wider than the matrices, and sizes on both sides of every tile and block
/// edge (6 × 16 packed tile, 4 × 16 in-place tile of the small-row path, 8-column edge kernel, 256-step depth
/// block, 256-row block, 32-row in-place limit, m = 1 path).
///
/// Tolerance per element: |C − C_ref| ≤ 1e-5 · (Σₚ |A(i,p)·B(p,j)| + |C₀(i,j)|). The worst-case error of a
/// Float dot product is k·u·Σ|a·b| (u = 6e-8), so this is the worst case up to k ≈ 166; deeper products stay
/// far inside it too, as rounding errors grow like √k in practice.
final class GEMMTests: XCTestCase {
    /// Runs one case and returns a failure description, or nil.
    func mismatch(m: Int, n: Int, k: Int, transA: Bool, transB: Bool, accumulate: Bool, pad: Int, width: KernelWidth,
                  rng: inout SplitMix64) -> String? {
        let lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad
        let a = randomTensor(max(1, (transA ? k : m) * lda), &rng)
        let b = randomTensor(max(1, (transB ? n : k) * ldb), &rng)
        let c0 = randomTensor(max(1, m * ldc), &rng)
        if !accumulate {
            // Whatever C held must be ignored, NaN included; padding columns must stay as they are.
            for i in 0..<m { for j in 0..<n { c0[i * ldc + j] = .nan } }
        }
        let c = copyOf(c0), expected = copyOf(c0)
        gemm(m: m, n: n, k: k, a: a.data, lda: lda, transA: transA, b: b.data, ldb: ldb, transB: transB,
             c: c.data, ldc: ldc, accumulate: accumulate, width: width)
        gemmReference(m: m, n: n, k: k, a: a.data, lda: lda, transA: transA, b: b.data, ldb: ldb,
                      transB: transB, c: expected.data, ldc: ldc, accumulate: accumulate)
        var bad = Mismatches()
        for i in 0..<m {
            for j in 0..<ldc {
                let index = i * ldc + j
                guard j < n else {
                    bad.check(c[index].bitPattern == c0[index].bitPattern, "padding (\(i),\(j)) changed")
                    continue
                }
                var magnitude = accumulate ? Double(abs(c0[index])) : 0
                for p in 0..<k {
                    let aip = transA ? a[p * lda + i] : a[i * lda + p]
                    let bpj = transB ? b[j * ldb + p] : b[p * ldb + j]
                    magnitude += Double(abs(aip * bpj))
                }
                let error = abs(Double(c[index]) - Double(expected[index]))
                bad.check(error <= 1e-5 * magnitude, "(\(i),\(j)): \(c[index]) vs \(expected[index])")
            }
        }
        guard bad.count > 0 else { return nil }
        return "m=\(m) n=\(n) k=\(k) transA=\(transA) transB=\(transB) accumulate=\(accumulate) pad=\(pad) "
            + "kernel=\(width.name): "
            + bad.summary
    }

    func checkAllForms(sizes: [Int], seed: UInt64, width: KernelWidth = .preferred) {
        var rng = SplitMix64(seed: seed)
        var failures: [String] = []
        var cases = 0
        for m in sizes {
            for n in sizes {
                for k in sizes {
                    for form in 0..<4 {
                        let transA = form & 1 != 0, transB = form & 2 != 0
                        let accumulate = (m + n + k + form) % 2 == 0
                        let pad = (m * 7 + n * 3 + k + form) % 3 == 0 ? 5 : 0
                        cases += 1
                        if let failure = mismatch(m: m, n: n, k: k, transA: transA, transB: transB,
                                                  accumulate: accumulate, pad: pad, width: width, rng: &rng) {
                            failures.append(failure)
                        }
                    }
                }
            }
        }
        XCTAssert(failures.isEmpty, "\(failures.count) of \(cases) cases failed:\n"
                  + failures.prefix(10).joined(separator: "\n"))
    }

    func testSmallShapesAllForms() {
        forEachKernelWidth { width in
            checkAllForms(sizes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33, 49], seed: 1,
                          width: width)
        }
    }

    func testLargeShapesAllForms() {
        // 257 crosses the depth block (256), the row block (256) and gemmManyRows' 128-column block; 64 and 100
        // are past the in-place-B limit (gemmManyRows when neither operand is transposed).
        forEachKernelWidth { checkAllForms(sizes: [1, 7, 64, 100, 257], seed: 2, width: $0) }
    }

    /// For m ≥ 2 every path computes each element of C in one order: per depth block of its form (256 steps,
    /// 128 with A transposed), one chain of fused multiply-adds from zero, then added to C. Each kernel
    /// this CPU has must give exactly those bits, so the 512-bit kernel (where there is one) may change speed,
    /// never a result: every form, with ragged edges on both sides of the 32-column pairing and of the depth
    /// block.
    func testEveryKernelSumsInOneOrderToTheBit() {
        var rng = SplitMix64(seed: 5)
        for (m, n, k) in [(32, 256, 256), (2048, 96, 128), (33, 100, 300), (130, 72, 40), (9, 48, 17), (44, 100, 8),
                          (256, 256, 600)] {
            for form in 0..<4 {
                let transA = form & 1 != 0, transB = form & 2 != 0
                let (lda, ldb) = (transA ? m : k, transB ? k : n)
                let a = randomTensor(m * k, &rng), b = randomTensor(k * n, &rng), c0 = randomTensor(m * n, &rng)
                let depth = GEMMBlocking.depth(transA: transA)
                var expected = [UInt32](repeating: 0, count: m * n)
                for i in 0..<m {
                    for j in 0..<n {
                        var c = c0[i * n + j]
                        for block in stride(from: 0, to: k, by: depth) {
                            var sum: Float = 0
                            for p in block..<min(k, block + depth) {
                                sum.addProduct(transA ? a[p * lda + i] : a[i * lda + p],
                                               transB ? b[j * ldb + p] : b[p * ldb + j])
                            }
                            c += sum
                        }
                        expected[i * n + j] = c.bitPattern
                    }
                }
                forEachKernelWidth { width in
                    let c = Tensor([m * n])
                    c.data.update(from: c0.data, count: m * n)
                    gemm(m: m, n: n, k: k, a: a.data, lda: lda, transA: transA, b: b.data, ldb: ldb, transB: transB,
                         c: c.data, ldc: n, accumulate: true, width: width)
                    XCTAssert((0..<m * n).allSatisfy { c[$0].bitPattern == expected[$0] },
                              "m=\(m) n=\(n) k=\(k) transA=\(transA) transB=\(transB) kernel=\(width.name)")
                }
            }
        }
    }

    /// m = 1 with B not transposed (the vector-times-matrix loop) sums each column in one chain of fused
    /// multiply-adds over all of k, from zero, then adds it to C: exactly those bits, with k and n on both sides
    /// of the 8-row and 8-column blocks and of the 1,024-column scratch block, x strided (A transposed) or not.
    func testSingleRowSumsEachColumnInOneChain() {
        var rng = SplitMix64(seed: 6)
        for (n, k) in [(1, 1), (7, 9), (8, 8), (33, 17), (300, 1030), (1030, 300), (2100, 15)] {
            for transA in [false, true] {
                for accumulate in [false, true] {
                    let lda = transA ? 3 : k, ldb = n + 5
                    let a = randomTensor(transA ? k * lda : k, &rng), b = randomTensor(k * ldb, &rng)
                    let c = randomTensor(n + 4, &rng), c0 = copyOf(c)
                    gemm(m: 1, n: n, k: k, a: a.data, lda: lda, transA: transA, b: b.data, ldb: ldb, transB: false,
                         c: c.data, ldc: n, accumulate: accumulate)
                    let wrong = (0..<n + 4).filter { j in
                        guard j < n else { return c[j].bitPattern != c0[j].bitPattern }
                        var sum: Float = 0
                        for p in 0..<k { sum.addProduct(a[transA ? p * lda : p], b[p * ldb + j]) }
                        return c[j].bitPattern != (accumulate ? c0[j] + sum : sum).bitPattern
                    }
                    XCTAssert(wrong.isEmpty, "n=\(n) k=\(k) transA=\(transA) accumulate=\(accumulate): "
                              + "\(wrong.count) columns differ, first \(wrong.first ?? -1)")
                }
            }
        }
    }

    func testEveryAccumulateAndPaddingCombination() {
        var rng = SplitMix64(seed: 3)
        for (m, n, k) in [(1, 33, 17), (5, 17, 9), (17, 31, 33), (33, 100, 64), (130, 20, 260)] {
            for form in 0..<4 {
                for accumulate in [false, true] {
                    for pad in [0, 1, 16] {
                        let failure = mismatch(m: m, n: n, k: k, transA: form & 1 != 0, transB: form & 2 != 0,
                                               accumulate: accumulate, pad: pad, width: .preferred, rng: &rng)
                        XCTAssertNil(failure)
                    }
                }
            }
        }
    }

    func testBeyondTheColumnBlockAndDeepWindows() {
        var rng = SplitMix64(seed: 4)
        // n past the 2048-column block (packed as a block only when m > 256); k spanning several depth blocks as in a whole-window weight gradient.
        for (m, n, k, transA) in [(3, 2049, 5, false), (300, 2100, 3, false), (64, 48, 1100, true),
                                   (1, 40, 600, true), (260, 30, 520, true)] {
            XCTAssertNil(mismatch(m: m, n: n, k: k, transA: transA, transB: false, accumulate: true, pad: 0, width: .preferred,
                                  rng: &rng))
        }
    }

    func testInPlaceRowTilesCoverAllButAtMostOneRow() {
        for m in 1...200 {
            let (six, four) = inPlaceRowSplit(m)
            let rest = m - 6 * six - 4 * four
            XCTAssert(six >= 0 && four >= 0 && rest >= 0, "m=\(m)")
            XCTAssert(rest <= (m < 4 ? m : 1), "m=\(m): \(rest) rows left")
            XCTAssertEqual(inPlaceTiledRows(m), m - rest)
        }
        XCTAssert(inPlaceRowSplit(32) == (4, 2))
    }

    func testDegenerateSizes() {
        var c: [Float] = [1, 2, 3, 4]
        let one: [Float] = [1]
        // k = 0: the product is empty, so C becomes 0 or stays as it was.
        gemm(m: 2, n: 2, k: 0, a: one, lda: 1, transA: false, b: one, ldb: 2, transB: false,
             c: &c, ldc: 2, accumulate: true)
        XCTAssertEqual(c, [1, 2, 3, 4])
        gemm(m: 2, n: 2, k: 0, a: one, lda: 1, transA: false, b: one, ldb: 2, transB: false,
             c: &c, ldc: 2, accumulate: false)
        XCTAssertEqual(c, [0, 0, 0, 0])
        // m = 0 or n = 0: nothing is touched.
        c = [5, 6, 7, 8]
        gemm(m: 0, n: 2, k: 3, a: one, lda: 3, transA: false, b: one, ldb: 2, transB: false,
             c: &c, ldc: 2, accumulate: false)
        gemm(m: 2, n: 0, k: 1, a: one, lda: 1, transA: false, b: one, ldb: 1, transB: false,
             c: &c, ldc: 1, accumulate: false)
        XCTAssertEqual(c, [5, 6, 7, 8])
    }

    func testHandComputedProduct() {
        // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154], exact in Float.
        let a: [Float] = [1, 2, 3, 4, 5, 6], b: [Float] = [7, 8, 9, 10, 11, 12]
        var c: [Float] = [1, 1, 1, 1]
        gemm(m: 2, n: 2, k: 3, a: a, lda: 3, transA: false, b: b, ldb: 2, transB: false,
             c: &c, ldc: 2, accumulate: true)
        XCTAssertEqual(c, [59, 65, 140, 155])
        // The same product from Aᵀ stored [3 × 2] and Bᵀ stored [2 × 3].
        let at: [Float] = [1, 4, 2, 5, 3, 6], bt: [Float] = [7, 9, 11, 8, 10, 12]
        gemm(m: 2, n: 2, k: 3, a: at, lda: 2, transA: true, b: bt, ldb: 3, transB: true,
             c: &c, ldc: 2, accumulate: false)
        XCTAssertEqual(c, [58, 64, 139, 154])
    }
}
