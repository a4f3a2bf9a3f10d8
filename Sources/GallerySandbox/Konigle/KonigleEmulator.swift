import Foundation
import GalleryCore
import HTTPTypes
public import Hummingbird
import NIOCore

/// The Konigle admin API emulator (Docs/konigle.md): storefront assets, uploads with the direct-to-cloud flow
/// (its storage role included), products and their ordered images, with DRF's envelope, status codes and error
/// bodies. It shares no code with the Konigle adapter.
///
/// Files are served without auth under ``mediaPath`` (the CDN of asset and image URLs); signed cloud-upload
/// targets live under ``storagePath``.
public struct KonigleEmulator: Emulator {
    /// How product image positions behave: the real service does not document it.
    public enum PositionModel: String, Sendable {
        /// 1-based and contiguous: placing an image at *p* moves the others down, deleting one closes the gap.
        case contiguous
        /// Stored as sent, gaps and ties included.
        case plain
    }

    /// How a product's `image` (its cover) is rendered: the SDK accepts both.
    public enum ProductImageField: String, Sendable {
        /// `{"uid": …, "url": …}`.
        case reference
        /// The bare uid.
        case uid
    }

    public struct Options: Sendable {
        public var apiKey: String
        /// A second key that may read but not write: every write answers 403.
        public var readOnlyKey: String?
        /// Whether `meta` is stored as sent; `false` drops it (stored as `{}`), as a filtering server would.
        public var keepsMeta: Bool
        public var positions: PositionModel
        public var productImageField: ProductImageField
        /// Seconds a cloud-upload URL stays valid.
        public var cloudUploadLifetimeSeconds: Int
        /// The `retry_after` of an injected 429.
        public var retryAfterSeconds: Int
        /// Keep uploaded bytes in this folder instead of memory.
        public var fileDirectory: String?
        /// Keep the whole site here (rows in `state.json`, bytes under `files/`) across restarts.
        public var dataDirectory: String?

        public init(
            apiKey: String = KonigleEmulator.makeKey(), readOnlyKey: String? = KonigleEmulator.makeKey(),
            keepsMeta: Bool = true, positions: PositionModel = .contiguous,
            productImageField: ProductImageField = .reference, cloudUploadLifetimeSeconds: Int = 900,
            retryAfterSeconds: Int = 1, fileDirectory: String? = nil
        ) {
            self.apiKey = apiKey
            self.readOnlyKey = readOnlyKey
            self.keepsMeta = keepsMeta
            self.positions = positions
            self.productImageField = productImageField
            self.cloudUploadLifetimeSeconds = cloudUploadLifetimeSeconds
            self.retryAfterSeconds = retryAfterSeconds
            self.fileDirectory = fileDirectory
        }
    }

    /// Where stored files are served (asset `asset_url`, product image `url`, completed upload `url`).
    public static let mediaPath = "/_media"
    /// Where signed cloud-upload URLs point.
    public static let storagePath = "/_storage"

    public let platform = "konigle"
    public let options: Options
    let store: KonigleStore

    public init(options: Options = Options()) throws {
        self.options = options
        self.store = try KonigleStore(options: options)
    }

    /// `apiKey` (what the SDK's `api_key` and the remote's option take).
    public var credentials: [(key: String, value: String)] { [("apiKey", options.apiKey)] }

    /// The second remote: the same site with galleries as tagged asset sets.
    public var extraRemotes: [(suffix: String, options: [(key: String, value: String)])] {
        [("tags", [("mode", "tags")])]
    }

    public func addRoutes(to router: Router<SandboxRequestContext>) {
        addAssetRoutes(to: router)
        addUploadRoutes(to: router)
        addProductRoutes(to: router)
        addFileRoutes(to: router)
    }

    public func inventory() async -> SandboxInventory? { await store.inventory() }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited:
            return KonigleError.throttled(after: options.retryAfterSeconds).response
        case .serverError:
            var headers = HTTPFields()
            headers[.contentType] = "text/html"
            return Response(
                status: .internalServerError, headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: "<h1>Server Error (500)</h1>")))
        }
    }

    public func errorResponse(for error: any Error) -> Response {
        if let error = error as? KonigleError { return error.response }
        if let error = error as? HTTPError {
            switch error.status {
            case .notFound: return KonigleError.notFound.response
            case .contentTooLarge: return KonigleError(.contentTooLarge, detail: "Request body is too large.").response
            default: return KonigleError(error.status, detail: error.body ?? error.status.reasonPhrase).response
            }
        }
        return faultResponse(.serverError)
    }

    /// A 40-character hex key, shaped like DRF's tokens.
    public static func makeKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// `http://host:port` as the client addressed us, for the absolute URLs DRF builds from the request.
    static func origin(of request: Request) -> String { "http://" + (request.head.authority ?? "127.0.0.1") }
}
