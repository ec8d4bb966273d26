import ArgumentParser
import SeqKernels
import SeqModel
import SeqStudy
import SeqTraining
import Tokenizer

// The libraries' enums, read from flags by their raw values (the libraries know nothing of ArgumentParser).
extension TextEncoding: ExpressibleByArgument {}
extension Normalization: ExpressibleByArgument {}
extension Activation: ExpressibleByArgument {}
extension Cell: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension TaskKind: ExpressibleByArgument {}
