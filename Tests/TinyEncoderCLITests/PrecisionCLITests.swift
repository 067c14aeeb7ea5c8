// `--precision float32|bfloat16`: parsed on embed, similarity, probe and bench (a wrong value names
// the choices; static vectors refuse bfloat16); bfloat16 on a path without a bf16 unit is an
// error naming it; where the CPU has a bf16 unit, embed and similarity in bfloat16 stay close to
// float32 on the tiny BERT fixture, and the bench lines carry precision= and bf16_path=.
// Not handled: speed (Docs/Benchmarks.md).

import CKernels
import Foundation
import Testing
import TestSupport
import TinyEncoder

@Suite struct PrecisionCLITests {
    static let tinyBert = fixtureURL("HuggingFace/tiny-bert").path
    static let hasBFloat16 = KernelPath.available.contains { te_kernel_path_has_bf16($0) == 1 }

    @Test func wrongValueNamesTheChoices() throws {
        for command in [["embed", "--model", Self.tinyBert, "a"], ["similarity", "--model", Self.tinyBert, "a", "b"],
                        ["bench", "encoder", "--steps", "1"], ["bench", "gemm", "--sizes", "8,8,8"]] {
            let result = try CLI.run(command + ["--precision", "float16"])
            #expect(result.status == 2, "\(command)")
            #expect(result.stderr.contains("--precision must be one of float32|bfloat16, got \"float16\""), "\(result.stderr)")
        }
    }

    @Test func staticVectorsRefuseBFloat16() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tsv = folder.appendingPathComponent("probe.tsv")
        try "a\tone text\nb\tanother text\n".write(to: tsv, atomically: true, encoding: .utf8)
        let result = try CLI.run(["probe", "--vectors", folder.appendingPathComponent("v.txt").path, "--train", tsv.path,
                                  "--test", tsv.path, "--precision", "bfloat16"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--precision applies to --model"))
    }

    /// A path chosen by hand without a bf16 unit: the error names it (status 1, nothing printed
    /// after the machine line).
    @Test func chosenPathWithoutBFloat16IsAnError() throws {
        let path = KernelPath.available.first { te_kernel_path_has_bf16($0) == 0 }!
        let result = try CLI.run(["bench", "encoder", "--path", path, "--precision", "bfloat16", "--layers", "1", "--dim", "16",
                                  "--heads", "2", "--ffn", "32", "--vocab", "100", "--seq", "8", "--batch", "2", "--steps", "1"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bfloat16: the kernel path \(path) has no bfloat16 product"), "\(result.stderr)")
        #expect(!result.stdout.contains("forward_tokens_per_s"))
    }

    @Test(.enabled(if: hasBFloat16)) func bfloat16StaysCloseToFloat32() throws {
        let texts = ["A man is playing a guitar.", "Someone plays an instrument."]
        func vectors(_ precision: String) throws -> [[Float]] {
            let result = try CLI.run(["embed", "--model", Self.tinyBert, "--precision", precision] + texts)
            #expect(result.status == 0, "\(result.stderr)")
            return result.lines.map { $0.split(separator: "\t").map { Float($0)! } }
        }
        let (single, half) = (try vectors("float32"), try vectors("bfloat16"))
        #expect(single.count == 2 && half.count == 2)
        for (a, b) in zip(single, half) { #expect(a.cosineSimilarity(to: b) > 0.99) }
        let similarity = try CLI.run(["similarity", "--model", Self.tinyBert, "--precision", "bfloat16"] + texts)
        #expect(abs(Float(similarity.stdout.trimmingCharacters(in: .whitespacesAndNewlines))! - half[0].cosineSimilarity(to: half[1])) < 1e-5)
        let bench = try CLI.run(["bench", "encoder", "--precision", "bfloat16", "--layers", "1", "--dim", "16", "--heads", "2",
                                 "--ffn", "32", "--vocab", "100", "--seq", "8", "--batch", "2", "--steps", "1"])
        #expect(bench.stdout.contains("precision=bfloat16 bf16_path="), "\(bench.stdout)")
        let gemm = try CLI.run(["bench", "gemm", "--precision", "bfloat16", "--sizes", "40,70,33"])
        #expect(gemm.stdout.contains("m=40 n=70 k=33 precision=bfloat16 bf16_path="), "\(gemm.stdout)")
    }
}
