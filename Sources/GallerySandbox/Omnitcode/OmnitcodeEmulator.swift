import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore

/// The Omnitcode "CMS API" emulator (Docs/omnitcode.md): FastAPI-shaped auth, languages, media and
/// galleries with every documented quirk. It shares no code with the Omnitcode adapter.
public struct OmnitcodeEmulator: Emulator {
    /// Choices the real service leaves open, switchable so tests can cover each.
    public struct Options: Sendable {
        public var seed: SandboxSeed
        /// Keep state and uploads in this folder instead of memory.
        public var dataDirectory: String?
        public var adminEmail: String
        /// `nil`: a random password, printed by the sandbox.
        public var adminPassword: String?
        /// Seconds an access token lives (`expires_in`).
        public var accessTokenLifetime: Int
        /// 401 (FastAPI after PR #13786) or 403 (before) for a missing bearer token.
        public var missingBearerStatus: Int
        /// Lists as bare arrays with skip/limit, or in the page/per_page envelope of newer deployments.
        public var listDialect: ListDialect
        /// Languages seeded at first start, code → name; `en` is the default one when present.
        public var languages: [String: String]

        public init(
            seed: SandboxSeed = .empty,
            dataDirectory: String? = nil,
            adminEmail: String = "admin@sandbox.omnitcode.test",
            adminPassword: String? = nil,
            accessTokenLifetime: Int = 900,
            missingBearerStatus: Int = 401,
            listDialect: ListDialect = .offset,
            languages: [String: String] = ["en": "English", "sr": "Serbian"]
        ) {
            self.seed = seed
            self.dataDirectory = dataDirectory
            self.adminEmail = adminEmail
            self.adminPassword = adminPassword
            self.accessTokenLifetime = accessTokenLifetime
            self.missingBearerStatus = missingBearerStatus
            self.listDialect = listDialect
            self.languages = languages
        }
    }

    public enum ListDialect: String, Sendable {
        case offset
        case page
    }

    public let platform = "omnitcode"
    public let options: Options
    let store: OmnitcodeStore

    public init(options: Options = Options()) throws {
        self.options = options
        self.store = try OmnitcodeStore(options: options)
    }

    public var credentials: [(key: String, value: String)] {
        [("email", store.adminEmail), ("password", store.adminPassword)]
    }

    public func addRoutes(to router: Router<SandboxRequestContext>) {
        addAuthRoutes(to: router)
        addMediaRoutes(to: router)
        addGalleryRoutes(to: router)
    }

    /// `POST /__sandbox/omnitcode/expire-tokens`: every access token issued so far is refused from now on, so
    /// clients must refresh (tests of refresh-on-401 without waiting 15 minutes). `GET /__sandbox/omnitcode/stats`:
    /// `{"media": N}`, the rows of the media library (linked or not), so a test can count orphan uploads.
    public func addAdminRoutes(to router: Router<SandboxRequestContext>) {
        let store = self.store
        router.post("/__sandbox/omnitcode/expire-tokens") { _, _ -> Response in
            let epoch = await store.expireAccessTokens()
            return OmnitcodeJSON.response(.ok, ["access_epoch": epoch])
        }
        router.get("/__sandbox/omnitcode/stats") { _, _ -> Response in
            OmnitcodeJSON.response(.ok, ["media": await store.mediaCount])
        }
    }

    public func inventory() async -> SandboxInventory? { await store.inventory() }

    /// FastAPI has no rate limiter of its own; deployments put one in front (slowapi's shape, without
    /// `Retry-After`). A 5xx is the bare 500 Starlette sends for an unhandled exception.
    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited:
            return OmnitcodeJSON.response(.tooManyRequests, ["error": "Rate limit exceeded: 60 per 1 minute"])
        case .serverError:
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(
                status: .internalServerError, headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: "Internal Server Error")))
        }
    }

    public func errorResponse(for error: any Error) -> Response {
        if let error = error as? OmnitcodeError { return error.response }
        if let error = error as? HTTPError {
            switch error.status {
            case .notFound: return OmnitcodeJSON.response(.notFound, ["detail": "Not Found"])
            case .methodNotAllowed: return OmnitcodeJSON.response(.methodNotAllowed, ["detail": "Method Not Allowed"])
            case .contentTooLarge:
                return OmnitcodeJSON.response(.contentTooLarge, ["detail": "Request Entity Too Large"])
            default: return OmnitcodeJSON.response(error.status, ["detail": error.body ?? error.status.reasonPhrase])
            }
        }
        return faultResponse(.serverError)
    }

    // MARK: - Shared route helpers

    static func bearer(_ request: Request) -> String? { request.headers[.authorization] }

    static func jsonBody(_ request: Request) async throws -> [String: Any] {
        try OmnitcodeJSON.object(try await request.body.collect(upTo: 1 << 20))
    }

    /// Reads list paging from the query in the configured dialect, with FastAPI's 422 for bad values.
    func paging(_ request: Request) throws -> OmnitcodePaging {
        let query = request.uri.queryParameters
        func number(_ name: String, default value: Int, min: Int, max: Int?) throws -> Int {
            guard let raw = query[name[...]] else { return value }
            guard let parsed = Int(raw) else {
                throw OmnitcodeError.validation([
                    .object([
                        "type": "int_parsing", "loc": .array(["query", .string(name)]),
                        "msg": "Unable to parse string as an integer", "input": .string(String(raw)),
                    ])
                ])
            }
            if parsed < min || (max.map { parsed > $0 } ?? false) {
                let bound = parsed < min ? "greater than or equal to \(min)" : "less than or equal to \(max ?? 0)"
                throw OmnitcodeError.validation([
                    .object([
                        "type": parsed < min ? "greater_than_equal" : "less_than_equal",
                        "loc": .array(["query", .string(name)]), "msg": .string("Input should be \(bound)"),
                        "input": .string(String(raw)),
                    ])
                ])
            }
            return parsed
        }
        switch options.listDialect {
        case .offset:
            return .offset(
                skip: try number("skip", default: 0, min: 0, max: nil),
                limit: try number("limit", default: 100, min: 1, max: 1000))
        case .page:
            return .page(
                page: try number("page", default: 1, min: 1, max: nil),
                perPage: try number("per_page", default: 20, min: 1, max: 100))
        }
    }
}

/// What a fresh emulator holds.
public enum SandboxSeed: String, Sendable, CaseIterable {
    /// Only what the platform needs to be usable: an admin account, default languages.
    case empty
    /// Plus sample galleries and images.
    case demo
}
