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
        Check(name: "capabilities.resolvedWithinDeclared") { context in
            let declared = context.backend.capabilities
            let resolved = context.caps
            var wider: [String] = []
            for capability in Capability.allCases where resolved.supports(capability) && !declared.supports(capability)
            {
                wider.append(capability.rawValue)
            }
            if let languages = declared.translationLanguages,
                !(resolved.translationLanguages.map { $0.isSubset(of: languages) } ?? false)
            {
                wider.append("translationLanguages")
            }
            if let max = declared.maxItemBytes, (resolved.maxItemBytes ?? .max) > max { wider.append("maxItemBytes") }
            if let max = declared.maxCaptionLength, (resolved.maxCaptionLength ?? .max) > max {
                wider.append("maxCaptionLength")
            }
            if let types = declared.allowedMIMETypes,
                !(resolved.allowedMIMETypes.map { $0.isSubset(of: types) } ?? false)
            {
                wider.append("allowedMIMETypes")
            }
            if !resolved.visibilities.isSubset(of: declared.visibilities) { wider.append("visibilities") }
            if !resolved.digests.isSubset(of: declared.digests) { wider.append("digests") }
            if resolved.sizeGranularity != declared.sizeGranularity { wider.append("sizeGranularity") }
            guard wider.isEmpty else {
                throw CheckFailure(
                    "resolvedCapabilities() declares more than capabilities: \(wider.joined(separator: ", "))")
            }
            return "resolved capabilities are within the declared ones"
        },
        Check(name: "errors.itemNotFound") { context in
            let gallery: GalleryID
            if context.caps.isWritable {
                gallery = try await context.scratchGallery("missing-item")
            } else {
                guard let first = try await context.backend.allGalleries().first?.id else {
                    throw CheckSkipped("read-only, and no gallery to look into")
                }
                gallery = first
            }
            let missing = ItemRef(gallery: gallery, item: ItemID("no-such-item-\(context.runID)"))
            do {
                _ = try await SHA256Digester.digest(of: context.backend.openItem(missing))
                throw CheckFailure("opening a missing item succeeded")
            } catch let error as GalleryError {
                guard error.code == .notFound else {
                    throw CheckFailure("a missing item gave \(error.code), expected notFound")
                }
            }
            return "a missing item is notFound"
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
        Check(name: "read.oddSizedItem") { context in
            try await oddSizedRead(context)
        },
        Check(name: "write.readOnlyRefuses") { context in
            guard !context.caps.isWritable else { throw CheckSkipped("writable: covered by the byte checks") }
            guard let gallery = try await context.backend.allGalleries().first?.id else {
                throw CheckSkipped("no gallery to try")
            }
            return try await context.expectUnsupported(.write) {
                _ = try await context.addImage(to: gallery, name: "ro", seed: 1)
            }
        },
    ]

    static let byteChecks: [Check] = [
        Check(name: "write.idempotentSecondPut") { context in
            guard context.caps.isWritable else { throw CheckSkipped("read-only") }
            let gallery = try await context.scratchGallery("put-twice")
            let size: Int64 = 3_333
            var item = try await context.addImage(to: gallery, name: "twice", bytes: size, seed: 25)
            let before = try await context.backend.gallery(gallery).items.count
            let want = try await SyntheticImage.sha256(byteCount: size, seed: 25)
            // The same bytes put over the item twice leave one item with those bytes.
            for _ in 0..<2 {
                item = try await context.backend.replaceItem(
                    ItemRef(gallery: gallery, item: item.id), spec: SyntheticImage.spec(item.filename, byteCount: size),
                    bytes: SyntheticImage.stream(byteCount: size, seed: 25))
            }
            let after = try await context.backend.gallery(gallery).items
            try expectEqual(after.count, before, "item count after putting the same item twice")
            let read = try await SHA256Digester.digest(
                of: context.backend.openItem(ItemRef(gallery: gallery, item: item.id)))
            try expectEqual(read.sha256, want, "SHA-256 after the second put")
            return "a second put of the same item leaves \(after.count) items, bytes intact"
        },
        roundTrip("bytes.small", \.smallItemBytes, seed: 11),
        roundTrip("bytes.medium", \.mediumItemBytes, seed: 12),
        roundTrip("bytes.largeStreamed", \.largeItemBytes, seed: 13),
        Check(name: "bytes.listedSizeAndDigest") { context in
            guard context.caps.isWritable else { throw CheckSkipped("read-only") }
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

    /// The backend as a *source*: an item whose size is not a multiple of 1,024 is listed within the declared
    /// size granularity, and opening it yields exactly its bytes. A platform that lists sizes in KiB (Kanka)
    /// must still hand over every byte; a listed digest must be the digest of what is read.
    static func oddSizedRead(_ context: CheckContext) async throws -> String {
        let granularity = max(context.caps.sizeGranularity, 1)
        func withinGranularity(listed: Int64, read: Int64) -> Bool {
            listed == read || (granularity > 1 && listed >= read && listed - read < granularity)
        }
        if context.caps.isWritable {
            let size: Int64 = 5_001
            let gallery = try await context.scratchGallery("odd-size")
            let added = try await context.addImage(to: gallery, name: "odd", bytes: size, seed: 31)
            let listed = try await context.reread(added, in: gallery)
            let read = try await SHA256Digester.digest(
                of: context.backend.openItem(ItemRef(gallery: gallery, item: listed.id)))
            try expectEqual(read.byteCount, size, "bytes read from a \(size)-byte item")
            try expectEqual(read.sha256, try await SyntheticImage.sha256(byteCount: size, seed: 31), "SHA-256 read")
            guard withinGranularity(listed: listed.byteCount, read: read.byteCount) else {
                throw CheckFailure(
                    "listed size \(listed.byteCount) for \(read.byteCount) bytes read (granularity \(granularity))")
            }
            if let digest = listed.sha256 { try expectEqual(digest, read.sha256, "listed SHA-256") }
            return "a \(size)-byte item listed as \(listed.byteCount) bytes reads back whole"
        }
        // Read-only: the existing items are the sample; at least one must have an odd size.
        var examined = 0
        var odd: String?
        for summary in try await context.backend.allGalleries() where examined < 8 {
            for item in try await context.backend.gallery(summary.id).items where examined < 8 {
                examined += 1
                let read = try await SHA256Digester.digest(
                    of: context.backend.openItem(ItemRef(gallery: summary.id, item: item.id)))
                guard withinGranularity(listed: item.byteCount, read: read.byteCount) else {
                    throw CheckFailure(
                        "\(item.filename): listed \(item.byteCount) bytes, read \(read.byteCount) "
                            + "(granularity \(granularity))")
                }
                if let digest = item.sha256 { try expectEqual(digest, read.sha256, "\(item.filename) listed SHA-256") }
                if read.byteCount % 1_024 != 0, odd == nil {
                    odd = "\(item.filename): \(read.byteCount) bytes read, listed as \(item.byteCount)"
                }
            }
        }
        guard let odd else {
            throw CheckSkipped(
                "read-only, and none of the \(examined) existing items has a size that is not a multiple of 1,024")
        }
        return "\(examined) existing items read whole; \(odd)"
    }

    /// Adds an item of the configured size and reads it back, both sides streamed and compared by SHA-256.
    static func roundTrip(_ name: String, _ size: any KeyPath<Options, Int64> & Sendable, seed: UInt64) -> Check {
        Check(name: name) { context in
            guard context.caps.isWritable else { throw CheckSkipped("read-only") }
            let bytes = context.options[keyPath: size]
            if let max = context.caps.maxItemBytes, bytes > max {
                throw CheckSkipped("\(bytes) bytes exceeds the declared max \(max)")
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
