// fastText composition of word pieces against Facebook fastText (golden.json: its n-gram row ids
// from get_subword_id and the mean of its get_input_vector rows, for crime-and-punishment.bin),
// through the bridge as well; and StaticProjection against numpy's SVD and by its properties.
import Encoder
import Foundation
import StaticVectorInitialization
import TensorCore
import TestSupport
import Testing
import Tokenization
import WordVectors

struct StaticInitGolden {
    let json: [String: Any]
    init() throws {
        let data = try Data(contentsOf: fixtureURL("StaticInit/golden.json"))
        json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
    var compositions: [[String: Any]] { json["compositions"] as? [[String: Any]] ?? [] }
    var pca: [String: Any] { json["pca"] as? [String: Any] ?? [:] }
}

func floats(_ value: Any?) -> [Float] { (value as? [Double] ?? []).map { Float($0) } }

@Suite struct StaticInitializationFastTextTests {
    let model: StaticVectors

    init() throws {
        model = try StaticVectors.read(fixtureURL("WordVectors/gensim/crime-and-punishment.bin"))
    }

    @Test func ngramsAndRowsMatchFastText() throws {
        let golden = try StaticInitGolden()
        let fastText = try #require(model.fastText)
        #expect(fastText.minn == 3 && fastText.maxn == 6 && fastText.bucket == 100)
        #expect(golden.compositions.count == 8)
        for entry in golden.compositions {
            let piece = try #require(entry["piece"] as? String)
            let begins = try #require(entry["begins"] as? Bool), ends = try #require(entry["ends"] as? Bool)
            #expect(StaticVectors.ngrams(of: piece, beginsWord: begins, endsWord: ends, minn: 3, maxn: 6) == (entry["ngrams"] as? [String] ?? []), "\(piece)")
            #expect(model.ngramRows(of: piece, beginsWord: begins, endsWord: ends) == (entry["rows"] as? [Int] ?? []), "\(piece)")
        }
    }

    /// The composition is (1/n) Σ of the n-gram rows, exactly as fastText's rows give it; for a
    /// whole unknown word (both marks) it is fastText's own get_word_vector.
    @Test func compositionEqualsTheFastTextNgramMean() throws {
        let golden = try StaticInitGolden()
        for entry in golden.compositions {
            let piece = try #require(entry["piece"] as? String)
            let begins = try #require(entry["begins"] as? Bool), ends = try #require(entry["ends"] as? Bool)
            let composed = model.ngramComposition(of: piece, beginsWord: begins, endsWord: ends)
            guard entry["mean"] is [Double] else {
                #expect(composed == nil, "\(piece) has no n-gram of 3 to 6 characters")
                continue
            }
            let expected = floats(entry["mean"])
            #expect(maxRelativeError(try #require(composed), expected, floor: 1e-4).error < 1e-5, "\(piece)")
            if entry["fasttext_word_vector"] != nil {
                #expect(maxRelativeError(try #require(composed), floats(entry["fasttext_word_vector"]), floor: 1e-4).error < 1e-5, "\(piece)")
            }
        }
    }

    /// Through the bridge: "Ġinter" (marked, no corpus) takes the composition of "<inter";
    /// "ation" (unmarked) that of "ation"; "Ġthe" (a word of the model) takes the word's vector.
    @Test func bridgeComposesSubwordTokensWithFastText() throws {
        let golden = try StaticInitGolden()
        let tokens = ["[CLS]", "\u{0120}inter", "ation", "\u{0120}the", "th"]
        var options = StaticInitializationOptions(mapping: .none)
        options.center = false
        options.rescale = false
        let bridge = try StaticInitialization(vocabulary: tokens, special: [0], vectors: model, statistics: nil,
                                              random: Tensor(shape: [5, 5], repeating: 0.25), options: options)
        func mean(_ piece: String) -> [Float] { floats(golden.compositions.first { $0["piece"] as? String == piece }?["mean"]) }
        #expect(maxRelativeError(row(bridge.table, 1), mean("inter"), floor: 1e-4).error < 1e-5)
        #expect(maxRelativeError(row(bridge.table, 2), mean("ation"), floor: 1e-4).error < 1e-5)
        #expect(bridge.sources[1] == .fastTextNgrams(10) && bridge.sources[2] == .fastTextNgrams(6))
        #expect(bridge.sources[3] == .exactWord("the"))
        #expect(row(bridge.table, 3) == (try model.keyed.vector(for: "the")))
        #expect(bridge.sources[4] == .random && row(bridge.table, 4) == [0.25, 0.25, 0.25, 0.25, 0.25])  // "th": shorter than minn
        #expect(bridge.report.fastTextComposed == 2 && bridge.report.hasNgrams)
    }

    // MARK: - Projection

    /// numpy's SVD of the centred matrix: the same mean, the same 3-dimensional subspace (the
    /// projectors agree), the same axes up to sign, and the same explained-variance share, for
    /// both of our solvers (Jacobi on the covariance; randomised SVD with power iterations).
    @Test(arguments: [1024, 0]) func pcaMatchesNumpy(jacobiLimit: Int) throws {
        let golden = try StaticInitGolden().pca
        let rowValues = try #require(golden["rows"] as? [[Double]])
        let rows = Tensor(shape: [rowValues.count, 6], scalars: rowValues.flatMap { $0 }.map { Float($0) })
        let fitted = try StaticProjection.fit(rows: rows, width: 3, mapping: .pca, seed: 3, jacobiLimit: jacobiLimit)
        #expect(maxRelativeError(fitted.mean, floats(golden["mean"]), floor: 1e-3).error < 1e-5)
        let components = try #require(golden["components"] as? [[Double]])                     // [3, 6] rows = axes
        let M = fitted.matrix.scalars                                                           // [6, 3]
        for axis in 0..<3 {
            let ours = (0..<6).map { Double(M[$0 * 3 + axis]) }
            let dot = zip(ours, components[axis]).map { $0 * $1 }.reduce(0, +)
            #expect(abs(abs(dot) - 1) < 1e-4, "axis \(axis): |cos| = \(abs(dot))")
        }
        #expect(abs(try #require(fitted.explainedVariance) - (golden["explained"] as? Double ?? 0)) < 1e-4)
    }

    /// A random projection is orthonormal: M Mᵀ = I when widening (D ≤ C), Mᵀ M = I when reducing.
    @Test(arguments: [(3, 8), (8, 3)]) func randomProjectionIsOrthonormal(shape: (Int, Int)) throws {
        let (D, C) = shape
        var generator = SeededGenerator(seed: 2)
        let fitted = try StaticProjection.fit(rows: generator.normal(shape: [10, D]), width: C, mapping: .randomProjection, seed: 9)
        let M = fitted.matrix
        let gram = D <= C ? matmul(M, M, transposeB: true) : matmul(M, M, transposeA: true)   // [min, min]
        let size = min(D, C)
        for i in 0..<size { for j in 0..<size {
            #expect(abs(gram.scalars[i * size + j] - (i == j ? 1 : 0)) < 1e-5)
        } }
        // Fixed: the same seed gives the same matrix.
        let again = try StaticProjection.fit(rows: generator.normal(shape: [10, D]), width: C, mapping: .randomProjection, seed: 9)
        #expect(again.matrix.scalars == M.scalars)
    }
}
