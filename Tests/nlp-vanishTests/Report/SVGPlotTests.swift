@testable import nlp_vanish
import XCTest

/// The chart's promises: nothing a log axis cannot show disappears, decades stay readable, text is escaped.
final class ReportSVGPlotTests: XCTestCase {
    private func plot(_ values: [Double], logarithmic: Bool, label: String = "tanh:xavier") -> String {
        SVGPlot(title: "g(k)", x: .init(label: "k"), y: .init(label: "norm", logarithmic: logarithmic),
                series: [.init(label: label, colour: "#0072B2", points: values.enumerated().map { (Double($0.offset), $0.element) })])
            .svg()
    }

    func testLogAxisDrawsZerosAndNonFiniteValuesOnTheBottomEdge() {
        let svg = plot([1, 1e-3, 1e-9, 0, 0, .nan], logarithmic: true)
        XCTAssertEqual(occurrences(of: "class=\"unplottable\"", in: svg), 3)
        XCTAssertTrue(svg.contains("float32 underflow"))
        XCTAssertEqual(occurrences(of: "<polyline", in: svg), 1, "the line stops at the first zero")
        XCTAssertEqual(occurrences(of: "<circle", in: svg), 3 + 1, "three data markers and the legend's")
    }

    func testPositiveDataNeedsNoUnderflowNote() {
        let svg = plot([1, 1e-3, 1e-9], logarithmic: true)
        XCTAssertEqual(occurrences(of: "class=\"unplottable\"", in: svg), 0)
        XCTAssertFalse(svg.contains("underflow"))
    }

    func testFortyDecadesGetAboutEightTicksAtPowersOfTen() {
        let svg = SVGPlot(title: "t", x: .init(label: "k"), y: .init(label: "g", logarithmic: true, bounds: 1e-40...1e2),
                          series: []).svg()
        let exponents = svg.components(separatedBy: "font-size=\"11\">").dropFirst().map { $0.prefix { $0 != "<" } }
        XCTAssertEqual(exponents, ["-40", "-35", "-30", "-25", "-20", "-15", "-10", "-5", "0"])
    }

    func testLabelsAreEscapedForXML() {
        let svg = SVGPlot(title: "a<b&c", x: .init(label: "a<b&c"), y: .init(label: "y"),
                          series: [.init(label: "a<b&c", colour: "#000000", points: [(0, 0), (1, 1)])],
                          reference: .init(y: 0.5, label: "a<b&c")).svg()
        XCTAssertFalse(svg.contains("a<b&c"))
        XCTAssertEqual(occurrences(of: "a&lt;b&amp;c", in: svg), 5, "<title>, title, x label, legend, reference")
    }

    func testLegendStaysRightOfThePlotArea() throws {
        let svg = plot([0.1, 0.5], logarithmic: false, label: "relu:identity")
        let legendText = try XCTUnwrap(svg.split(separator: "\n").first { $0.hasSuffix(">relu:identity</text>") })
        let x = try XCTUnwrap(Double(legendText.split(separator: "\"")[1]))
        XCTAssertGreaterThan(x, 66 + 340, "left margin + plot width")
    }
}
