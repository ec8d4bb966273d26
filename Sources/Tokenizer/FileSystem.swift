#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX calls reading a corpus needs, with failures turned into `TextError`.
///
/// POSIX rather than `FileManager` because its errors carry `errno`, which gives users the system's own
/// reason ("Permission denied") instead of a generic Foundation message.
enum FileSystem {
    enum Kind {
        case file, folder, symbolicLink, other
    }

    /// What is at `path`; a symbolic link itself unless `followingLinks`.
    static func kind(at path: String, followingLinks: Bool) throws(TextError) -> Kind {
        var status = stat()
        let result = followingLinks ? stat(path, &status) : lstat(path, &status)
        guard result == 0 else { throw failure(at: path) }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// Paths of the `.txt` files under `folder`, recursively, in no particular order.
    ///
    /// Symbolic links count when they lead to a file, but are never followed into a folder, so a link
    /// cannot make the walk loop. An entry that disappears while the folder is read (an editor's or a
    /// download's temporary file) is passed over rather than failing the whole corpus.
    static func textFiles(under folder: String) throws(TextError) -> [String] {
        var found = [String]()
        try collectTextFiles(under: folder, into: &found)
        return found
    }

    private static func collectTextFiles(under folder: String, into found: inout [String]) throws(TextError) {
        guard let directory = opendir(folder) else { throw failure(at: folder) }
        defer { closedir(directory) }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            // Hidden entries are editor backups, macOS `._` resource forks and the like; this also skips
            // the "." and ".." entries.
            guard !name.hasPrefix(".") else { continue }
            let path = prefix + name
            let isText = name.hasSuffix(".txt")
            do {
                switch try kind(at: path, followingLinks: false) {
                case .folder: try collectTextFiles(under: path, into: &found)
                case .file where isText: found.append(path)
                case .symbolicLink where isText:
                    if try kind(at: path, followingLinks: true) == .file { found.append(path) }
                case .file, .symbolicLink, .other: break
                }
            } catch .notFound {
                continue
            }
        }
    }

    /// The bytes of the file at `path`, read until end of file rather than to the size `fstat` reported,
    /// so a file that grows while it is read is not cut short.
    static func contents(at path: String) throws(TextError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw failure(at: path) }
        defer { close(descriptor) }
        var status = stat()
        let expectedSize = fstat(descriptor, &status) == 0 ? Int(status.st_size) : 0
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: max(expectedSize + 1, 64 * 1024))
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(at: path)
            }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    /// The error for the system call that just failed on `path`, from `errno`.
    private static func failure(at path: String) -> TextError {
        let code = errno
        if code == ENOENT { return .notFound(path: path) }
        return .unreadable(path: path, reason: String(cString: strerror(code)))
    }
}
