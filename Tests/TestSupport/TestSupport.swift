// TestSupport: helpers shared by every test target: where the committed fixtures are, tolerant
// comparisons that print the worst element, and a tiny reader for the fixture format.
// Not handled: anything a test should assert itself.

import Foundation
import TensorCore

/// The package root, found from this file's path (tests always run from a source checkout).
public let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A file under Tests/Fixtures.
public func fixtureURL(_ relativePath: String) -> URL {
    packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relativePath)
}

/// The largest |a − b| / max(|b|, floor) over two equal-length arrays, with its index.
public func maxRelativeError(_ a: [Float], _ b: [Float], floor: Float = 1e-6) -> (error: Float, index: Int) {
    precondition(a.count == b.count, "maxRelativeError: \(a.count) vs \(b.count) elements")
    var worst: Float = 0
    var worstIndex = 0
    for index in a.indices {
        let error = abs(a[index] - b[index]) / max(abs(b[index]), floor)
        if !(error <= worst) {
            worst = error.isNaN ? .infinity : error
            worstIndex = index
        }
    }
    return (worst, worstIndex)
}

/// The largest |a − b| / max(‖b‖∞, floor): error relative to the scale of the whole tensor,
/// which is what "matches to 1e-5 relative" means for values that cross zero.
public func maxScaledError(_ a: [Float], _ b: [Float], floor: Float = 1e-12) -> Float {
    precondition(a.count == b.count, "maxScaledError: \(a.count) vs \(b.count) elements")
    let scale = max(b.map { abs($0) }.max() ?? 0, floor)
    var worst: Float = 0
    for index in a.indices {
        let error = abs(a[index] - b[index]) / scale
        if !(error <= worst) { worst = error.isNaN ? .infinity : error }
    }
    return worst
}
