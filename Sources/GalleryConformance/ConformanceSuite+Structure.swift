import GalleryCore

extension ConformanceSuite {
    static let structureChecks: [Check] = [
        Check(name: "order") { context in
            guard context.caps.isWritable else { throw CheckSkipped("read-only") }
            let gallery = try await context.scratchGallery("order")
            var added: [Item] = []
            for (index, name) in ["b", "c", "a"].enumerated() {
                added.append(try await context.addImage(to: gallery, name: name, seed: UInt64(50 + index)))
            }
            let ours = Set(added.map(\.id))
            let listed = try await context.backend.gallery(gallery).items.map(\.id).filter(ours.contains)
            switch context.caps.order {
            case .explicit:
                try expectEqual(listed, added.map(\.id), "order after appending")
                let all = try await context.backend.gallery(gallery).items.map(\.id)
                let wanted = Array(all.reversed())
                try await context.backend.setOrder(of: gallery, to: wanted)
                try expectEqual(
                    try await context.backend.gallery(gallery).items.map(\.id), wanted, "order after setOrder")
                do {
                    try await context.backend.setOrder(of: gallery, to: Array(wanted.dropLast()))
                    throw CheckFailure("setOrder with an item missing succeeded")
                } catch let error as GalleryError where error.code == .invalidInput {}
                return "append order kept; setOrder of \(wanted.count) applied; a partial order refused"
            case .byFilename:
                let names = try await context.backend.gallery(gallery).items.filter { ours.contains($0.id) }.map(
                    \.filename)
                try expectEqual(names, names.sorted(by: NaturalOrder.areInIncreasingOrder), "file-name order")
                return try await context.expectUnsupported(.explicitOrder) {
                    try await context.backend.setOrder(of: gallery, to: listed.reversed())
                }
            case .none:
                return try await context.expectUnsupported(.explicitOrder) {
                    try await context.backend.setOrder(of: gallery, to: listed.reversed())
                }
            }
        },
        Check(name: "cover.member") { context in
            guard context.caps.isWritable else { throw CheckSkipped("read-only") }
            let gallery = try await context.scratchGallery("cover")
            let first = try await context.addImage(to: gallery, name: "one", seed: 61)
            let second = try await context.addImage(to: gallery, name: "two", seed: 62)
            guard context.caps.cover != .none else {
                return try await context.expectUnsupported(.cover) {
                    try await context.backend.setCover(of: gallery, to: .item(second.id))
                }
            }
            try await context.backend.setCover(of: gallery, to: .item(second.id))
            try expectEqual(try await context.backend.gallery(gallery).cover?.itemID, second.id, "cover")
            try await context.backend.setCover(of: gallery, to: .item(first.id))
            try expectEqual(try await context.backend.gallery(gallery).cover?.itemID, first.id, "changed cover")
            return "member cover set and changed"
        },
        Check(name: "cover.standalone") { context in
            guard context.caps.isWritable else { throw CheckSkipped("read-only") }
            let gallery = try await context.scratchGallery("cover-standalone")
            let size: Int64 = 2_000
            let spec = SyntheticImage.spec("cover-\(context.runID).jpg", byteCount: size)
            guard context.caps.cover == .any else {
                return try await context.expectUnsupported(.nonMemberCover) {
                    try await context.backend.setStandaloneCover(
                        of: gallery, spec: spec,
                        bytes: SyntheticImage.stream(byteCount: size, seed: 71))
                }
            }
            try await context.backend.setStandaloneCover(
                of: gallery, spec: spec, bytes: SyntheticImage.stream(byteCount: size, seed: 71))
            let read = try await context.backend.gallery(gallery)
            guard case .standalone = read.cover else {
                throw CheckFailure("cover is \(String(describing: read.cover)), expected standalone")
            }
            guard read.items.isEmpty || !read.items.contains(where: { $0.filename == spec.filename }) else {
                throw CheckFailure("a standalone cover shows up as an item")
            }
            let digest = try await SHA256Digester.digest(of: context.backend.openCover(of: gallery)).sha256
            try expectEqual(
                digest, try await SyntheticImage.sha256(byteCount: size, seed: 71), "standalone cover bytes")
            return "standalone cover stored apart from the items, bytes intact"
        },
        Check(name: "nesting") { context in
            guard context.caps.createGalleries else { throw CheckSkipped("cannot create galleries") }
            let parent = try await context.backend.createGallery(GallerySpec(title: "parent \(context.runID)"))
            guard context.caps.nestedGalleries else {
                return try await context.expectUnsupported(.nestedGalleries) {
                    _ = try await context.backend.createGallery(
                        GallerySpec(title: "child \(context.runID)", parent: parent))
                }
            }
            let child = try await context.backend.createGallery(
                GallerySpec(title: "child \(context.runID)", parent: parent))
            let listed = try await context.backend.allGalleries().first { $0.id == child }
            try expectEqual(listed?.parent, parent, "listed parent of the child")
            try expectEqual(try await context.backend.gallery(child).parent, parent, "parent of the child")
            return "a nested gallery is listed under its parent"
        },
        Check(name: "listing.pages") { context in
            guard context.caps.createGalleries else { throw CheckSkipped("cannot create galleries") }
            var created: [GalleryID] = []
            for index in 0..<context.options.listingGalleries {
                created.append(
                    try await context.backend.createGallery(GallerySpec(title: "page \(index) \(context.runID)")))
            }
            let listed = try await context.backend.allGalleries().map(\.id)
            let missing = created.filter { !listed.contains($0) }
            guard missing.isEmpty else { throw CheckFailure("\(missing.count) created galleries are not listed") }
            guard Set(listed).count == listed.count else { throw CheckFailure("a gallery is listed twice") }
            return "\(created.count) galleries listed once each across pages"
        },
        Check(name: "deletes") { context in
            guard context.caps.isWritable else { throw CheckSkipped("read-only") }
            let gallery = try await context.scratchGallery("delete")
            let item = try await context.addImage(to: gallery, name: "gone", seed: 81)
            guard context.caps.deletes else {
                return try await context.expectUnsupported(.deletes) {
                    try await context.backend.removeItem(ItemRef(gallery: gallery, item: item.id))
                }
            }
            try await context.backend.removeItem(ItemRef(gallery: gallery, item: item.id))
            guard try await !context.backend.gallery(gallery).items.contains(where: { $0.id == item.id }) else {
                throw CheckFailure("a removed item is still listed")
            }
            guard context.caps.createGalleries else { return "item removed" }
            try await context.backend.deleteGallery(gallery)
            guard try await !context.backend.allGalleries().contains(where: { $0.id == gallery }) else {
                throw CheckFailure("a deleted gallery is still listed")
            }
            return "item removed; gallery deleted"
        },
        Check(name: "create.refusedWhereUndeclared") { context in
            guard !context.caps.createGalleries else {
                throw CheckSkipped("createGalleries declared: covered elsewhere")
            }
            return try await context.expectUnsupported(.createGalleries) {
                _ = try await context.backend.createGallery(GallerySpec(title: "new \(context.runID)"))
            }
        },
    ]

