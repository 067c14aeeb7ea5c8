// Cross-entropy of logits against integer targets, fused with log-softmax (as PyTorch's
// F.cross_entropy): for each row n with target yₙ ≠ ignoreIndex,
//   ℓₙ = −log softmax(zₙ)[yₙ] = logsumexp(zₙ) − zₙ[yₙ],   L = (1/N′) Σₙ ℓₙ   (N′ = rows counted).
// Backward: ∂L/∂zₙ = (softmax(zₙ) − onehot(yₙ)) / N′ for counted rows, 0 for ignored rows.
// Fusing keeps the [N, V] probabilities once and never forms log-probabilities for the backward.
// Not handled: label smoothing, class weights, soft targets. With every row ignored, L = 0
// (PyTorch returns NaN there) and the gradient is zero.

import CKernels
import Foundation
import TensorCore

/// Mean cross-entropy over the rows whose target is not `ignoreIndex`.
public enum CrossEntropyOp: Sendable {
    /// The backward needs softmax(z), the targets, and how many rows counted.
    public struct Cache: Sendable {
        public let probabilities: Tensor  // [N, V]
        public let targets: [Int]
        public let ignoreIndex: Int
        public let countedRows: Int
    }

    /// logits: [N, V], targets: N class indices (or `ignoreIndex`) → a scalar loss.
    public static func forward(logits: Tensor, targets: [Int], ignoreIndex: Int = -100) -> (loss: Tensor, cache: Cache) {
        checkShape(logits.rank == 2 && logits.shape[0] == targets.count, "crossEntropy",
                   "logits \(logits.shape) need one target per row, got \(targets.count)")
        let (rows, classes) = (logits.shape[0], logits.shape[1])
        for target in targets where target != ignoreIndex {
            precondition(target >= 0 && target < classes, "crossEntropy: target \(target) outside 0..<\(classes)")
        }
        var probabilities = Tensor(uninitializedShape: [rows, classes])
        let chunks = chunkCount(for: rows, minimumChunk: 8)
        var partialLoss = [Double](repeating: 0, count: chunks)
        withPointers(reading: logits, writing: &probabilities) { read, p in
            let z = read[0]
            partialLoss.withUnsafeMutableBufferPointer { losses in   // [Double]: one partial sum per chunk
                parallelFor(rows, minimumChunk: 8) { chunk, range in
                    var lossSum: Double = 0
                    for row in range {
                        let line = z + row * classes, out = p + row * classes
                        let maximum = rowMaximum(line, classes)
                        for column in 0..<classes { out[column] = line[column] - maximum }
                        te_vexp(out, out, classes)
                        let total = rowSum(out, classes)
                        te_scale(classes, Float(1 / total), out, out)
                        let target = targets[row]
                        if target != ignoreIndex {
                            // ℓ = logsumexp(z) − z[y] = log Σ exp(z − m) + m − z[y]
                            lossSum += log(total) + Double(maximum) - Double(line[target])
                        }
                    }
                    losses[chunk] = lossSum
                }
            }
        }
        let counted = targets.filter { $0 != ignoreIndex }.count
        let loss = counted == 0 ? 0 : partialLoss.reduce(0, +) / Double(counted)
        return (Tensor(scalar: Float(loss)),
                Cache(probabilities: probabilities, targets: targets, ignoreIndex: ignoreIndex, countedRows: counted))
    }

    /// The largest of n floats (−∞ for none; NaNs are passed over), sixteen lanes at a time.
    public static func rowMaximum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = SIMD16<Float>(repeating: -.infinity)
        var column = 0
        while column + 16 <= n {
            let chunk = UnsafeRawPointer(x + column).loadUnaligned(as: SIMD16<Float>.self)
            lanes.replace(with: chunk, where: chunk .> lanes)   // a compare and a blend
            column += 16
        }
        var maximum = lanes.max()
        while column < n {
            if x[column] > maximum { maximum = x[column] }
            column += 1
        }
        return maximum
    }

    /// Σ x in Double: eight running sums (element i goes to sum i mod 8), then the tail.
    static func rowSum(_ x: UnsafePointer<Float>, _ n: Int) -> Double {
        var lanes = SIMD8<Double>()
        var column = 0
        while column + 8 <= n {
            lanes += SIMD8<Double>(UnsafeRawPointer(x + column).loadUnaligned(as: SIMD8<Float>.self))
            column += 8
        }
        var total = lanes.sum()
        while column < n { total += Double(x[column]); column += 1 }
        return total
    }

    /// Forward was L = (1/N′) Σₙ (logsumexp(zₙ) − zₙ[yₙ]); so dzₙ = dL · (softmax(zₙ) − onehot(yₙ)) / N′.
    public static func backward(_ dLoss: Tensor, _ cache: Cache) -> Tensor {
        var dLogits = cache.probabilities
        let classes = dLogits.shape[1]
        let factor = cache.countedRows == 0 ? 0 : dLoss.scalar / Float(cache.countedRows)
        dLogits.withUnsafeMutableBufferPointer { values in
            let z = values.baseAddress!
            parallelFor(cache.targets.count, minimumChunk: 8) { _, range in
                for row in range {
                    let line = z + row * classes
                    let target = cache.targets[row]
                    if target == cache.ignoreIndex {
                        for column in 0..<classes { line[column] = 0 }
                        continue
                    }
                    line[target] -= 1
                    for column in 0..<classes { line[column] *= factor }
                }
            }
        }
        return dLogits
    }
}

/// Mean cross-entropy of `logits` [N, V] against `targets`, skipping rows whose target is
/// `ignoreIndex` (PyTorch's default −100).
///
/// ```swift
/// let loss = crossEntropy(logits: scores, targets: labels)   // a scalar Variable
/// ```
public func crossEntropy(logits: Variable, targets: [Int], ignoreIndex: Int = -100) -> Variable {
    let (loss, cache) = CrossEntropyOp.forward(logits: logits.value, targets: targets, ignoreIndex: ignoreIndex)
    return Tape.record(.crossEntropy, output: loss, inputs: [logits]) { dLoss in
        [CrossEntropyOp.backward(dLoss, cache)]
    }
}
