import XCTest
@testable import SeqKernels
@testable import SeqModel
@testable import SeqProfile

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
        XCTAssertEqual(report.percentOfPeak, report.gflops / report.fmaPeakGFLOPS, accuracy: 1e-12)
        XCTAssertNil(report.oneThreadCharsPerSecond)
        XCTAssertNil(report.speedup)
        XCTAssertEqual(report.phases[StepPhase.batchSplit.rawValue].millisecondsPerStep, 0)
    }

    /// With two threads the report holds the one-thread step's throughput beside its own, shares of two cores'
    /// peak, the halves' phases merged into the step's, and the split's own cost as a phase.
    func testTwoThreadReport() throws {
        let config = StepProfileConfig(hidden: 16, layers: 2, batch: 4, steps: 5, vocabulary: 11, activation: .relu,
                                       threads: 2)
        let report = profileTrainingStep(config, seconds: 0.05)
        let one = try XCTUnwrap(report.oneThreadCharsPerSecond)
        XCTAssertEqual(report.speedup!, report.charsPerSecond.median / one.median, accuracy: 1e-12)
        XCTAssertEqual(report.percentOfPeak, report.gflops / (2 * report.fmaPeakGFLOPS), accuracy: 1e-12)
        XCTAssertEqual(report.phases.map(\.share).reduce(0, +), 1, accuracy: 1e-9)
        for phase in [StepPhase.recurrentForward, .recurrentBackward, .weightGradient, .decoderForward, .batchSplit,
                      .optimizer] {
            XCTAssertGreaterThan(report.phases[phase.rawValue].millisecondsPerStep, 0, phase.name)
        }
        let gemm = report.phases[StepPhase.recurrentForward.rawValue]
        XCTAssertEqual(gemm.percentOfPeak!, gemm.gflops! / (2 * report.fmaPeakGFLOPS), accuracy: 1e-12)
    }

    /// The halves of a split step add their phases' mean when they ran on two threads at once, their sum when
    /// they ran one after the other.
    func testSplitStepTimesCombine() {
        let a = PhaseTimer(), b = PhaseTimer()
        a.record(.weightGradient, since: a.now() &- 3_000)
        b.record(.weightGradient, since: b.now() &- 1_000)
        b.record(.activations, since: b.now() &- 501)
        let wa = a.nanoseconds[StepPhase.weightGradient.rawValue], wb = b.nanoseconds[StepPhase.weightGradient.rawValue]
        let act = b.nanoseconds[StepPhase.activations.rawValue]
        let concurrent = PhaseTimer(), sequential = PhaseTimer()
        concurrent.add([a, b], concurrent: true)
        sequential.add([a, b], concurrent: false)
        XCTAssertEqual(concurrent.nanoseconds[StepPhase.weightGradient.rawValue], (wa + wb) / 2)
        XCTAssertEqual(concurrent.nanoseconds[StepPhase.activations.rawValue], act / 2)
        XCTAssertEqual(sequential.nanoseconds[StepPhase.weightGradient.rawValue], wa + wb)
        XCTAssertEqual(sequential.nanoseconds[StepPhase.activations.rawValue], act)
        XCTAssertEqual(sequential.nanoseconds[StepPhase.optimizer.rawValue], 0)
    }

    func testTimerDoesNotChangeTheStep() {
        for threads in [1, 2] {
            let config = StepProfileConfig(hidden: 12, layers: 2, batch: 3, steps: 7, vocabulary: 9,
                                           activation: .tanh, threads: threads)
            let plain = StepBench(config), timed = StepBench(config)
            timed.trainer.workspace.timer = PhaseTimer()
            for _ in 0..<3 {
                plain.step()
                timed.step()
            }
            XCTAssertEqual(plain.trainer.workspace.loss, timed.trainer.workspace.loss, "\(threads) threads")
            for (p, q) in zip(plain.trainer.model.parameters, timed.trainer.model.parameters) {
                XCTAssertEqual(p.value.array, q.value.array, "\(p.name), \(threads) threads")
            }
            let ns = timed.trainer.workspace.timer!.nanoseconds
            XCTAssertGreaterThan(ns[StepPhase.recurrentForward.rawValue], 0, "\(threads) threads")
            XCTAssertEqual(ns[StepPhase.batchSplit.rawValue] > 0, threads == 2)
        }
    }
}
