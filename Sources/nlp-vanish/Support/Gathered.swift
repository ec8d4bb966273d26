/// Results handed over by `runInParallel`'s `finished` callback, which runs one at a time under its delivery
/// lock: a plain class is enough to collect them.
final class Gathered<Element>: @unchecked Sendable {
    private(set) var items = [Element]()
    /// The first error a callback met (e.g. writing a result file); later ones add nothing.
    private(set) var error: Error?
    var count: Int { items.count }

    func add(_ item: Element) { items.append(item) }
    func fail(_ failure: Error) { if error == nil { error = failure } }
}