    static let limitChecks: [Check] = [
        Check(name: "limits.maxItemBytes") { context in
            guard context.caps.isWritable, let max = context.caps.maxItemBytes else {
                throw CheckSkipped("no size limit declared")
            }
            let gallery = try await context.scratchGallery("limit")
            do {
                _ = try await context.addImage(to: gallery, name: "too-big", bytes: max + 1, seed: 91)
                throw CheckFailure("an item of \(max + 1) bytes was accepted over the declared \(max)")
            } catch let error as GalleryError where error.code == .invalidInput {
                return "an item over \(max) bytes refused as invalidInput"
            }
        },
        Check(name: "limits.mimeTypes") { context in
            guard context.caps.isWritable, let allowed = context.caps.allowedMIMETypes else {
                throw CheckSkipped("any type allowed")
            }
            guard !allowed.contains("image/tiff") else { throw CheckSkipped("image/tiff allowed") }
            let gallery = try await context.scratchGallery("types")
            let spec = ItemSpec(filename: "scan-\(context.runID).tiff", mimeType: "image/tiff", byteCount: 8)
            do {
                _ = try await context.backend.addItem(
                    to: gallery, spec: spec, bytes: .bytes([0x49, 0x49, 0x2A, 0, 8, 0, 0, 0]))
                throw CheckFailure("an image/tiff item was accepted; allowed: \(allowed.sorted())")
            } catch let error as GalleryError where error.code == .invalidInput {
                return "a type outside the allow-list refused as invalidInput"
            }
        },
        Check(name: "integrity.shortStream") { context in
            guard context.caps.isWritable else { throw CheckSkipped("read-only") }
            let gallery = try await context.scratchGallery("short")
            // The spec promises more bytes than the stream yields: the backend must not keep a truncated item.
            let spec = SyntheticImage.spec("short-\(context.runID).jpg", byteCount: 5_000)
            do {
                _ = try await context.backend.addItem(
                    to: gallery, spec: spec, bytes: SyntheticImage.stream(byteCount: 3_000, seed: 95))
                throw CheckFailure("a stream shorter than its declared size was stored")
            } catch let error as GalleryError where error.code != .unsupported {
                let left = try await context.backend.gallery(gallery).items.filter {
                    $0.filename.contains("short-\(context.runID)")
                }
                guard left.isEmpty else { throw CheckFailure("a truncated item was left behind") }
                return "a short stream refused (\(error.code)); nothing left behind"
            }
        },
    ]
}
