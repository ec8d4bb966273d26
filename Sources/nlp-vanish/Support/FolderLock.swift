import Foundation

/// One writer per output folder: an exclusive `flock` on `DIR/.lock`, held until the process exits. The kernel
/// drops the lock when its holder dies, even by kill -9, so no stale lock outlives a process; the file keeps the
/// holder's pid only so that a refused writer can name it.
final class FolderLock: Sendable {
    private let descriptor: Int32

    /// Takes the folder's lock, or fails (exit 1) naming the process that holds it.
    init(folder: String) throws {
        let path = folder + "/.lock"
        descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw UsageFailure("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw UsageFailure("\(folder) is in use by another nlp-vanish process (pid \(holder.isEmpty ? "unknown" : holder)); "
                               + "wait for it to finish or choose another --out")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit { close(descriptor) }
}

/// Cuts a JSON-lines file back to its last complete line: a process killed mid-append leaves a line without its
/// newline, which the next append would otherwise glue to a record of its own. Says so when it cuts.
func dropTornLastLine(of path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else { return }
    let keep = completeLinesLength(data)
    guard keep < data.count else { return }
    guard truncate(path, off_t(keep)) == 0 else {
        throw UsageFailure("cannot repair \(path): \(String(cString: strerror(errno)))")
    }
    printError("warning: \(path): dropped an incomplete last line of \(data.count - keep) bytes (an interrupted write)")
}

/// The bytes of `data` up to and including its last newline: the complete lines of a JSON-lines file.
func completeLinesLength(_ data: Data) -> Int {
    (data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
}
