import Foundation
import SeqKernels
import SeqModel

/// A model (and, for training, everything needed to continue exactly) as a safetensors file a PyTorch user can
/// load: tensors named and laid out as `nn.RNN(V, H, num_layers=L, nonlinearity=…)`, `nn.LSTM(V, H, L)` or
/// `nn.GRU(V, H, L)` under `rnn.`, plus `nn.Linear(H, V)` under `decoder.` (the IndRNN, which has no PyTorch
/// module, uses the same names, with `rnn.weight_hh_l<k>` the vector u).
///
/// Beside the PyTorch tensors the file holds the resume state under its own prefixes — `optimizer.<name>.<slot>`
/// (same layout as the parameter) and `state.h_l<k>` (h_T, the hidden state the next window starts from; and
/// `state.c_l<k>`, c_T, for the LSTM) — and string metadata with the configuration, the step, and the counters a
/// resumed run needs.
public enum Checkpoint {
    /// Why a checkpoint could not be used.
    public struct LoadError: Error, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    public static let format = "nlp-vanish/1"

    /// The model's parameters in PyTorch layout. The Elman cell and the LSTM keep b_ih + b_hh as one bias, so
    /// their `bias_hh` is written as zeros; the GRU keeps both.
    public static func tensors(of model: RNNModel) -> [SafeTensors.Entry] {
        var out = [SafeTensors.Entry]()
        for p in model.parameters {
            out.append(entry(name: p.name, p.value, transposed: p.storedTransposed))
            if p.name.hasPrefix("rnn.bias_ih_l") && summedBiases(model.config.cell) {
                let name = p.name.replacingOccurrences(of: "bias_ih", with: "bias_hh")
                out.append(SafeTensors.Entry(name: name, shape: p.shape, values: [Float](repeating: 0, count: p.value.count)))
            }
        }
        if let direct = model.direct { out.append(entry(name: directName, direct.weights, transposed: false)) }
        return out
    }

    /// Optimizer state and carried hidden states, for exact resume.
    public static func resumeTensors(optimizer: Optimizer, model: RNNModel, carried: Workspace) -> [SafeTensors.Entry] {
        var out = optimizer.state.map { slot in
            entry(name: "optimizer.\(slot.name)", slot.tensor, transposed: slot.parameter.storedTransposed)
        }
        if let direct = model.direct {
            out.append(entry(name: "optimizer.\(directName).sum", direct.squaredGradientSum, transposed: false))
        }
        let bh = carried.batch * model.config.hidden
        for (name, block) in stateBlocks(model, carried) {   // h_T (c_T), the state the next window starts from
            let last = block.data + carried.steps * bh
            out.append(SafeTensors.Entry(name: name, shape: [carried.batch, model.config.hidden],
                                         values: Array(UnsafeBufferPointer(start: last, count: bh))))
        }
        return out
    }

    /// The carried state blocks and their names in a checkpoint: `state.h_l<k>`, and `state.c_l<k>` for the LSTM.
    private static func stateBlocks(_ model: RNNModel, _ ws: Workspace) -> [(String, Tensor)] {
        let layers = 0..<model.config.layers
        var blocks = layers.map { ("state.h_l\($0)", ws.states[$0]) }
        if model.config.cell == .lstm { blocks += layers.map { ("state.c_l\($0)", ws.cellStates[$0]) } }
        return blocks
    }

    /// Whether the cell keeps PyTorch's b_ih + b_hh as one bias (every cell but the GRU, whose b_hn sits inside
    /// the reset gate's product).
    private static func summedBiases(_ cell: Cell) -> Bool { cell != .gru }

    /// Fills `model`'s parameters from `contents`, checking every name and shape against the configuration.
    /// Where the cell keeps one bias, PyTorch's two are summed, so a file saved from real `nn.RNN` or `nn.LSTM`
    /// modules loads too.
    public static func load(_ contents: SafeTensors.Contents, into model: RNNModel, path: String) throws(LoadError) {
        for p in model.parameters {
            let values = try fetch(contents, p.name, shape: p.pytorchShape, path: path)
            store(values, into: p.value, transposed: p.storedTransposed, shape: p.pytorchShape)
            if p.name.hasPrefix("rnn.bias_ih_l") && summedBiases(model.config.cell) {
                let other = try fetch(contents, p.name.replacingOccurrences(of: "bias_ih", with: "bias_hh"),
                                      shape: p.shape, path: path)
                for i in 0..<p.value.count { p.value[i] += other[i] }
            }
        }
        if let direct = model.direct {
            let values = try fetch(contents, directName, shape: direct.weights.shape, path: path)
            store(values, into: direct.weights, transposed: false, shape: direct.weights.shape)
        }
    }

