// ShippedModel: the default model folder that ships in Weights/, reachable from the library. The
// whole Weights/ folder is this module's resource (Package.swift), so an app or a tool that links
// the `ShippedWeights` product carries it in a resource bundle next to its binary; a source
// checkout is the fallback (tests, a binary moved away from its bundle). The folder is named once,
// here. Reference: SwiftPM's resource bundles (SE-0271) and the paths its generated accessor tries.
// Not handled: downloading models (pass any model folder to `SentenceEmbedder(folder:)`).

import Encoder
import Foundation
import TensorCore

/// Where the shipped model lives, and an embedder on it.
///
/// ```swift
/// import TinyEncoder
/// import ShippedWeights
///
/// let embedder = try SentenceEmbedder.shipped()
/// print(embedder.dimension)   // the sentence-vector width
/// ```
public enum ShippedModel: Sendable {
    /// The shipped model's folder under Weights/: the one place the name is written.
    public static let folderName = "tinyencoder-small"

    /// The resource bundle SwiftPM builds for this target ("<package>_<target>").
    static let bundleName = "TinyEncoder_ShippedWeights"

    /// The source checkout this module was built from (Sources/ShippedWeights/ShippedModel.swift).
    static let checkoutRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folders searched, in order: the resource bundle beside the executable, in the app's
    /// resources, or beside this code's own bundle (the places SwiftPM's generated accessor
    /// looks), then Weights/ of the source checkout.
    public static var candidateFolders: [URL] { candidateFolders(named: folderName) }

    static func candidateFolders(named name: String) -> [URL] {
        var bundleFolders: [URL] = []
        let hosts = [Bundle.main.bundleURL, Bundle.main.resourceURL, Bundle(for: BundleMarker.self).bundleURL,
                     Bundle(for: BundleMarker.self).resourceURL].compactMap { $0 }
        for host in hosts {
            for suffix in [".resources", ".bundle"] {
                let bundle = host.appendingPathComponent(bundleName + suffix)
                bundleFolders.append(bundle)
                bundleFolders.append(bundle.appendingPathComponent("Contents/Resources"))  // a macOS bundle's layout
            }
        }
        var seen = Set<String>()
        let folders = (bundleFolders + [checkoutRoot]).map {
            $0.appendingPathComponent("Weights").appendingPathComponent(name).standardizedFileURL
        }
        return folders.filter { seen.insert($0.path).inserted }
    }

    /// The shipped model's folder: the first candidate that holds a config.json.
    /// - Throws: `FileError` (`.notFound`) listing where it looked, with the fix.
    public static func folderURL() throws -> URL { try folderURL(named: folderName) }

    static func folderURL(named name: String) throws -> URL {
        let candidates = candidateFolders(named: name)
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.appendingPathComponent("config.json").path) }) {
            return found
        }
        throw FileError(.notFound, file: candidates.map(\.path).joined(separator: ", "), field: "(folder)",
                        problem: "the shipped model \(name) is in none of these places",
                        fix: "Keep the \(bundleName) resource bundle beside the executable, or pass a model folder (--model DIR, SentenceEmbedder(folder:))")
    }
}

extension SentenceEmbedder {
    /// An embedder on the shipped model (`ShippedModel.folderURL()`).
    public static func shipped() throws -> SentenceEmbedder {
        try SentenceEmbedder(folder: ShippedModel.folderURL())
    }
}

/// A class of this module, so that `Bundle(for:)` finds the bundle this code was loaded from.
private final class BundleMarker {}
