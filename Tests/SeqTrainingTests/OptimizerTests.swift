import XCTest
@testable import SeqKernels
@testable import SeqModel
@testable import SeqTraining

/// Each update rule against values computed by hand from its definition.
final class OptimizerTests: XCTestCase {
    private func parameter(_ values: [Float], grad: [Float]) -> Parameter {
        let p = Parameter(name: "p", shape: [values.count])
        for i in values.indices { p.value[i] = values[i]; p.grad[i] = grad[i] }
        return p
    }

    func testAdamFirstTwoSteps() {
        let p = parameter([1, -2], grad: [0.5, -1])
        let adam = Optimizer(settings: OptimizerSettings(kind: .adam), parameters: [p])
        adam.update(learningRate: 0.1)
        // Step 1: m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g).
        XCTAssertEqual(p.value[0], 1 - 0.1 * 0.5 / (0.5 + 1e-8), accuracy: 1e-6)
        XCTAssertEqual(p.value[1], -2 + 0.1, accuracy: 1e-6)
        // Step 2 with g = 0.25: m = 0.9·0.05 + 0.1·0.25 = 0.07, v = 0.999·0.00025 + 0.001·0.0625 = 0.00031225.
        p.grad[0] = 0.25
        p.grad[1] = -1
        adam.update(learningRate: 0.1)
        let mHat = 0.07 / (1 - 0.81), vHat = 0.00031225 / (1 - 0.998001)
        XCTAssertEqual(Double(p.value[0]), Double(1 - 0.1 * 0.5 / (0.5 + 1e-8)) - 0.1 * mHat / (vHat.squareRoot() + 1e-8),
                       accuracy: 1e-5)
        XCTAssertEqual(adam.step, 2)
    }

    func testSGDWithMomentum() {
        let p = parameter([1], grad: [2])
        var settings = OptimizerSettings(kind: .sgd)
        settings.momentum = 0.5
        let sgd = Optimizer(settings: settings, parameters: [p])
        sgd.update(learningRate: 0.1)      // buf = 2, p = 1 − 0.2
        XCTAssertEqual(p.value[0], 0.8, accuracy: 1e-6)
        sgd.update(learningRate: 0.1)      // buf = 0.5·2 + 2 = 3, p = 0.8 − 0.3
        XCTAssertEqual(p.value[0], 0.5, accuracy: 1e-6)
    }

    func testAdagrad() {
        let p = parameter([0], grad: [3])
        let adagrad = Optimizer(settings: OptimizerSettings(kind: .adagrad), parameters: [p])
        adagrad.update(learningRate: 1)     // acc = 9, p = −3/3
        XCTAssertEqual(p.value[0], -1, accuracy: 1e-6)
        p.grad[0] = 4
        adagrad.update(learningRate: 1)     // acc = 25, p = −1 − 4/5
        XCTAssertEqual(p.value[0], -1.8, accuracy: 1e-6)
    }
}

final class ClippingTests: XCTestCase {
    func testGlobalNormScalesEveryTensorByTheSameFactor() {
        let a = Parameter(name: "a", shape: [2]), b = Parameter(name: "b", shape: [1])
        a.grad[0] = 3; a.grad[1] = 0; b.grad[0] = 4          // ‖g‖ = 5
        let result = clipGradients([a, b], .globalNorm(1))
        XCTAssertEqual(result.norm, 5, accuracy: 1e-9)
        XCTAssertTrue(result.clipped)
        XCTAssertEqual(a.grad[0], 0.6, accuracy: 1e-6)
        XCTAssertEqual(b.grad[0], 0.8, accuracy: 1e-6)
        XCTAssertFalse(clipGradients([a, b], .globalNorm(2)).clipped)   // now ‖g‖ = 1
        XCTAssertEqual(a.grad[0], 0.6, accuracy: 1e-6)
    }

    func testElementwiseClamps() {
        let a = Parameter(name: "a", shape: [3])
        a.grad[0] = -5; a.grad[1] = 0.5; a.grad[2] = 2
        XCTAssertTrue(clipGradients([a], .elementwise(1)).clipped)
        XCTAssertEqual(a.grad.array, [-1, 0.5, 1])
    }
}

final class LearningRateScheduleTests: XCTestCase {
    func testStepDecay() {
        var lr = LearningRateController(initial: 1, schedule: .stepDecay(every: 10, factor: 0.5))
        lr.beginStep(9)
        XCTAssertEqual(lr.current, 1)
        lr.beginStep(10)
        XCTAssertEqual(lr.current, 0.5)
        lr.beginStep(25)
        XCTAssertEqual(lr.current, 0.25)
    }

    func testDivideOnPlateau() {
        var lr = LearningRateController(initial: 1, schedule: .divideOnPlateau(factor: 4, patience: 2, threshold: 0.01))
        XCTAssertFalse(lr.observe(validationLoss: 2.0))     // best 2.0
        XCTAssertFalse(lr.observe(validationLoss: 1.99))    // not 1% better: 1 bad
        XCTAssertTrue(lr.observe(validationLoss: 2.5))      // 2 bad → divide
        XCTAssertEqual(lr.current, 0.25)
        XCTAssertFalse(lr.observe(validationLoss: 1.5))     // improvement resets
        XCTAssertEqual(lr.bestLoss, 1.5)
        XCTAssertEqual(lr.current, 0.25)
    }

    func testConstant() {
        var lr = LearningRateController(initial: 0.3, schedule: .constant)
        lr.beginStep(1000)
        lr.observe(validationLoss: 5)
        lr.observe(validationLoss: 6)
        XCTAssertEqual(lr.current, 0.3)
    }
}
