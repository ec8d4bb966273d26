/// The LSTM's and the GRU's forward step (the element-wise part) on sixteen lanes: the same lane code as
/// SeqKernels' `lstmForwardPointwise` and `gruForwardPointwise` (`GatedCellLanes.swift`), so the same bits. Four
/// or three exp per unit make these passes compute-bound, so the wider vector pays.

/// See SeqKernels' `lstmForwardPointwise`.
public func lstmForwardPointwise512(gates: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>,
                                    cPrev: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                                    cTanh: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>,
                                    rows: Int, hidden H: Int) {
    for r in 0..<rows {
        let (zr, row) = (gates + r * 4 * H, r * H)
        var j = 0
        while j + 16 <= H {
            lstmForwardLanes(zr, bias, cPrev + row, c + row, cTanh + row, h + row, j, H, 16)
            j += 16
        }
        if j < H { lstmForwardLanes(zr, bias, cPrev + row, c + row, cTanh + row, h + row, j, H, H - j) }
    }
}

/// See SeqKernels' `gruForwardPointwise`.
public func gruForwardPointwise512(gates: UnsafeMutablePointer<Float>, recurrent: UnsafePointer<Float>,
                                   biasInput: UnsafePointer<Float>, biasRecurrent: UnsafePointer<Float>,
                                   hPrev: UnsafePointer<Float>, hn: UnsafeMutablePointer<Float>,
                                   h: UnsafeMutablePointer<Float>, rows: Int, hidden H: Int) {
    for r in 0..<rows {
        let (xr, hr, row) = (gates + r * 3 * H, recurrent + r * 3 * H, r * H)
        var j = 0
        while j + 16 <= H {
            gruForwardLanes(xr, hr, biasInput, biasRecurrent, hPrev + row, hn + row, h + row, j, H, 16)
            j += 16
        }
        if j < H { gruForwardLanes(xr, hr, biasInput, biasRecurrent, hPrev + row, hn + row, h + row, j, H, H - j) }
    }
}
