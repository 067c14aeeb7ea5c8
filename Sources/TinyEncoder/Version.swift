// Version: the package's semantic version, printed by `tinyencoder --version`. It changes in the
// release commit only, together with CHANGELOG.md and the git tag (README, "Releases").
// Reference: semver.org (MAJOR.MINOR.PATCH). Not handled: build metadata (commit hashes); the tag
// names the commit.

/// The version of this TinyEncoder package (semantic versioning: MAJOR.MINOR.PATCH).
public let tinyEncoderVersion = "0.1.0"
