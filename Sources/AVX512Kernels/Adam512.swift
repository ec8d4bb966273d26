/// Adam over the first `count / 16 · 16` elements, sixteen at a time; returns how many it updated (SeqKernels'
/// `adamUpdate` does the rest). The same arithmetic as the eight-lane loop (`AdamLanes`), so the same bits.
/// Its √ and ÷ bound it, not memory (29,000 parameters at (100, 1, 1, 25) are in L2), so the wider vector pays:
/// each √ and ÷ instruction serves twice the elements.
public func adamUpdate512(param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                          m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int,
                          beta1: Float, beta2: Float, eps: Float, stepSize: Float, varianceCorrection: Float) -> Int {
    let adam = AdamLanes(beta1: beta1, beta2: beta2, eps: eps, stepSize: stepSize,
                         varianceCorrection: varianceCorrection)
    let body = count - count % 16
    for i in stride(from: 0, to: body, by: 16) {
        adam.update(param: param, grad: grad, m: m, v: v, at: i)
    }
    return body
}
