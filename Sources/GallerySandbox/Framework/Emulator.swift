public import Hummingbird
public import HummingbirdCore

/// One emulated platform: its routes, its credentials, and how it answers in its own words.
///
/// The sandbox wraps every emulator in the same frame: fault injection (``FaultInjectionMiddleware``), the
/// sandbox-only admin routes under `/__sandbox/`, and error rendering in the platform's shape. To add a platform,
/// conform a type to this protocol and list it in ``SandboxPlatform``; nothing else changes.
public protocol Emulator: Sendable {
    /// The platform's name, as remotes files and the CLI name it (`omnitcode`).
    var platform: String { get }

    /// What a client needs to log in, in display order (`email`, `password`; or `token`). The sandbox adds
    /// `baseURL`.
    var credentials: [(key: String, value: String)] { get }

    /// The API's path below the server's origin (`/1.0` for Kanka), appended to ``Sandbox/Endpoint/baseURL``;
    /// empty by default.
    var basePath: String { get }

    /// Adds the platform's routes to `router`.
    func addRoutes(to router: Router<SandboxRequestContext>)

    /// The platform's answer to an injected fault (its 429 and 5xx bodies and headers).
    func faultResponse(_ fault: InjectedFault) -> Response

    /// The platform's answer to an error a route threw, or to a path no route matches.
    func errorResponse(for error: any Error) -> Response

    /// Admin routes specific to this platform (under `/__sandbox/<platform>/`), e.g. to expire tokens.
    func addAdminRoutes(to router: Router<SandboxRequestContext>)

    /// What the emulator holds, from its own state, for `GET /__sandbox/inventory`; `nil` by default.
    func inventory() async -> SandboxInventory?

    /// More remotes on the same emulator, each `sandbox-<platform>-<suffix>` with these options added (a second
    /// gallery mode); none by default.
    var extraRemotes: [(suffix: String, options: [(key: String, value: String)])] { get }
    /// Entries of ``credentials`` that clients read from the ready document but a remote does not take (a
    /// second name for an id, seeded ids): left out of the remotes file, which GalleryHub validates. None by
    /// default.
    var readyDocumentOnly: Set<String> { get }
    /// How the server speaks on its connections: plain HTTP/1.1 by default; an emulator whose clients open a
    /// WebSocket on an API route (Stash's `/graphql`) returns a builder that can upgrade.
    var serverBuilder: HTTPServerBuilder { get }
}

extension Emulator {
    public var basePath: String { "" }

    public func addAdminRoutes(to router: Router<SandboxRequestContext>) {}

    public func inventory() async -> SandboxInventory? { nil }

    public var extraRemotes: [(suffix: String, options: [(key: String, value: String)])] { [] }
    public var readyDocumentOnly: Set<String> { [] }
    public var serverBuilder: HTTPServerBuilder { .http1() }
}

/// A fault the sandbox injects instead of the real answer.
public enum InjectedFault: String, Sendable, Codable {
    case rateLimited
    case serverError
}
