import XCTest
@testable import SeqModel

/// `nlp-vanish profile`'s measurement: the report is complete and consistent, and attaching a timer changes
/// nothing a step computes. No speed is asserted.
final class StepProfileTests: XCTestCase {
    func testReportIsCompleteAndConsistent() {
        let config = StepProfileConfig(hidden: 16, layers: 2, batch: 4, steps: 5, vocabulary: 11, activation: .relu)
        let report = profileTrainingStep(config, seconds: 0.05)
        XCTAssertEqual(report.phases.count, StepPhase.allCases.count)
        XCTAssertEqual(report.phases.map(\.share).reduce(0, +), 1, accuracy: 1e-9)
        XCTAssertGreaterThan(report.charsPerSecond.median, 0)
        XCTAssertLessThanOrEqual(report.charsPerSecond.min, report.charsPerSecond.median)
        XCTAssertGreaterThan(report.fmaPeakGFLOPS, 0)
        // 6·H² per layer, 6·H² more for the layer above the first, 6·H·V for the decoder.
        XCTAssertEqual(report.flopsPerChar, Double(6 * 16 * 16 * 2 + 6 * 16 * 16 + 6 * 16 * 11))
        XCTAssertEqual(report.kernelSpeedups.count, 6)
        XCTAssertNil(report.phases[StepPhase.softmax.rawValue].gflops)
        XCTAssertNil(report.phases[StepPhase.softmax.rawValue].fastestGFLOPS)
        // Each phase's fastest step is no slower than its median one, and its rate follows from its time.
        for phase in report.phases where phase.flopsPerStep != nil {
            XCTAssertLessThanOrEqual(phase.fastestMillisecondsPerStep, phase.millisecondsPerStep, phase.name)
            XCTAssertEqual(phase.fastestGFLOPS!, phase.flopsPerStep! / (phase.fastestMillisecondsPerStep * 1e6),
                           accuracy: 1e-9 * phase.fastestGFLOPS!, phase.name)
        }
    }

    func testTimerDoesNotChangeTheStep() {
        let config = StepProfileConfig(hidden: 12, layers: 2, batch: 3, steps: 7, vocabulary: 9, activation: .tanh)
        let plain = StepBench(config), timed = StepBench(config)
        timed.trainer.workspace.timer = StepTimer()
        for _ in 0..<3 {
            plain.step()
            timed.step()
        }
        XCTAssertEqual(plain.trainer.workspace.loss, timed.trainer.workspace.loss)
        for (p, q) in zip(plain.trainer.model.parameters, timed.trainer.model.parameters) {
            XCTAssertEqual(p.value.array, q.value.array, p.name)
        }
        XCTAssertGreaterThan(timed.trainer.workspace.timer!.nanoseconds.reduce(0, +), 0)
    }
}
