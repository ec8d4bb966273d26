/// Scalar references for the row gather and scatter-add.

/// Reference for `gatherRows`.
public func gatherRowsReference(table: UnsafePointer<Float>, ldTable: Int, indices: UnsafePointer<Int32>,
                                count: Int, cols: Int, out: UnsafeMutablePointer<Float>, ldOut: Int,
                                accumulate: Bool) {
    for r in 0..<count {
        for c in 0..<cols {
            let value = table[Int(indices[r]) * ldTable + c]
            out[r * ldOut + c] = accumulate ? out[r * ldOut + c] + value : value
        }
    }
}

/// Reference for `scatterAddRows`.
public func scatterAddRowsReference(src: UnsafePointer<Float>, ldSrc: Int, indices: UnsafePointer<Int32>,
                                    count: Int, cols: Int, table: UnsafeMutablePointer<Float>, ldTable: Int) {
    for r in 0..<count {
        for c in 0..<cols { table[Int(indices[r]) * ldTable + c] += src[r * ldSrc + c] }
    }
}
