public import Hummingbird

/// Turns whatever a route throws (and the router's own "no such route") into the platform's error body, so a
/// client never sees a framework-shaped error.
public struct ErrorRenderingMiddleware<Context: RequestContext>: RouterMiddleware {
    let emulator: any Emulator

    public init(emulator: any Emulator) { self.emulator = emulator }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let cut as InjectedCut {
            throw cut
        } catch {
            return emulator.errorResponse(for: error)
        }
    }
}
