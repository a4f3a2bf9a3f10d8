import Foundation
import GalleryCore

/// The JSON the admin API answers with, decoded leniently where the service leaves a choice open.
enum KonigleWire {
    /// The list envelope: items under `payload` (or `results`), `next` non-null while pages remain.
    struct Page<Element: Decodable>: Decodable {
        var count: Int
        var next: String?
        var payload: [Element]

        enum CodingKeys: String, CodingKey {
            case count, next, payload, results
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            count = try container.decode(Int.self, forKey: .count)
            next = try container.decodeIfPresent(String.self, forKey: .next)
            payload =
                try container.decodeIfPresent([Element].self, forKey: .payload)
                ?? container.decode([Element].self, forKey: .results)
        }
    }

    struct Image: Decodable, Sendable {
        var id: String
        var name: String
        var mimeType: String
        var altText: String?
        var size: Int64?
        var assetURL: String?
        var tags: [String]?
        var description: String?
        var meta: [String: JSONValue]?
        var createdAt: String?

        enum CodingKeys: String, CodingKey {
            case id, name, size, tags, description, meta
            case mimeType = "mime_type"
            case altText = "alt_text"
            case assetURL = "asset_url"
            case createdAt = "created_at"
        }
    }

    struct Product: Decodable, Sendable {
        var uid: String
        var title: String
        var handle: String?
        var status: String?
        /// The main image: a uid, or `{"uid": …, "url": …}`.
        var image: String?

        enum CodingKeys: String, CodingKey {
            case uid, title, handle, status, image
        }

        struct Reference: Decodable { var uid: String }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            uid = try container.decode(String.self, forKey: .uid)
            title = try container.decode(String.self, forKey: .title)
            handle = try container.decodeIfPresent(String.self, forKey: .handle)
            status = try container.decodeIfPresent(String.self, forKey: .status)
            if let uid = try? container.decodeIfPresent(String.self, forKey: .image) {
                image = uid
            } else {
                image = try container.decodeIfPresent(Reference.self, forKey: .image)?.uid
            }
        }
    }

    struct ProductImage: Decodable, Sendable {
        var uid: String
        var product: String
        var position: Int
        var alt: String?
        var url: String?
        var createdAt: String?

        enum CodingKeys: String, CodingKey {
            case uid, product, position, alt, url
            case createdAt = "created_at"
        }
    }

    /// The file name at the end of a file URL (`…/beach-01.jpg`), percent-decoded.
    static func filename(fromURL url: String?) -> String? {
        guard let url, let path = URLComponents(string: url)?.path, let last = path.split(separator: "/").last
        else { return nil }
        return String(last).removingPercentEncoding ?? String(last)
    }

    /// ISO 8601 with or without fraction digits.
    static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
