// The linear probe, the standard test of frozen sentence vectors (Conneau & Kiela, 2018,
// SentEval; here on WordNet noun supersenses, Ciaramita & Johnson, 2003): each `label<TAB>text`
// line is embedded by a frozen model (or by averaged static word vectors), the vectors are
// L2-normalised as Scripts/peers/supersense_probe.py does, and a multinomial logistic regression
// (C = 1) is fitted on the training lines and scored on the test lines.
// Not handled: cross-validating C, MLP probes, standardising features (scikit-learn's reference does not).

import Encoder
import Foundation
import TextInput
import TensorCore

/// One labelled line of a probe file.
public struct ProbeExample: Equatable, Sendable {
    public init(label: String, text: String) {
        self.label = label
        self.text = text
    }

    public var label: String
    public var text: String
}

/// Reading probe data, normalising features, and fitting and scoring the probe.
public enum LinearProbe: Sendable {
    /// Reads `label<TAB>text` lines (the text may hold further tabs; empty lines are skipped).
    /// - Throws: `FileError` naming the file and line of a line without a tab or label.
    public static func readExamples(_ url: URL) throws -> [ProbeExample] {
        // TextInput reads pipes (bash's <(…)) as well as files, and cuts lines at "\n" (CRLF too).
        let lines: [String]
        do {
            lines = try TextFile.lines(url.path, action: "reading the probe examples")
        } catch let error as TextFileError {
            throw FileError(.notFound, file: url.path, field: "(file)", problem: "cannot be read: \(error.cause)", fix: "Check the path given to --train / --test")
        } catch let error as InvalidUTF8Error {
            throw FileError(.malformed, file: url.path, field: "line \(error.line)", problem: "is not valid UTF-8 (byte \(error.byteOffset))",
                            fix: "Convert the file to UTF-8, or pass --invalid-utf8 replace")
        }
        var examples: [ProbeExample] = []
        for (index, line) in lines.enumerated() {
            if line.isEmpty { continue }
            guard let tab = line.firstIndex(of: "\t"), tab != line.startIndex else {
                throw FileError(.malformed, file: url.path, field: "line \(index + 1)", problem: "has no label<TAB>text",
                                fix: "Write each example as its label, a tab, then the text")
            }
            examples.append(ProbeExample(label: String(line[..<tab]), text: String(line[line.index(after: tab)...])))
        }
        guard !examples.isEmpty else {
            throw FileError(.malformed, file: url.path, field: "(file)", problem: "holds no examples", fix: "Give a file of label<TAB>text lines")
        }
        return examples
    }

    /// Rows scaled to unit length: v / (‖v‖ + 1e-9), as supersense_probe.py (zero rows stay zero).
    public static func normalizedRows(_ rows: [[Float]]) -> [[Float]] {
        rows.map { row in
            let norm = Float(row.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
            return row.map { $0 / (norm + 1e-9) }
        }
    }

    /// What a probe run measured.
    public struct Report: Sendable {
        public let accuracy: Double
        public let trainAccuracy: Double
        public let classes: [String]
        /// scikit-learn's objective C·Σ loss + ½‖W‖² at our solution.
        public let objective: Double
        public let optimizer: LBFGS.Result
        public let model: LogisticRegression
    }

    /// Fits on (trainFeatures, train labels) and scores on the test set. Classes are the sorted
    /// training labels (scikit-learn's `classes_`); a test label never seen in training counts as wrong.
    public static func run(trainFeatures: [[Float]], trainLabels: [String], testFeatures: [[Float]], testLabels: [String],
                           inverseRegularization: Double = 1, optimizer: LBFGS = LBFGS()) -> Report {
        let classes = Array(Set(trainLabels)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let dimension = trainFeatures.first?.count ?? 0
        let train = Tensor(shape: [trainFeatures.count, dimension], scalars: trainFeatures.flatMap { $0 })
        let test = Tensor(shape: [testFeatures.count, dimension], scalars: testFeatures.flatMap { $0 })
        let y = trainLabels.map { index[$0]! }
        var model = LogisticRegression(classCount: classes.count, dimension: dimension)
        let result = model.fit(features: train, labels: y, inverseRegularization: inverseRegularization, optimizer: optimizer)
        let predicted = model.predict(test)
        let correct = zip(predicted, testLabels).filter { classes[$0] == $1 }.count
        return Report(accuracy: Double(correct) / Double(max(testLabels.count, 1)), trainAccuracy: model.accuracy(train, labels: y),
                      classes: classes, objective: result.value * inverseRegularization * Double(trainLabels.count),
                      optimizer: result, model: model)
    }
}
