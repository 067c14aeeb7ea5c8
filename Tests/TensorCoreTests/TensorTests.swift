// Tensor value semantics, shapes, printing; the seeded generator; the deterministic partition.
import Testing
import TensorCore

@Suite struct TensorTests {
    @Test func copyOnWrite() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        var b = a
        b[0, 1] = 20
        #expect(a.scalars == [1, 2, 3, 4])
        #expect(b.scalars == [1, 20, 3, 4])
    }

    @Test func reshapeSharesUntilWritten() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        var b = a.reshaped([3, 2])
        #expect(b.storage === a.storage)
        #expect(b[2, 1] == 6)
        b[0, 0] = -1
        #expect(a[0, 0] == 1)
    }

    @Test func storageIsAligned() {
        for count in [1, 3, 17, 1000] {
            let t = Tensor(zeros: [count])
            #expect(Int(bitPattern: t.storage.pointer) % 64 == 0)
        }
    }

    @Test func descriptionShowsShapeAndElidesLongAxes() {
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t.description == "Tensor [2, 3]\n[[1, 2, 3],\n [4, 5, 6]]")
        let long = Tensor(shape: [10], scalars: (0..<10).map(Float.init))
        #expect(long.formatted() == "[0, 1, 2, …, 7, 8, 9]")
    }

    @Test func generatorIsDeterministicAndWellSpread() {
        var a = SeededGenerator(seed: 123), b = SeededGenerator(seed: 123)
        #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
        var rng = SeededGenerator(seed: 1)
        let draws = rng.normal(shape: [100_000]).scalars
        let mean = draws.reduce(0, +) / Float(draws.count)
        let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(draws.count)
        // Standard error of the mean is 1/√100000 ≈ 0.0032; of the variance ≈ √(2/100000) ≈ 0.0045.
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.03)
        let truncated = rng.truncatedNormal(shape: [10_000], standardDeviation: 0.02).scalars
        #expect(truncated.allSatisfy { abs($0) <= 0.04 })
        let uniform = rng.uniform(shape: [10_000], low: -1, high: 1).scalars
        #expect(uniform.allSatisfy { $0 >= -1 && $0 < 1 })
    }

    @Test func partitionCoversRangeInOrder() {
        for count in [0, 1, 5, 97] {
            for chunks in 1...7 {
                let ranges = (0..<chunks).map { chunkRange($0, of: chunks, count: count) }
                #expect(ranges.map(\.count).reduce(0, +) == count)
                for index in 1..<chunks { #expect(ranges[index].lowerBound == ranges[index - 1].upperBound) }
                let sizes = ranges.map(\.count)
                #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
            }
        }
    }
}
