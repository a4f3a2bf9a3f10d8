import Foundation
import GalleryCore

/// `gallery.json`: the lossless record of one gallery folder (schema in Docs/local-format.md).
///
/// The bytes live in the folder as ordinary files; the manifest adds what a folder cannot say: title,
/// description, translations, the order, the cover, captions, alt texts, titles, digests and platform extras.
struct GalleryManifest: Codable, Equatable {
    static let fileName = "gallery.json"
    static let currentVersion = 1

    var schemaVersion: Int = Self.currentVersion
    var title: String
    var description: String?
    var slug: String?
    var visibility: Visibility?
    var translations: [String: Translation]?
    var cover: Cover?
    var items: [Entry]
    var extra: [String: JSONValue]?

    struct Entry: Codable, Equatable {
        /// The file's name in the folder: the item's id.
        var file: String
        /// The name the item had where it came from, when making it safe changed it.
        var originalFilename: String?
        var bytes: Int64
        var sha256: String?
        var mimeType: String
        var caption: String?
        var altText: String?
        var title: String?
        var focus: FocusPoint?
        var created: Date?
        var extra: [String: JSONValue]?
    }

    /// Either an item of the gallery (`{"item": "a.jpg"}`) or a hidden file beside it (`{"standalone": {…}}`).
    struct Cover: Codable, Equatable {
        var item: String?
        var standalone: Entry?
    }

    static func load(from directory: String, backend: String) throws -> GalleryManifest? {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let manifest: GalleryManifest
        do {
            manifest = try decoder.decode(GalleryManifest.self, from: data)
        } catch {
            throw GalleryError(
                .corruptResponse,
                "\(path) is not a valid gallery manifest: \(problem(in: data, decoding: error))",
                backend: backend,
                gallery: directory,
                hint: "Fix the JSON by hand (see Docs/local-format.md), or move the file away to read the folder as "
                    + "plain images."
            )
        }
        guard manifest.schemaVersion <= currentVersion else {
            throw GalleryError(
                .invalidInput,
                "\(path) has schema version \(manifest.schemaVersion); this gallery-hub reads up to \(currentVersion)",
                backend: backend,
                gallery: directory,
                hint: "Upgrade gallery-hub to read this folder."
            )
        }
        return manifest
    }

    /// Writes the manifest atomically: a temp file in the same folder, then rename over the old one.
    func save(to directory: String, backend: String) throws {
        let data = try Self.encoder.encode(self)
        try AtomicFile.write(data, to: directory + "/" + Self.fileName, backend: backend)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

extension GalleryManifest.Entry {
    init(item: Item, file: String) {
        self.init(
            file: file,
            originalFilename: item.filename == file ? nil : item.filename,
            bytes: item.byteCount,
            sha256: item.sha256,
            mimeType: item.mimeType,
            caption: item.caption,
            altText: item.altText,
            title: item.title,
            focus: item.focus,
            created: item.created,
            extra: item.extra.isEmpty ? nil : item.extra
        )
    }

    /// The item this entry describes, given the file's size on disk now. A digest recorded for another size is
    /// stale (the file was replaced behind our back) and is dropped.
    func item(diskBytes: Int64) -> Item {
        Item(
            id: ItemID(file),
            filename: file,
            mimeType: mimeType,
            byteCount: diskBytes,
            digest: diskBytes == bytes ? sha256.map(Digest.sha256) : nil,
            caption: caption,
            altText: altText,
            title: title,
            focus: focus,
            created: created,
            extra: extra ?? [:]
        )
    }
}

extension GalleryManifest {
    /// Where a manifest went wrong, as a person fixing it by hand needs it: the line and column of a syntax
    /// error, or the field whose value has the wrong shape.
    static func problem(in data: Data, decoding error: any Error) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data)
        } catch {
            // Foundation says "… around character N." (a byte offset); count lines up to it.
            let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            let digits = text.split(separator: " ").last.map { $0.filter(\.isNumber) } ?? ""
            guard let offset = Int(digits), offset <= data.count else { return "not valid JSON (\(text))" }
            let before = data.prefix(offset)
            let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
            let column = offset - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
            return "not valid JSON at line \(line), column \(column)"
        }
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty
                ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) should be \(type)"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
