public import Foundation
public import GalleryCore

/// What a source item looked like when it was last copied or matched: the journal keeps it beside the mapping,
/// and the planner trusts the mapping only while the source item still looks the same (rclone's rule: size
/// and digest, or size and modification time where the source has no digest).
public struct SourceFingerprint: Sendable, Hashable {
    /// The bytes actually read (exact, even from a source that lists sizes in coarser units).
    public var byteCount: Int64
    public var sha256: String?
    public var modified: Date?

    public init(byteCount: Int64, sha256: String? = nil, modified: Date? = nil) {
        self.byteCount = byteCount
        self.sha256 = sha256
        self.modified = modified
    }

    /// The fingerprint of a listed item.
    public init(_ item: Item) {
        self.init(byteCount: item.byteCount, sha256: item.sha256, modified: item.modified)
    }

    /// Whether `item`, as the source lists it now, is still what was recorded. A listed size is compared at the
    /// source's size unit (Kanka lists KiB rounded up); a digest, when both are known, decides; else the
    /// modification time, when both are known.
    public func matches(_ item: Item, granularity: Int64) -> Bool {
        guard Self.rounded(byteCount, granularity) == Self.rounded(item.byteCount, granularity) else { return false }
        if let recorded = sha256, let listed = item.sha256 { return recorded == listed }
        if let recorded = modified, let listed = item.modified {
            return abs(recorded.timeIntervalSince(listed)) < 0.000_5
        }
        return true
    }

    /// `size` rounded up to a whole number of `unit`s (the identity for a unit of 1).
    static func rounded(_ size: Int64, _ unit: Int64) -> Int64 {
        unit > 1 ? (size + unit - 1) / unit * unit : size
    }
}
