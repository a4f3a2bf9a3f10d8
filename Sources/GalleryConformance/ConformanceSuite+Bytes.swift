import GalleryCore

extension ConformanceSuite {
    static let readChecks: [Check] = [
        Check(name: "capabilities.consistent") { context in
            let caps = context.caps
            if !caps.isWritable, caps.createGalleries || caps.deletes {
                throw CheckFailure("a read-only backend declares createGalleries or deletes")
            }
            if caps.cover == .none, caps.supports(.nonMemberCover) { throw CheckFailure("cover none but any") }
            return "declared capabilities are consistent"
        },
        Check(name: "errors.notFound") { context in
            let missing = GalleryID("no-such-gallery-\(context.runID)")
            do {
                _ = try await context.backend.gallery(missing)
                throw CheckFailure("reading a missing gallery succeeded")
            } catch let error as GalleryError {
                guard [.notFound, .invalidInput].contains(error.code) else {
                    throw CheckFailure("a missing gallery gave \(error.code), expected notFound or invalidInput")
                }
                guard error.backend != nil else { throw CheckFailure("the error does not name the backend") }
            }
            return "a missing gallery is notFound and names the backend"
        },
        Check(name: "write.readOnlyRefuses") { context in
            guard !context.caps.isWritable else { return "writable: covered by the byte checks" }
            guard let gallery = try await context.backend.allGalleries().first?.id else { return "no gallery to try" }
            return try await context.expectUnsupported(.write) {
                _ = try await context.addImage(to: gallery, name: "ro", seed: 1)
            }
        },
    ]

    static let byteChecks: [Check] = [
        roundTrip("bytes.small", \.smallItemBytes, seed: 11),
        roundTrip("bytes.medium", \.mediumItemBytes, seed: 12),
        roundTrip("bytes.largeStreamed", \.largeItemBytes, seed: 13),
        Check(name: "bytes.listedSizeAndDigest") { context in
            guard context.caps.isWritable else { return "read-only" }
            let gallery = try await context.scratchGallery("sizes")
            let size: Int64 = 4_321
            let added = try await context.addImage(to: gallery, name: "size", bytes: size, seed: 21)
            let item = try await context.reread(added, in: gallery)
            let granularity = context.caps.sizeGranularity
            let expected = (size + granularity - 1) / granularity * granularity
            guard item.byteCount == size || item.byteCount == expected else {
                throw CheckFailure(
                    "listed size \(item.byteCount), expected \(size) (or \(expected) at the declared granularity)")
            }
            if context.caps.digests.contains(.sha256) {
                let want = try await SyntheticImage.sha256(byteCount: size, seed: 21)
                try expectEqual(item.sha256, want, "listed SHA-256 (digests declared)")
            }
            return "listed size \(item.byteCount) bytes" + (item.digest.map { ", digest \($0.algorithm)" } ?? "")
        },
    ]

    /// Adds an item of the configured size and reads it back, both sides streamed and compared by SHA-256.
    static func roundTrip(_ name: String, _ size: any KeyPath<Options, Int64> & Sendable, seed: UInt64) -> Check {
        Check(name: name) { context in
            guard context.caps.isWritable else { return "read-only" }
            let bytes = context.options[keyPath: size]
            if let max = context.caps.maxItemBytes, bytes > max {
                return "skipped: \(bytes) bytes exceeds the declared max \(max)"
            }
            let gallery = try await context.scratchGallery(name)
            let added = try await context.addImage(to: gallery, name: name, bytes: bytes, seed: seed)
            let read = try await SHA256Digester.digest(
                of: context.backend.openItem(ItemRef(gallery: gallery, item: added.id)))
            let want = try await SyntheticImage.sha256(byteCount: bytes, seed: seed)
            try expectEqual(read.byteCount, bytes, "bytes read back")
            try expectEqual(read.sha256, want, "SHA-256 of the bytes read back")
            if let digest = added.sha256 { try expectEqual(digest, want, "SHA-256 the backend reported on add") }
            return "\(bytes) bytes round-tripped, SHA-256 \(want.prefix(12))…"
        }
    }
}
