// ShippedWeights: the shipped model is reached through the resource bundle SwiftPM builds next to
// the test binary (not through the source checkout), holds the same files as Weights/, and a
// missing model is a typed error that lists where it was looked for.
import Foundation
@testable import ShippedWeights
import Testing
import TestSupport
import TinyEncoder

@Suite struct ShippedWeightsTests {
    @Test func theModelComesFromTheResourceBundle() throws {
        let folder = try ShippedModel.folderURL()
        #expect(folder.lastPathComponent == ShippedModel.folderName)
        #expect(folder.path.contains("TinyEncoder_ShippedWeights"), "found \(folder.path), not the resource bundle")
        let checkout = packageRoot.appendingPathComponent("Weights").appendingPathComponent(ShippedModel.folderName)
        #expect(ShippedModel.candidateFolders.last == checkout.standardizedFileURL)
        for file in ["config.json", "model.safetensors", "tokenizer.json"] {
            let bundled = try Data(contentsOf: folder.appendingPathComponent(file))
            #expect(bundled == (try Data(contentsOf: checkout.appendingPathComponent(file))), "\(file) differs from Weights/")
        }
    }

    @Test func embedderDimensionIsTheVectorWidth() throws {
        let embedder = try SentenceEmbedder.shipped()
        #expect(embedder.dimension == (embedder.dense.last?.outFeatures ?? embedder.config.width))
        #expect(try embedder.embed(["a"])[0].count == embedder.dimension)
    }

    @Test func aMissingModelIsATypedError() {
        #expect { try ShippedModel.folderURL(named: "no-such-model") } throws: { error in
            guard let error = error as? FileError else { return false }
            return error.kind == .notFound && error.problem.contains("no-such-model")
                && error.file.contains(packageRoot.appendingPathComponent("Weights/no-such-model").path)
                && error.fix.contains("--model DIR")
        }
        // Every candidate ends in Weights/<folderName>; none is searched twice.
        let candidates = ShippedModel.candidateFolders
        #expect(Set(candidates.map(\.path)).count == candidates.count)
        #expect(candidates.allSatisfy { $0.path.hasSuffix("Weights/" + ShippedModel.folderName) })
    }
}
