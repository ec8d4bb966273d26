import Foundation

/// Runs independent jobs on `threads` threads, handing each worker the next job when it is free, and delivers
/// every result to `finished` one at a time (serialised by a lock, so it may write files).
///
/// Each job computes the same numbers whatever thread runs it or when: parallelism changes only the order in
/// which results arrive. Independent runs per core is the split that pays on a 2-vCPU machine; splitting a
/// single small run across cores would cost more in wake-ups than it saves.
public func runInParallel<Job: Sendable, Result: Sendable>(
    _ jobs: [Job], threads: Int, work: @escaping @Sendable (Job) -> Result?,
    finished: @escaping @Sendable (Job, Result) -> Void
) {
    let queue = JobQueue(jobs)
    DispatchQueue.concurrentPerform(iterations: max(1, min(threads, jobs.count))) { _ in
        while let job = queue.next() {
            guard let result = work(job) else { continue }
            queue.deliver { finished(job, result) }
        }
    }
}

private final class JobQueue<Job>: @unchecked Sendable {
    private var jobs: [Job]
    private var index = 0
    private let lock = NSLock()
    private let output = NSLock()

    init(_ jobs: [Job]) { self.jobs = jobs }

    func next() -> Job? {
        lock.lock()
        defer { lock.unlock() }
        guard index < jobs.count else { return nil }
        index += 1
        return jobs[index - 1]
    }

    func deliver(_ body: () -> Void) {
        output.lock()
        body()
        output.unlock()
    }
}
