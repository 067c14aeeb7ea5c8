// The kinds of record the tape knows: one case per `Tape.record` call site in Ops/. Recording
// takes an `OpKind`, not a free string, so adding an op means adding a case here, and the
// gradient-check catalogue (GradCheckCatalogue.swift) is tested to hold a case for each kind.
// Not handled: composite helpers built from other ops (clsPooling = slice + reshape) record the
// kinds of the ops they are built from and have no kind of their own.

/// Every op the tape can record. `rawValue` is the name in `Tape.opNames`.
public enum OpKind: String, CaseIterable, Sendable {
    case matmul, linear
    case add, subtract, multiply, scale, addBias, power, shift
    case gelu, relu, tanh
    case softmax, logSoftmax, layerNorm
    case embedding, gatherRows, dropout
    case reshape, transpose, splitHeads, mergeHeads, concat, slice
    case sum, mean
    case attention
    case selectedQueryAttention = "selected-query attention"
    case crossEntropy, meanSquaredError, cosineDistance
    case meanPooling, maxPooling, l2Normalize
}
