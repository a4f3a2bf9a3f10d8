import Foundation
import Hummingbird
import NIOCore

/// Builds an emulator's router inside the sandbox frame: traffic counting outermost, then faults, then the
/// platform's error rendering, then the sandbox admin routes and the platform's routes.
enum SandboxRouter {
    static func make(for emulator: any Emulator, faults: FaultInjector, traffic: TrafficCounter)
        -> Router<SandboxRequestContext>
    {
        let router = Router(context: SandboxRequestContext.self)
        router.add(middleware: TrafficCountingMiddleware(counter: traffic))
        router.add(middleware: FaultInjectionMiddleware(injector: faults, emulator: emulator))
        router.add(middleware: ErrorRenderingMiddleware(emulator: emulator))
        addAdminRoutes(to: router, faults: faults)
        addInventoryRoute(to: router, emulator: emulator, traffic: traffic)
        emulator.addAdminRoutes(to: router)
        emulator.addRoutes(to: router)
        return router
    }

    /// `GET|PUT|DELETE /__sandbox/faults`: read, replace or clear the fault plan. Only the sandbox has these.
    static func addAdminRoutes(to router: Router<SandboxRequestContext>, faults: FaultInjector) {
        router.get("/__sandbox/faults") { _, _ -> Response in
            try json(["plan": faults.plan as any Encodable & Sendable, "injected": faults.injectedCounts])
        }
        router.put("/__sandbox/faults") { request, context -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            do {
                let plan = try JSONDecoder().decode(FaultPlan.self, from: Data(body.readableBytesView))
                faults.set(plan)
                return try json(["plan": plan as any Encodable & Sendable, "injected": faults.injectedCounts])
            } catch {
                return Response(
                    status: .badRequest,
                    body: .init(byteBuffer: ByteBuffer(string: #"{"error":"bad fault plan: \#(error)"}"#)))
            }
        }
        router.delete("/__sandbox/faults") { _, _ -> Response in
            faults.set(FaultPlan())
            return Response(status: .noContent)
        }
    }

    /// `GET /__sandbox/inventory`: the emulator's ``SandboxInventory`` (404 for one that keeps none) and its
    /// ``TrafficCounter`` as `traffic: {requestBytes, responseBytes}`.
    static func addInventoryRoute(
        to router: Router<SandboxRequestContext>, emulator: any Emulator, traffic: TrafficCounter
    ) {
        router.get("/__sandbox/inventory") { _, _ -> Response in
            guard let inventory = await emulator.inventory() else {
                return Response(
                    status: .notFound,
                    body: .init(byteBuffer: ByteBuffer(string: #"{"error":"this emulator keeps no inventory"}"#)))
            }
            return try json([
                "galleries": inventory.galleries, "unattached": inventory.unattached,
                "traffic": ["requestBytes": traffic.requestBytes, "responseBytes": traffic.responseBytes],
            ])
        }
    }

    private static func json(_ object: [String: any Encodable & Sendable]) throws -> Response {
        struct Wrapper: Encodable {
            let object: [String: any Encodable & Sendable]
            struct Key: CodingKey {
                var stringValue: String
                var intValue: Int? { nil }
                init(stringValue: String) { self.stringValue = stringValue }
                init?(intValue: Int) { nil }
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                for (key, value) in object { try container.encode(value, forKey: Key(stringValue: key)) }
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(Wrapper(object: object))
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
