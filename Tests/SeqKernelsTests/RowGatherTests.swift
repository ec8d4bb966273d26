import XCTest
@testable import SeqKernels

final class RowGatherTests: XCTestCase {
    func testGatherAndScatterMatchReference() {
        var rng = SplitMix64(seed: 80)
        let tableRows = 11
        for cols in awkwardCounts {
            let ldTable = cols + 2, ldRows = cols + 1, count = 13
            let table = randomTensor(tableRows * ldTable, &rng)
            // Repeated indices on purpose: the scatter must accumulate them.
            let indices = (0..<count).map { _ in Int32(rng.int(below: 4)) * 2 + 1 }
            for accumulate in [false, true] {
                let out = randomTensor(count * ldRows, &rng), expected = copyOf(out)
                gatherRows(table: table.data, ldTable: ldTable, indices: indices, count: count, cols: cols,
                           out: out.data, ldOut: ldRows, accumulate: accumulate)
                gatherRowsReference(table: table.data, ldTable: ldTable, indices: indices, count: count, cols: cols,
                                    out: expected.data, ldOut: ldRows, accumulate: accumulate)
                XCTAssertEqual(out.array, expected.array, "gather cols=\(cols) accumulate=\(accumulate)")
            }
            let src = randomTensor(count * ldRows, &rng)
            let grad = copyOf(table), expected = copyOf(table)
            scatterAddRows(src: src.data, ldSrc: ldRows, indices: indices, count: count, cols: cols,
                           table: grad.data, ldTable: ldTable)
            scatterAddRowsReference(src: src.data, ldSrc: ldRows, indices: indices, count: count, cols: cols,
                                    table: expected.data, ldTable: ldTable)
            XCTAssertEqual(grad.array, expected.array, "scatter cols=\(cols)")
        }
    }

    func testHandComputed() {
        let table: [Float] = [1, 2, 3, 4, 5, 6]            // 3 rows of 2
        var out = [Float](repeating: 0, count: 6)
        gatherRows(table: table, ldTable: 2, indices: [2, 0, 2], count: 3, cols: 2, out: &out, ldOut: 2,
                   accumulate: false)
        XCTAssertEqual(out, [5, 6, 1, 2, 5, 6])
        var grad = [Float](repeating: 0, count: 6)
        scatterAddRows(src: [1, 1, 2, 2, 10, 10], ldSrc: 2, indices: [2, 0, 2], count: 3, cols: 2,
                       table: &grad, ldTable: 2)
        XCTAssertEqual(grad, [2, 2, 0, 0, 11, 11])
    }
}
