import Foundation

/// The `--seed demo` content: two galleries (one with three captioned images, a cover and two translations;
/// one empty draft) so a fresh sandbox has something to copy.
enum OmnitcodeDemoSeed {
    /// Adds the demo rows to `state` and returns the files to store, by name.
    static func apply(to state: inout OmnitcodeState) -> [String: [UInt8]] {
        guard let admin = state.users.first, let english = state.languages.first(where: { $0.code == "en" }),
            let serbian = state.languages.first(where: { $0.code == "sr" })
        else { return [:] }
        let now = Date()
        var files: [String: [UInt8]] = [:]
        var links: [OmnitcodeState.Link] = []
        let captions = ["Lighthouse at dusk", "Fishing boats", "The old pier"]
        for (index, caption) in captions.enumerated() {
            let id = OmnitcodeStore.newID()
            let filename = "\(OmnitcodeStore.newID()).png"
            let bytes = image(seed: UInt64(index + 1), size: 2_000 + index * 1_500)
            files[filename] = bytes
            state.media.append(
                .init(
                    id: id, filename: filename, originalFilename: "harbour-\(index + 1).png", mimeType: "image/png",
                    size: bytes.count, altText: index == 0 ? "A white lighthouse" : nil, uploadedBy: admin.id,
                    createdAt: now, updatedAt: nil))
            links.append(.init(mediaID: id, order: index, caption: caption, createdAt: now))
        }
        let galleryID = OmnitcodeStore.newID()
        state.galleries.append(
            .init(
                id: galleryID, slug: "harbour-walk", status: "published", coverImageID: links[1].mediaID,
                authorID: admin.id, createdBy: admin.id,
                translations: [
                    .init(
                        id: OmnitcodeStore.newID(), languageID: english.id, title: "Harbour walk",
                        description: "Evening photos.", metaTitle: nil, metaDescription: nil, createdAt: now),
                    .init(
                        id: OmnitcodeStore.newID(), languageID: serbian.id, title: "Šetnja lukom",
                        description: "Večernje fotografije.", metaTitle: nil, metaDescription: nil, createdAt: now),
                ],
                links: links, createdAt: now, updatedAt: nil, deletedAt: nil))
        state.galleries.append(
            .init(
                id: OmnitcodeStore.newID(), slug: "empty-draft", status: "draft", coverImageID: nil, authorID: admin.id,
                createdBy: admin.id,
                translations: [
                    .init(
                        id: OmnitcodeStore.newID(), languageID: english.id, title: "Empty draft",
                        description: nil, metaTitle: nil, metaDescription: nil, createdAt: now)
                ],
                links: [], createdAt: now, updatedAt: nil, deletedAt: nil))
        return files
    }

    /// Deterministic bytes behind a PNG signature: enough for type checks and digests, not meant to be viewed.
    static func image(seed: UInt64, size: Int) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        while bytes.count < size { bytes.append(UInt8(truncatingIfNeeded: generator.next())) }
        return bytes
    }
}
