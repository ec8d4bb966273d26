import Foundation
import XCTest
@testable import SeqKernels
@testable import SeqStudy

/// `runInParallel` with real study runs: the multi-threaded path `make sanitize` runs under ThreadSanitizer.
final class ParallelRunsTests: XCTestCase {
    private let filler = FillerText(tokens: (0..<600).map { Int32($0 * 7 % 13) }, vocabulary: 13)

    private var settings: StudySettings {
        var settings = StudySettings()
        settings.steps = 12
        settings.batch = 8
        settings.evalEvery = 6
        settings.testSequences = 16
        settings.probeSequences = 8
        return settings
    }

    private var specs: [RunSpec] {
        ["tanh:xavier", "relu:identity"].flatMap { variant in
            [(1, 3), (2, 5)].map { layers, distance in
                RunSpec(task: .recall, variant: Variant(variant)!, layers: layers, hidden: 8, distance: distance, seed: 1)
            }
        }
    }

    /// Every result, by run id, as text with the wall-clock seconds zeroed (text so that NaN compares equal).
    private func results(threads: Int) -> [String: String] {
        let runner = StudyRunner(settings: settings)
        let filler = self.filler
        let collected = Collected()
        runInParallel(specs, threads: threads, work: { spec in
            runner.run(spec, task: RecallTask(filler: filler, distance: spec.distance))
        }, finished: { spec, result in
            var result = result
            result.seconds = 0
            collected.add(spec.id, String(describing: result))
        })
        return collected.byID
    }

    func testTwoThreadsGiveTheResultsOfOne() {
        let one = results(threads: 1)
        let two = results(threads: 2)
        XCTAssertEqual(one.count, specs.count, "every run delivered once")
        XCTAssertEqual(two, one)
    }

    func testEveryJobRunsOnceAndSkippedJobsAreNotDelivered() {
        let collected = Collected()
        runInParallel(Array(0..<200), threads: 2, work: { $0 % 5 == 0 ? nil : $0 * $0 }, finished: { job, square in
            collected.add(String(job), String(square))
        })
        XCTAssertEqual(collected.byID.count, 160)
        XCTAssertEqual(collected.duplicates, 0)
        XCTAssertEqual(collected.byID["7"], "49")
        XCTAssertNil(collected.byID["10"])
    }
}

/// Results gathered from `finished`, which `runInParallel` serialises; the lock here only makes the reads from
/// the test thread afterwards explicit.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var values = [String: String]()
    private var repeated = 0

    func add(_ key: String, _ value: String) {
        lock.withLock {
            if values.updateValue(value, forKey: key) != nil { repeated += 1 }
        }
    }

    var byID: [String: String] { lock.withLock { values } }
    var duplicates: Int { lock.withLock { repeated } }
}
