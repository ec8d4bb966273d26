import Foundation

/// The Wilson score interval of a binomial proportion: k successes in n trials at normal quantile z,
///
///     centre = (k + z²/2) / (n + z²),   half-width = z / (n + z²) · √(k(n − k)/n + z²/4).
///
/// Unlike the textbook k/n ± z√(p(1 − p)/n) it stays inside [0, 1] and does not shrink to a point at 0/n or
/// n/n, which is where a handful of seeds usually lands: 3/3 gives [0.44, 1], 8/8 gives [0.68, 1].
public struct WilsonInterval: Codable, Equatable, Sendable, CustomStringConvertible {
    public var lower: Double
    public var upper: Double

    /// z of a two-sided 95% interval: Φ⁻¹(0.975).
    public static let z95 = 1.959963984540054

    public init(successes k: Int, trials n: Int, z: Double = WilsonInterval.z95) {
        guard n > 0 else { lower = 0; upper = 1; return }
        let (k, n, z2) = (Double(k), Double(n), z * z)
        let centre = (k + z2 / 2) / (n + z2)
        let halfWidth = z / (n + z2) * (k * (n - k) / n + z2 / 4).squareRoot()
        // At k = 0 and k = n the bound is exactly 0 or 1; rounding must not move it off.
        lower = k == 0 ? 0 : max(0, centre - halfWidth)
        upper = k == n ? 1 : min(1, centre + halfWidth)
    }

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// Every value of this interval lies above every value of `other`: the difference is beyond chance at the
    /// intervals' level (a conservative test; overlapping intervals can still differ).
    public func isAbove(_ other: WilsonInterval) -> Bool { lower > other.upper }

    public var description: String { String(format: "%.2f–%.2f", lower, upper) }
}
