/// Row lookups by index: the input projection of one-hot tokens, and its gradient.
///
/// Multiplying a one-hot row by W_ih [V × H] selects row `token` of W_ih, so a window's input projection is a
/// gather of T·B rows (O(T·B·H)) instead of a GEMM (O(T·B·V·H)); its gradient adds each row of ∂L/∂z back into
/// the selected row of ∂L/∂W_ih.

/// out[r][:] (=|+=) table[indices[r]][:] for r in 0..<count, `cols` floats per row. Indices must be ≥ 0 and
/// name rows of the table.
public func gatherRows(table: UnsafePointer<Float>, ldTable: Int, indices: UnsafePointer<Int32>, count: Int,
                       cols: Int, out: UnsafeMutablePointer<Float>, ldOut: Int, accumulate: Bool) {
    precondition(count >= 0 && cols >= 0, "gatherRows: negative size")
    for r in 0..<count {
        let index = Int(indices[r])
        precondition(index >= 0, "gatherRows: negative index \(index)")
        let source = table + index * ldTable, destination = out + r * ldOut
        if accumulate {
            add(source, into: destination, count: cols)
        } else {
            destination.update(from: source, count: cols)
        }
    }
}

/// table[indices[r]][:] += src[r][:] for r in 0..<count, in order, so repeated indices accumulate.
public func scatterAddRows(src: UnsafePointer<Float>, ldSrc: Int, indices: UnsafePointer<Int32>, count: Int,
                           cols: Int, table: UnsafeMutablePointer<Float>, ldTable: Int) {
    precondition(count >= 0 && cols >= 0, "scatterAddRows: negative size")
    for r in 0..<count {
        let index = Int(indices[r])
        precondition(index >= 0, "scatterAddRows: negative index \(index)")
        add(src + r * ldSrc, into: table + index * ldTable, count: cols)
    }
}
