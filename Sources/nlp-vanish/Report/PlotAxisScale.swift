import Foundation

/// One chart axis resolved against its data: the value range, the ticks, and the value → [0, 1] mapping.
///
/// Kept apart from the drawing so the two ways this project's numbers need to be read — accuracies on a
/// plain 0…1 scale, gradient norms over forty decades — are decided in one place.
struct PlotAxisScale {
    let logarithmic: Bool
    /// Ticks are automatic decades, labelled 10ⁿ; explicit ticks (the distances studied) are labelled as numbers.
    let decadeLabels: Bool
    let lower: Double
    let upper: Double
    let ticks: [Double]

    init(_ axis: SVGPlot.Axis, fitting values: [Double]) {
        logarithmic = axis.logarithmic
        decadeLabels = axis.logarithmic && axis.ticks == nil
        let usable = values.filter { $0.isFinite && (!axis.logarithmic || $0 > 0) } + (axis.ticks ?? [])
        if axis.logarithmic {
            let decades = axis.bounds.map { log10($0.lowerBound)...log10($0.upperBound) }
                ?? (axis.ticks == nil ? Self.decades(covering: usable) : Self.padded(Self.span(usable.map(log10))))
            lower = pow(10, decades.lowerBound)
            upper = pow(10, decades.upperBound)
            ticks = axis.ticks ?? Self.decadeTicks(decades)
        } else {
            let span = axis.bounds ?? Self.span(usable)
            let step = Self.niceStep(span.upperBound - span.lowerBound)
            let nice = axis.bounds ?? (axis.ticks == nil
                ? (floor(span.lowerBound / step) * step)...(ceil(span.upperBound / step) * step) : Self.padded(span))
            lower = nice.lowerBound
            upper = nice.upperBound
            // Only ticks inside the range (a fixed bound need not be a multiple of the step); the slack is rounding's.
            ticks = axis.ticks ?? Array(stride(from: lower, through: upper + step * 1e-9, by: step))
        }
    }

    /// Where a value falls between the lower (0) and upper (1) bound; nil if this axis cannot show it
    /// (not finite, or not positive on a log axis).
    func fraction(_ value: Double) -> Double? {
        guard value.isFinite, !logarithmic || value > 0 else { return nil }
        if logarithmic { return (log10(value) - log10(lower)) / (log10(upper) - log10(lower)) }
        return (value - lower) / (upper - lower)
    }

    /// A tick's label as SVG text content: powers of ten as 10 with a raised exponent, the rest plainly.
    func tickLabel(_ value: Double) -> String {
        if decadeLabels {
            return "10<tspan dy=\"-5\" font-size=\"11\">\(Int(log10(value).rounded()))</tspan>"
        }
        return escapeMarkup(String(format: "%g", value))
    }

    /// The whole decades (as exponents) around positive values, so gradient norms get 10ⁿ at both ends.
    static func decades(covering positives: [Double]) -> ClosedRange<Double> {
        guard let low = positives.min(), let high = positives.max() else { return -1...0 }
        let bottom = floor(log10(low)), top = ceil(log10(high))
        return bottom...(top > bottom ? top : bottom + 1)
    }

    /// Decade exponents at a stride that keeps the axis to about eight labels, even across 1e-40…1e2.
    private static func decadeTicks(_ decades: ClosedRange<Double>) -> [Double] {
        let stride = [1.0, 2, 5, 10, 20, 50].first { (decades.upperBound - decades.lowerBound) / $0 <= 9 } ?? 100
        let first = ceil(decades.lowerBound / stride) * stride
        return Swift.stride(from: first, through: decades.upperBound, by: stride).map { pow(10, $0) }
    }

    /// A 1, 2 or 5 × 10ⁿ step giving about five intervals over a width.
    private static func niceStep(_ width: Double) -> Double {
        let rough = width > 0 ? width / 5 : 1
        let magnitude = pow(10, floor(log10(rough)))
        return ([1.0, 2, 5, 10].first { $0 * magnitude >= rough } ?? 10) * magnitude
    }

    /// Explicit ticks sit on the data's extremes; a 5% margin keeps those markers off the frame.
    private static func padded(_ range: ClosedRange<Double>) -> ClosedRange<Double> {
        let margin = (range.upperBound - range.lowerBound) * 0.05
        return (range.lowerBound - margin)...(range.upperBound + margin)
    }

    /// The smallest range holding the values, widened when they are all equal (or absent).
    private static func span(_ values: [Double]) -> ClosedRange<Double> {
        guard let low = values.min(), let high = values.max() else { return 0...1 }
        return high > low ? low...high : (low - 0.5)...(high + 0.5)
    }
}
