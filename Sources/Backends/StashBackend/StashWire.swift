import GalleryCore

/// The shapes the adapter selects from Stash's schema (Docs/stash.md, "API surface"), and the documents that
/// select them.
enum StashWire {
    struct GalleryRow: Decodable, Sendable {
        struct Folder: Decodable, Sendable { var path: String }
        struct Cover: Decodable, Sendable { var id: String }
        var id: String
        var title: String?
        var details: String?
        var urls: [String]?
        var date: String?
        var photographer: String?
        var imageCount: Int?
        var folder: Folder?
        var cover: Cover?

        enum CodingKeys: String, CodingKey {
            case id, title, details, urls, date, photographer, folder, cover
            case imageCount = "image_count"
        }
    }

    struct FileRow: Decodable, Sendable {
        struct Fingerprint: Decodable, Sendable {
            var type: String
            var value: String
        }
        var path: String?
        var basename: String?
        var size: Int64?
        var fingerprints: [Fingerprint]?

        var md5: String? { fingerprints?.first { $0.type == "md5" }?.value.lowercased() }
    }

    struct ImageRow: Decodable, Sendable {
        var id: String
        var title: String?
        var details: String?
        var visualFiles: [FileRow]

        enum CodingKeys: String, CodingKey {
            case id, title, details
            case visualFiles = "visual_files"
        }
    }

    struct Images: Decodable, Sendable { var images: [ImageRow] }

    static let galleryFields = "id title details urls date photographer image_count folder { path } cover { id }"
    static let imageFields = """
        id title details visual_files { __typename \
        ... on ImageFile { path basename size fingerprints { type value } } \
        ... on VideoFile { path basename size fingerprints { type value } } }
        """

    static let listGalleries = """
        query ListGalleries($filter: FindFilterType) {
          findGalleries(filter: $filter) { count galleries { \(galleryFields) } }
        }
        """
    struct GalleryPage: Decodable, Sendable {
        struct Result: Decodable, Sendable {
            var count: Int
            var galleries: [GalleryRow]
        }
        var findGalleries: Result
    }

    static let galleryWithImages = """
        query GalleryWithImages($id: ID!, $images: ImageFilterType) {
          findGallery(id: $id) { \(galleryFields) }
          findImages(image_filter: $images, filter: {per_page: -1, sort: "path", direction: ASC}) {
            images { \(imageFields) }
          }
        }
        """
    struct GalleryWithImages: Decodable, Sendable {
        var findGallery: GalleryRow?
        var findImages: Images
    }

    static let imagesUnderPath = """
        query ImagesUnderPath($images: ImageFilterType) {
          findImages(image_filter: $images, filter: {per_page: -1, sort: "path", direction: ASC}) {
            images { \(imageFields) }
          }
        }
        """
    struct FoundImages: Decodable, Sendable { var findImages: Images }

    static let imageByChecksum = "query ImageByChecksum($checksum: String) { findImage(checksum: $checksum) { id } }"
    struct ImageID: Decodable, Sendable {
        struct Row: Decodable, Sendable { var id: String }
        var findImage: Row?
    }

    static let galleriesByURL = """
        query GalleriesByURL($galleries: GalleryFilterType) {
          findGalleries(gallery_filter: $galleries, filter: {per_page: -1}) { count galleries { \(galleryFields) } }
        }
        """

    static let createGallery =
        "mutation CreateGallery($input: GalleryCreateInput!) { galleryCreate(input: $input) { id } }"
    struct Created: Decodable, Sendable {
        struct Row: Decodable, Sendable { var id: String }
        var galleryCreate: Row?
    }
    static let updateGallery =
        "mutation UpdateGallery($input: GalleryUpdateInput!) { galleryUpdate(input: $input) { id } }"
    static let destroyGallery =
        "mutation DestroyGallery($input: GalleryDestroyInput!) { galleryDestroy(input: $input) }"
    static let addImages = "mutation AddImages($input: GalleryAddInput!) { addGalleryImages(input: $input) }"
    static let removeImages =
        "mutation RemoveImages($input: GalleryRemoveInput!) { removeGalleryImages(input: $input) }"
    static let setCover = "mutation SetCover($input: GallerySetCoverInput!) { setGalleryCover(input: $input) }"
    static let resetCover = "mutation ResetCover($input: GalleryResetCoverInput!) { resetGalleryCover(input: $input) }"
    static let updateImages =
        "mutation UpdateImages($input: [ImageUpdateInput!]!) { imagesUpdate(input: $input) { id } }"
    static let scan = "mutation Scan($input: ScanMetadataInput!) { metadataScan(input: $input) }"
    struct ScanStarted: Decodable, Sendable { var metadataScan: String }
    static let job = "query Job($input: FindJobInput!) { findJob(input: $input) { id status progress error } }"
    struct JobState: Decodable, Sendable {
        struct Row: Decodable, Sendable {
            var status: String
            var error: String?
        }
        var findJob: Row?
    }

    struct Ignored: Decodable, Sendable {}
}
