import SeqKernels

/// A layer's input products one step at a time, for the cells whose recurrence is itself a product (Elman, LSTM,
/// GRU): the forward's x_t·W_ihᵀ just before the step's recurrent product or pointwise pass reads it, and the
/// backward's ∂L/∂x_t = ∂L/∂z_t·W_ih just after the step has produced ∂L/∂z_t. Either way the step's rows are
/// still in cache; computed for the whole window at once, T·B rows of gates (8 MiB for an LSTM at H = 256) would
/// have left for L3 by the time a step reads them. Same bits as one GEMM over the window: every GEMM path sums
/// each element in the same depth blocks, in the same order.
///
/// A token input is a row gather of W_ihᵀ (its backward is not needed: tokens have no gradient); a dense one a
/// product with W_ih packed once per window (`packGEMMPanels`), W_ihᵀ for the forward and W_ih for the backward.
final class StepInputProjection {
    /// W_ihᵀ, [in × N] (N = H times the cell's gate count).
    let inputWeight: Parameter
    private var inputWidth: Int { inputWeight.shape[0] }
    private var width: Int { inputWeight.shape[1] }
    /// Allocated on first use, so a layer fed tokens never holds one.
    private lazy var packedWeight = Tensor([max(packedPanelCount(k: inputWidth, n: width),
                                                packedPanelCount(k: width, n: inputWidth))])

    init(_ inputWeight: Parameter) {
        self.inputWeight = inputWeight
    }

    /// Packs W_ihᵀ for the window's `project` calls (a token input needs nothing).
    func prepareForward(_ input: LayerInput) {
        guard case .dense = input else { return }
        packGEMMPanels(inputWeight.value.data, ldb: width, transB: false, k: inputWidth, n: width,
                       into: packedWeight.data)
    }

    /// out[B × N] (rows `ldOut` apart) = x_t·W_ihᵀ for step t (1…T) of a window of `batch` rows per step.
    func project(_ input: LayerInput, step t: Int, batch: Int, into out: UnsafeMutablePointer<Float>, ldOut: Int) {
        switch input {
        case .tokens(let ids):
            gatherRows(table: inputWeight.value.data, ldTable: width, indices: ids + (t - 1) * batch, count: batch,
                       cols: width, out: out, ldOut: ldOut, accumulate: false)
        case .dense(let x):
            gemmPackedB(m: batch, n: width, k: inputWidth, a: x + (t - 1) * batch * inputWidth, lda: inputWidth,
                        packedB: packedWeight.data, c: out, ldc: ldOut, accumulate: false)
        }
    }

    /// Packs W_ih for the window's `gradient` calls.
    func prepareBackward() {
        packGEMMPanels(inputWeight.value.data, ldb: width, transB: true, k: width, n: inputWidth,
                       into: packedWeight.data)
    }

    /// dx[T·B × in]'s rows of step t = ∂L/∂z_t·W_ih, from `grads` [B × N] (rows `ldGrads` apart).
    func gradient(step t: Int, batch: Int, grads: UnsafePointer<Float>, ldGrads: Int,
                  into dx: UnsafeMutablePointer<Float>) {
        gemmPackedB(m: batch, n: inputWidth, k: width, a: grads, lda: ldGrads, packedB: packedWeight.data,
                    c: dx + (t - 1) * batch * inputWidth, ldc: inputWidth, accumulate: false)
    }
}
