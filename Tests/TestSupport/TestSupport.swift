// TestSupport: helpers shared by every test target: where the committed fixtures are, tolerant
// comparisons that print the worst element, and small readers of JSON fixtures.
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

/// A JSON object fixture under Tests/Fixtures, as Foundation reads it.
public func fixtureJSONObject(_ relativePath: String) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: try Data(contentsOf: fixtureURL(relativePath)))
    guard let object = value as? [String: Any] else {
        throw CocoaError(.coderReadCorrupt, userInfo: [NSDebugDescriptionErrorKey: "\(relativePath) is not a JSON object"])
    }
    return object
}

/// The numbers of a JSON array (nil or a non-array: none).
public func jsonDoubles(_ value: Any?) -> [Double] { (value as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.doubleValue } }

/// The whole numbers of a JSON array (nil or a non-array: none).
public func jsonInts(_ value: Any?) -> [Int] { (value as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.intValue } }
