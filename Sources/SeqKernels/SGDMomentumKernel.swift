/// SGD with (heavy-ball, PyTorch-style) momentum: buf = μ buf + g; p −= lr · buf  (μ = 0: plain SGD).
///
/// "PyTorch-style" means the learning rate multiplies the whole buffer rather than being folded into it
/// (buf = μ buf + lr g, Sutskever et al.); the two agree only while lr is constant.
public func sgdMomentumUpdate(param: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                              velocity: UnsafeMutablePointer<Float>, count: Int, lr: Float, momentum: Float) {
    precondition(count >= 0, "sgdMomentumUpdate: negative count")
    let mu = SIMD8(repeating: momentum), rate = SIMD8(repeating: -lr)
    var i = 0
    while i + 8 <= count {
        let buf = multiplyAdd(mu, velocity.vector(at: i), grad.vector(at: i))
        velocity.storeVector(buf, at: i)
        param.storeVector(multiplyAdd(rate, buf, param.vector(at: i)), at: i)
        i += 8
    }
    while i < count {
        let buf = grad[i].addingProduct(momentum, velocity[i])
        velocity[i] = buf
        param[i] = param[i].addingProduct(-lr, buf)
        i += 1
    }
}
