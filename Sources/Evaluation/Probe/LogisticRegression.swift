// Multinomial logistic regression with an L2 penalty, fitted full-batch by L-BFGS, with the
// objective and its gradient from our autodiff (linear → cross-entropy, + a sum of squares). It
// minimises scikit-learn's objective for LogisticRegression(C, penalty="l2") with the intercept
// unpenalised, divided by C·N (the same minimiser, numbers of order 1):
//   f(W, b) = (1/N) Σᵢ −log softmax(W xᵢ + b)[yᵢ]  +  ‖W‖² / (2·C·N)
// Reference: scikit-learn's _logistic.py (the "multinomial" loss, lbfgs solver, tol 1e-4).
// Not handled: L1 / elastic-net penalties, sample weights, class weights.

import Autograd
import Foundation
import TensorCore

/// A fitted softmax classifier.
///
/// ```swift
/// var model = LogisticRegression(classCount: 3, dimension: 2)
/// let result = model.fit(features: x, labels: y, inverseRegularization: 1)  // x: [N, 2]
/// let predicted = model.predict(x)
/// ```
public struct LogisticRegression: Sendable {
    public let classCount: Int
    public let dimension: Int
    /// [K, D]
    public var weight: Tensor
    /// [K]
    public var bias: Tensor

    public init(classCount: Int, dimension: Int) {
        self.classCount = classCount
        self.dimension = dimension
        weight = Tensor(zeros: [classCount, dimension])
        bias = Tensor(zeros: [classCount])
    }

    /// The objective's value and gradient at (weight, bias), by a forward and backward pass.
    ///
    /// - Parameters:
    ///   - features: X [N, D].
    ///   - labels: N class indices.
    ///   - inverseRegularization: scikit-learn's C.
    public static func objective(weight: Tensor, bias: Tensor, features: Tensor, labels: [Int], inverseRegularization: Double)
        -> (value: Double, weightGradient: Tensor, biasGradient: Tensor) {
        let tape = Tape()
        let w = tape.variable(weight)                                                       // [K, D]
        let b = tape.variable(bias)                                                         // [K]
        let logits = linear(Variable(constant: features), weight: w, bias: b)               // [N, K]
        let meanLoss = crossEntropy(logits: logits, targets: labels)                        // scalar
        let penalty = scale(sum(power(w, 2)), by: Float(1 / (2 * inverseRegularization * Double(labels.count))))
        let total = add(meanLoss, penalty)
        tape.backward(from: total)
        return (Double(total.value.scalar), tape.gradient(of: w) ?? Tensor(zeros: weight.shape), tape.gradient(of: b) ?? Tensor(zeros: bias.shape))
    }

    /// Fits from zero weights (as scikit-learn starts) by L-BFGS.
    ///
    /// - Parameters:
    ///   - features: X [N, D]; labels: N values in 0..<K.
    ///   - inverseRegularization: C (1 in scikit-learn's default and the probe).
    /// - Returns: the optimiser's result (value is f above; `value · C · N` is scikit-learn's objective).
    /// - Complexity: per evaluation ≈ 2·N·D·K multiply-adds forward and twice that backward.
    @discardableResult
    public mutating func fit(features: Tensor, labels: [Int], inverseRegularization: Double = 1,
                             optimizer: LBFGS = LBFGS()) -> LBFGS.Result {
        precondition(features.shape == [labels.count, dimension], "fit: features \(features.shape) for \(labels.count) labels of dimension \(dimension)")
        let (k, d) = (classCount, dimension)
        func split(_ x: [Double]) -> (Tensor, Tensor) {
            (Tensor(shape: [k, d], scalars: x[0..<(k * d)].map { Float($0) }), Tensor(shape: [k], scalars: x[(k * d)...].map { Float($0) }))
        }
        let start = (weight.scalars + bias.scalars).map { Double($0) }
        let result = optimizer.minimize(start: start) { x in
            let (w, b) = split(x)
            let (value, dW, dB) = LogisticRegression.objective(weight: w, bias: b, features: features, labels: labels,
                                                               inverseRegularization: inverseRegularization)
            return (value, (dW.scalars + dB.scalars).map { Double($0) })
        }
        (weight, bias) = split(result.x)
        return result
    }

    /// The most probable class of each row of X [N, D] (the first on ties).
    public func predict(_ features: Tensor) -> [Int] {
        let logits = linear(Variable(constant: features), weight: Variable(constant: weight), bias: Variable(constant: bias)).value
        let values = logits.scalars
        return (0..<features.shape[0]).map { row in
            var best = 0
            for column in 1..<classCount where values[row * classCount + column] > values[row * classCount + best] { best = column }
            return best
        }
    }

    /// The share of rows predicted as labelled.
    public func accuracy(_ features: Tensor, labels: [Int]) -> Double {
        let predicted = predict(features)
        return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(max(labels.count, 1))
    }
}
