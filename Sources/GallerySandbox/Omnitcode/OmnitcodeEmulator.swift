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
        /// What `POST /auth/login` reads: a JSON body, or the OAuth2 password form FastAPI's tutorials use.
        public var loginBody: LoginBody = .json
        /// Whether `GET /languages` exists and may be read (its path and permission are inferred).
        public var languagesEndpoint: LanguagesEndpoint = .listed
        /// Whether `PATCH /media/{id}` (alt text) exists; without it FastAPI answers 405.
        public var mediaPatch = true

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

    public enum LoginBody: String, Sendable {
        case json
        case form
    }

    public enum LanguagesEndpoint: String, Sendable {
        case listed
        /// 404 `{"detail":"Not Found"}`: the deployment has no such route.
        case absent
        /// 403: the route exists, the admin's role lacks its permission.
        case forbidden
    }

    public let platform = "omnitcode"
    public let options: Options
    let store: OmnitcodeStore

    public init(options: Options = Options()) throws {
        self.options = options
        self.store = try OmnitcodeStore(options: options)
    }

    /// The admin's login, and, when the languages route cannot be read, the language ids the remote must be
    /// given instead (its `languages` option).
    public var credentials: [(key: String, value: String)] {
        var list = [("email", store.adminEmail), ("password", store.adminPassword)]
        if options.languagesEndpoint != .listed { list.append(("languages", store.startingLanguageIDs)) }
        return list
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

    /// An `application/x-www-form-urlencoded` body as fields; anything else reads as no fields, as FastAPI's
    /// form parser does, so the validator reports each one missing.
    static func formBody(_ request: Request) async throws -> [String: Any] {
        let body = try await request.body.collect(upTo: 1 << 20)
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
        else { return [:] }
        var fields: [String: Any] = [:]
        for pair in String(decoding: body.readableBytesView, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            fields[parts[0]] = parts.count == 2 ? parts[1] : ""
        }
        return fields
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

extension OmnitcodeEmulator.Options {
    /// Applies `--variant omnitcode:…` choices (``SandboxVariants``), already checked.
    public mutating func apply(_ variants: [String: String]) {
        if let value = variants["login"], let body = OmnitcodeEmulator.LoginBody(rawValue: value) { loginBody = body }
        if let value = variants["languages"], let endpoint = OmnitcodeEmulator.LanguagesEndpoint(rawValue: value) {
            languagesEndpoint = endpoint
        }
        if let value = variants["media-patch"] { mediaPatch = value == "present" }
        if let value = variants["missing-bearer"], let status = Int(value) { missingBearerStatus = status }
        if let value = variants["lists"], let dialect = OmnitcodeEmulator.ListDialect(rawValue: value) {
            listDialect = dialect
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
