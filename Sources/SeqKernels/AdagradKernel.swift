/// Adagrad (Duchi et al. 2011): acc += g²; p −= lr · g / (√acc + ε). Each parameter's step shrinks with the
/// total squared gradient it has seen (the optimizer of Karpathy's min-char-rnn).
public func adagradUpdate(param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                          accumulator: UnsafeMutablePointer<Float>, count: Int, lr: Float, eps: Float) {
    precondition(count >= 0, "adagradUpdate: negative count")
    let rate = SIMD8(repeating: -lr), eps8 = SIMD8(repeating: eps)
    var i = 0
    while i + 8 <= count {
        let g = grad.vector(at: i)
        let acc = multiplyAdd(g, g, accumulator.vector(at: i))
        accumulator.storeVector(acc, at: i)
        param.storeVector(multiplyAdd(rate, g / (squareRoot(acc) + eps8), param.vector(at: i)), at: i)
        i += 8
    }
    while i < count {
        let g = grad[i]
        let acc = accumulator[i].addingProduct(g, g)
        accumulator[i] = acc
        param[i] = param[i].addingProduct(-lr, g / (acc.squareRoot() + eps))
        i += 1
    }
}