    /// The direct connections' table (`DirectConnections`), beside the PyTorch tensors.
    static let directName = "direct.weight"

    /// Restores optimizer state and carried hidden states saved by `resumeTensors`.
    public static func loadResumeState(_ contents: SafeTensors.Contents, optimizer: Optimizer, model: RNNModel,
                                       carried: Workspace, path: String) throws(LoadError) {
        for slot in optimizer.state {
            let isT = slot.parameter.storedTransposed
            let shape = isT ? Array(slot.tensor.shape.reversed()) : slot.tensor.shape
            let values = try fetch(contents, "optimizer.\(slot.name)", shape: shape, path: path)
            store(values, into: slot.tensor, transposed: isT, shape: shape)
        }
        if let direct = model.direct {
            let sums = direct.squaredGradientSum
            store(try fetch(contents, "optimizer.\(directName).sum", shape: sums.shape, path: path),
                  into: sums, transposed: false, shape: sums.shape)
        }
        for (name, block) in stateBlocks(model, carried) {
            let values = try fetch(contents, name, shape: [carried.batch, model.config.hidden], path: path)
            let last = block.data + carried.steps * values.count   // where `carryState` reads h_T
            values.withUnsafeBufferPointer { last.update(from: $0.baseAddress!, count: values.count) }
        }
    }

    /// Reads and validates a checkpoint file's container (not yet its fit to a model).
    public static func read(_ path: String) throws -> SafeTensors.Contents {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            throw LoadError(path: path, reason: !exists ? "no such checkpoint file"
                            : isFolder.boolValue ? "is a folder; give a checkpoint file in it, such as best.safetensors"
                            : "cannot be read (permissions?)")
        }
        let contents = try SafeTensors.decode([UInt8](data), path: path)
        guard contents.metadata["format"] == format else {
            throw LoadError(path: path, reason: "a safetensors file, but not an nlp-vanish checkpoint "
                                + "(its __metadata__ has no \"format\": \"\(format)\")")
        }
        return contents
    }

    /// Writes `contents` so that `path` is always either the old file or the complete new one: the bytes go to a
    /// temporary file in the same folder, are flushed to disk, and the temporary file is renamed over `path`.
    public static func write(_ contents: SafeTensors.Contents, to path: String) throws {
        try AtomicFile.write(SafeTensors.encode(contents), to: path)
    }

    private static func entry(name: String, _ t: Tensor, transposed: Bool) -> SafeTensors.Entry {
        guard transposed, t.shape.count == 2 else { return SafeTensors.Entry(name: name, shape: t.shape, values: t.array) }
        let (rows, cols) = (t.shape[0], t.shape[1])
        var values = [Float](repeating: 0, count: t.count)
        values.withUnsafeMutableBufferPointer { transpose(t.data, rows: rows, cols: cols, into: $0.baseAddress!) }
        return SafeTensors.Entry(name: name, shape: [cols, rows], values: values)
    }

    private static func store(_ values: [Float], into t: Tensor, transposed: Bool, shape: [Int]) {
        values.withUnsafeBufferPointer { src in
            if transposed {
                transpose(src.baseAddress!, rows: shape[0], cols: shape[1], into: t.data)
            } else {
                t.data.update(from: src.baseAddress!, count: values.count)
            }
        }
    }

    private static func fetch(_ contents: SafeTensors.Contents, _ name: String, shape: [Int],
                              path: String) throws(LoadError) -> [Float] {
        guard let e = contents[name] else { throw LoadError(path: path, reason: "tensor \"\(name)\" is missing") }
        guard e.shape == shape else {
            throw LoadError(path: path, reason: "tensor \"\(name)\" has shape \(e.shape), the configuration needs \(shape)")
        }
        return e.values
    }
}

/// Whole-file writes that never leave a partial file under the final name.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `bytes` to `path.tmp-PID`, flushes it to disk and renames it over `path`. A writer killed before
    /// the rename (kill -9, power loss) leaves its temporary file behind; the next write to the same path
    /// deletes those whose process is gone.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        removeAbandonedTemporaries(of: path)
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw WriteError(path: path, reason: String(cString: strerror(errno))) }
        var offset = 0
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw WriteError(path: path, reason: failure)
        }
    }

    /// Deletes `path.tmp-PID` files whose PID names no live process. A live writer's file is left alone (and a
    /// dead writer's whose PID has been reused is kept, which costs only disk space).
    static func removeAbandonedTemporaries(of path: String) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? "./"
        let prefix = (slash.map { String(path[path.index(after: $0)...]) } ?? path) + ".tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + name) }
        }
    }
}
