import SeqKernels
/// Records, during one backward pass, how large the gradient is at every layer and step:
/// g_l(t) = mean over the batch of ‖∂L/∂h_t‖₂ for layer l, t = 0…T (t = 0 is the carried-in state h₀).
///
/// This is the vanishing gradient made visible: for a loss at the last step, g(T−k) is the signal that reaches
/// k steps back. The probe only reads what BPTT computes anyway; a backward pass without one pays nothing.
public final class GradientProbe {
    public let layers: Int
    public let steps: Int
    /// norms[l][t], t = 0…T.
    public private(set) var norms: [[Double]]
    /// For the LSTM, cellNorms[l][t] = mean over the batch of ‖∂L/∂c_t‖₂, the whole gradient at the cell state
    /// (through h_t and through c_{t+1}): the path on which the LSTM carries its error back. Zero for other cells.
    public private(set) var cellNorms: [[Double]]

    public init(layers: Int, steps: Int) {
        self.layers = layers
        self.steps = steps
        norms = Array(repeating: Array(repeating: 0, count: steps + 1), count: layers)
        cellNorms = norms
    }

    /// g_l(T − k): the gradient k steps before the window's last step.
    public func norm(layer: Int, stepsBack k: Int) -> Double { norms[layer][steps - k] }

    /// ‖∂L/∂h_source‖ / ‖∂L/∂h_T‖ for layer `layer`: how much of the loss step's gradient reaches step `source`.
    /// Nil when the gradient at the loss step is zero or not finite.
    public func ratio(layer: Int = 0, source: Int) -> Double? {
        let atLoss = norms[layer][steps]
        guard atLoss > 0, atLoss.isFinite else { return nil }
        return norms[layer][source] / atLoss
    }

    func record(layer: Int, step: Int, grad: UnsafePointer<Float>, rows: Int, cols: Int) {
        norms[layer][step] = Self.meanRowNorm(grad, rows: rows, cols: cols)
    }

    func recordCell(layer: Int, step: Int, grad: UnsafePointer<Float>, rows: Int, cols: Int) {
        cellNorms[layer][step] = Self.meanRowNorm(grad, rows: rows, cols: cols)
    }

    /// Mean over rows of each row's Euclidean norm, for a [rows × cols] block.
    public static func meanRowNorm(_ grad: UnsafePointer<Float>, rows: Int, cols: Int) -> Double {
        var total = 0.0
        for r in 0..<rows { total += sumOfSquares(grad + r * cols, count: cols).squareRoot() }
        return total / Double(rows)
    }
}
