public import Hummingbird

/// The request context every emulator's router uses.
///
/// Emulators read upload bodies as streams and enforce their platform's own limits, so the framework's default
/// 2 MB cap on collected bodies is raised here for the JSON bodies they collect.
public struct SandboxRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { 64 * 1024 * 1024 }
}
