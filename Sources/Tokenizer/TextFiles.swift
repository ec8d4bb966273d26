/// One text file of a corpus, decoded.
public struct TextFile: Sendable {
    /// The path as found: the given path for a file, the folder path joined with the file's relative path
    /// for a file inside a folder.
    public let path: String
    public let text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// Reads a corpus: the file at `path`, or every `.txt` file under the folder at `path`.
///
/// Inside a folder, names starting with "." are skipped and symbolic links are not followed into
/// folders (see `FileSystem.textFiles(under:)`). Files come sorted by path, compared byte by byte, so a
/// corpus always yields its texts in the same order and a training run can be repeated.
///
/// - Throws: `TextError` if `path` does not exist, cannot be read, is a folder without `.txt` files, or
///   holds a file that does not decode in `encoding`.
public func loadTextFiles(at path: String, encoding: TextEncoding) throws(TextError) -> [TextFile] {
    let paths: [String]
    switch try FileSystem.kind(at: path, followingLinks: true) {
    case .folder:
        paths = try FileSystem.textFiles(under: path).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        guard !paths.isEmpty else { throw .noTextFiles(folder: path) }
    case .file, .symbolicLink, .other:
        // Named explicitly, anything is read as text whatever its name; decoding will object if needed.
        paths = [path]
    }
    var files = [TextFile]()
    for path in paths {
        let bytes = try FileSystem.contents(at: path)
        files.append(TextFile(path: path, text: try decodeText(bytes, encoding: encoding, source: path)))
    }
    return files
}
