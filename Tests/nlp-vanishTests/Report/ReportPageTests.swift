@testable import nlp_vanish
import SeqStudy
import XCTest

/// The two report pages: self-contained, one chart per panel described, every variant and verdict shown.
final class ReportPageTests: XCTestCase {
    private func assertSelfContained(_ html: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(occurrences(of: "<html", in: html), 1, file: file, line: line)
        XCTAssertEqual(occurrences(of: "</html>", in: html), 1, file: file, line: line)
        XCTAssertEqual(occurrences(of: "<svg", in: html), occurrences(of: "</svg>", in: html), file: file, line: line)
        // Scripts are inline (the legend toggles), never fetched.
        XCTAssertFalse(html.lowercased().contains("<script src"), file: file, line: line)
        XCTAssertFalse(html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"),
                       "no external resources", file: file, line: line)
    }

    func testStudyReportWithTwoDepths() throws {
        let runs = try SyntheticStudy.runs(activations: ["tanh", "sigmoid"], depths: [1, 2])
        let verdict = ["tanh:xavier solves d = 10 with every seed.", "sigmoid:xavier never gets past chance."]
        let html = renderStudyReport(results: runs, summary: try SyntheticStudy.summary(of: runs),
                                      verdict: verdict)
        assertSelfContained(html)
        // A and A′ (steps to solve): 2 depths each; B at init and after training: 1 + 2 layers each; C: 1; D: 2.
        XCTAssertEqual(occurrences(of: "<svg", in: html), 2 + 2 + 3 + 3 + 1 + 2)
        // Seeds solved with the 95% Wilson interval of the rate: 1 of 2 at d = 40.
        for text in verdict + ["tanh:xavier", "sigmoid:xavier", "chance 0.125", "against depth", "1/2<br><small>0.09–0.91",
                               "training steps to solve"] {
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
        XCTAssertEqual(occurrences(of: "<svg", in: html), 1 + 1 + 1 + 1 + 1)
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

    /// The LSTM's ‖∂L/∂c‖ is drawn as its own dashed line, never averaged into ‖∂L/∂h‖.
    func testCellStateGradientIsItsOwnLine() throws {
        var run = try SyntheticStudy.run(activation: "tanh", layers: 1, distance: 10, seed: 1, accuracy: 1, decay: 0.5)
        run.profiles += run.profiles.map {
            GradientProfileRecord(layer: $0.layer, phase: $0.phase, norms: $0.norms.map { $0 * 1e6 }, quantity: "c")
        }
        let study = renderStudyReport(results: [run], summary: try SyntheticStudy.summary(of: [run]), verdict: ["ok"])
        XCTAssertEqual(occurrences(of: "tanh:xavier (c)", in: study), 2, "one c line at initialisation, one after training")
        XCTAssertTrue(study.contains("dashed ‖∂L/∂c‖"))

        let profile = SyntheticStudy.profile(length: 20, decay: 0.5)
        let flow = renderGradientFlowReport(profiles: [(variant: "lstm", layers: 1, profile: [profile], firstLayerGradient: 1)],
                                            cellProfiles: [(variant: "lstm", layers: 1, profile: [profile.map { $0 * 10 }])],
                                            length: 20)
        XCTAssertEqual(occurrences(of: "lstm (c)", in: flow), 1)
        XCTAssertFalse(renderGradientFlowReport(profiles: [(variant: "gru", layers: 1, profile: [profile], firstLayerGradient: 1)],
                                                length: 20).contains("(c)"))
    }
}
