import Foundation

/// The service's JSON, decoded leniently: only `id`, `slug` and `status` are required, lists default to empty,
/// unknown keys are ignored, timestamps are kept as text and parsed by ``OmnitcodeTimestamp``.
enum OmnitcodeWire {
    struct Tokens: Decodable {
        var accessToken: String
        var refreshToken: String?
        var expiresIn: Int?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case refreshToken = "refresh_token"
            case expiresIn = "expires_in"
        }
    }

    /// Login/register answer `{user, tokens}`; refresh may answer the same or the token object alone.
    struct AuthAnswer: Decodable {
        var tokens: Tokens

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            if container.contains(Key("tokens")) {
                tokens = try container.decode(Tokens.self, forKey: Key("tokens"))
            } else {
                tokens = try Tokens(from: decoder)
            }
        }
    }

    struct Media: Decodable {
        var id: String
        var filename: String?
        var originalFilename: String?
        var mimeType: String?
        var size: Int64?
        var path: String?
        var altText: String?

        enum CodingKeys: String, CodingKey {
            case id, filename, size, path
            case originalFilename = "original_filename"
            case mimeType = "mime_type"
            case altText = "alt_text"
        }
    }

    struct Link: Decodable {
        var mediaID: String
        var order: Int?
        var caption: String?
        var createdAt: String?
        var media: Media?

        enum CodingKeys: String, CodingKey {
            case order, caption, media
            case mediaID = "media_id"
            case createdAt = "created_at"
        }
    }

    struct Translation: Decodable {
        var languageID: String
        var title: String?
        var description: String?
        var metaTitle: String?
        var metaDescription: String?

        enum CodingKeys: String, CodingKey {
            case title, description
            case languageID = "language_id"
            case metaTitle = "meta_title"
            case metaDescription = "meta_description"
        }
    }

    struct Gallery: Decodable {
        var id: String
        var slug: String
        var status: String
        var coverImageID: String?
        var translations: [Translation]
        var galleryMedia: [Link]
        var coverImage: Media?

        enum CodingKeys: String, CodingKey {
            case id, slug, status, translations
            case coverImageID = "cover_image_id"
            case galleryMedia = "gallery_media"
            case coverImage = "cover_image"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            slug = try container.decode(String.self, forKey: .slug)
            status = try container.decode(String.self, forKey: .status)
            coverImageID = try container.decodeIfPresent(String.self, forKey: .coverImageID)
            translations = try container.decodeIfPresent([Translation].self, forKey: .translations) ?? []
            galleryMedia = try container.decodeIfPresent([Link].self, forKey: .galleryMedia) ?? []
            coverImage = try container.decodeIfPresent(Media.self, forKey: .coverImage)
        }

        /// Links in the gallery's order: by `order`, then `created_at`, then id (duplicates and gaps happen).
        var orderedLinks: [Link] {
            galleryMedia.sorted { lhs, rhs in
                let left = (
                    lhs.order ?? Int.max, OmnitcodeTimestamp.parse(lhs.createdAt) ?? .distantFuture, lhs.mediaID
                )
                let right = (
                    rhs.order ?? Int.max, OmnitcodeTimestamp.parse(rhs.createdAt) ?? .distantFuture, rhs.mediaID
                )
                return left < right
            }
        }
    }

    struct Summary: Decodable {
        var id: String
        var slug: String?
    }

    struct Language: Decodable {
        var id: String
        var code: String
        var isDefault: Bool?

        enum CodingKeys: String, CodingKey {
            case id, code
            case isDefault = "is_default"
        }
    }

    /// A list in either dialect: a bare array (skip/limit) or `{"data": […], "pagination": {…}}`.
    struct Page<Element: Decodable>: Decodable {
        var items: [Element]
        /// Set for the envelope dialect: whether another page follows.
        var hasNext: Bool?

        init(from decoder: any Decoder) throws {
            if var array = try? decoder.unkeyedContainer() {
                var items: [Element] = []
                while !array.isAtEnd { items.append(try array.decode(Element.self)) }
                self.items = items
                hasNext = nil
                return
            }
            let container = try decoder.container(keyedBy: Key.self)
            items = try container.decode([Element].self, forKey: Key("data"))
            let pagination = try? container.nestedContainer(keyedBy: Key.self, forKey: Key("pagination"))
            hasNext = (try? pagination?.decodeIfPresent(Bool.self, forKey: Key("has_next"))) ?? false
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
