// Tokenizer+Batch: encoding many texts at once, in parallel. Blocks of texts are handed out to
// worker threads on demand (texts differ in length); each worker keeps its own word cache, so
// threads never wait on one another. Results are in input order and independent of thread count.
// Reference: HF tokenizers `encode_batch` (rayon over inputs, then batch padding).
// Not handled: streaming a file without holding its encodings (the bench does that in slices).

import TextInput

extension Tokenizer {
    /// Encodes every text (and its pair, if `pairs` is given) in parallel, then pads the batch.
    ///
    /// - Parameters:
    ///   - texts: the inputs.
    ///   - pairs: second sequences, one per text, or nil.
    ///   - threads: worker threads (default `TokenizationThreads.defaultCount`).
    /// - Throws: the error of the first failing text (lowest index).
    /// - Complexity: the sum of the single encodes, divided over the threads.
    ///
    /// ```swift
    /// let encodings = try tokenizer.encode(batch: ["first text", "second"], threads: 2)
    /// ```
    public func encode(batch texts: [String], pairs: [String]? = nil, addSpecialTokens: Bool = true,
                       threads: Int? = nil) throws -> [Encoding] {
        if let pairs, pairs.count != texts.count {
            throw TokenizationError.invalidConfiguration(component: "encode(batch:)", field: "pairs",
                                                         reason: "has \(pairs.count) texts but there are \(texts.count); give one pair per text")
        }
        var results = [Encoding](repeating: Encoding(), count: texts.count)
        let failures = Locked<[(index: Int, error: any Error)]>([])
        let workerCount = threads ?? TokenizationThreads.defaultCount
        var unpadded = self
        unpadded.padding = nil
        results.withUnsafeMutableBufferPointer { output in
            let output = output  // each index is written by exactly one worker
            forEachBlock(count: texts.count, blockSize: 64, threads: workerCount) { _, range in
                unpadded.workspaces.with { workspace in
                    for index in range {
                        do {
                            output[index] = try unpadded.encode(texts[index], pair: pairs?[index], addSpecialTokens: addSpecialTokens,
                                                                workspace: workspace)
                        } catch {
                            failures.withLock { $0.append((index, error)) }
                            return
                        }
                    }
                }
            }
        }
        if let first = failures.current.min(by: { $0.index < $1.index }) { throw first.error }
        if let padding {
            let length: Int
            switch padding.strategy {
            case .longest: length = results.map(\.count).max() ?? 0
            case let .fixed(size): length = size
            }
            for index in results.indices { padding.apply(to: &results[index], length: length) }
        }
        return results
    }
}
