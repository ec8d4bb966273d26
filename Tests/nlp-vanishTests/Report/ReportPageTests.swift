@testable import nlp_vanish
import XCTest

/// The two report pages: self-contained, one chart per panel described, every variant and verdict shown.
final class ReportPageTests: XCTestCase {
    private func assertSelfContained(_ html: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(occurrences(of: "<html", in: html), 1, file: file, line: line)
        XCTAssertEqual(occurrences(of: "</html>", in: html), 1, file: file, line: line)
        XCTAssertEqual(occurrences(of: "<svg", in: html), occurrences(of: "</svg>", in: html), file: file, line: line)
        XCTAssertFalse(html.lowercased().contains("<script"), file: file, line: line)
        XCTAssertFalse(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"),
                       "no external resources", file: file, line: line)
    }

    func testStudyReportWithTwoDepths() throws {
        let runs = try SyntheticStudy.runs(activations: ["tanh", "sigmoid"], depths: [1, 2])
        let verdict = ["tanh:xavier solves d = 10 with every seed.", "sigmoid:xavier never gets past chance."]
        let html = renderStudyReport(results: runs, summary: try SyntheticStudy.summary(of: runs),
                                      verdict: verdict)
        assertSelfContained(html)
        // A: 2 depths; B at init and after training: 1 + 2 layers each; C: 1; D: 2 depths.
        XCTAssertEqual(occurrences(of: "<svg", in: html), 2 + 3 + 3 + 1 + 2)
        for text in verdict + ["tanh:xavier", "sigmoid:xavier", "chance 0.125", "against depth", "50%"] {
            XCTAssertTrue(html.contains(text), text)
        }
        XCTAssertTrue(html.contains("class=\"unplottable\""), "sigmoid's g(k) underflows to 0")
        XCTAssertTrue(html.contains("float32 underflow"))
    }

    func testSingleDepthHasNoDepthPlot() throws {
        let runs = try SyntheticStudy.runs(activations: ["tanh"], depths: [1])
        let html = renderStudyReport(results: runs, summary: try SyntheticStudy.summary(of: runs),
                                      verdict: ["ok"])
        assertSelfContained(html)
        XCTAssertEqual(occurrences(of: "<svg", in: html), 1 + 1 + 1 + 1)
        XCTAssertFalse(html.contains("against depth"))
        XCTAssertFalse(html.contains("class=\"unplottable\""), "tanh's g(k) stays positive")
    }

    func testAddingTaskIsScoredByMSEAgainstTheBaseline() throws {
        let runs = try SyntheticStudy.runs(activations: ["relu"], depths: [1], task: .adding)
        let html = renderStudyReport(results: runs, summary: try SyntheticStudy.summary(of: runs, task: .adding),
                                      verdict: ["ok"])
        XCTAssertTrue(html.contains("baseline MSE 0.167"))
        XCTAssertTrue(html.contains("Test MSE"))
        XCTAssertFalse(html.contains("chance 0."))
        XCTAssertFalse(html.contains("class=\"unplottable\""), "MSE is plotted, not the missing accuracy")
    }

    func testVariantsAndVerdictAreEscaped() throws {
        let runs = [try SyntheticStudy.run(activation: "a<b&c", layers: 1, distance: 10, seed: 1, accuracy: 1)]
        let html = renderStudyReport(results: runs, summary: try SyntheticStudy.summary(of: runs),
                                      verdict: ["1 < 2 & \"so\""])
        XCTAssertFalse(html.contains("a<b&c"))
        XCTAssertTrue(html.contains("a&lt;b&amp;c:xavier"))
        XCTAssertTrue(html.contains("1 &lt; 2 &amp; &quot;so&quot;"))
    }

    func testGradientFlowReport() {
        let length = 50
        let profiles: [(variant: String, layers: Int, profile: [[Double]], firstLayerGradient: Double)] = [1, 2].flatMap { depth in
            [("tanh:xavier", 0.8), ("sigmoid:xavier", 0.1)].map { variant, decay in
                (variant: variant, layers: depth,
                 profile: Array(repeating: SyntheticStudy.profile(length: length, decay: decay), count: depth),
                 firstLayerGradient: pow(decay, Double(depth)))
            }
        }
        let html = renderGradientFlowReport(profiles: profiles, length: length)
        assertSelfContained(html)
        XCTAssertEqual(occurrences(of: "<svg", in: html), 1 + 2 + 1, "B for depth 1 and 2, then C")
        for text in ["tanh:xavier", "sigmoid:xavier", "T = 50", "float32 underflow", "against depth"] {
            XCTAssertTrue(html.contains(text), text)
        }
    }
}
