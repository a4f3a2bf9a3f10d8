import Foundation
import Hummingbird
public import Logging
import NIOCore
import ServiceLifecycle

/// Emulators that are up: where each listens and how to log in.
public struct Sandbox: Sendable {
    /// One running emulator.
    public struct Endpoint: Sendable {
        public var platform: String
        /// `http://127.0.0.1:<port>` plus the emulator's ``Emulator/basePath``, no trailing slash.
        public var baseURL: String
        /// `http://127.0.0.1:<port>`: where the emulator's static routes (files, CDN) and `/__sandbox/` live.
        public var origin: String
        public var credentials: [(key: String, value: String)]
        /// The emulator's ``Emulator/extraRemotes``.
        public var extraRemotes: [(suffix: String, options: [(key: String, value: String)])] = []
        /// The emulator's ``Emulator/readyDocumentOnly``.
        public var readyDocumentOnly: Set<String> = []
        /// Changes this emulator's faults while it runs (the admin route does the same over HTTP).
        public var faults: FaultInjector
        /// The body bytes its platform routes received and sent.
        public var traffic: TrafficCounter
    }

    public var endpoints: [String: Endpoint]

    public subscript(platform: String) -> Endpoint? { endpoints[platform] }
}

/// Starts `emulators` on 127.0.0.1 with OS-assigned ports, runs `body` once all are accepting connections, then
/// shuts them down, whether `body` returns or throws.
///
/// - Parameters:
///   - faults: The starting ``FaultPlan`` per platform.
public func withSandbox<R: Sendable>(
    _ emulators: [any Emulator],
    faults: [String: FaultPlan] = [:],
    logger: Logger = Logger(label: "gallery-hub.sandbox"),
    _ body: (Sandbox) async throws -> R
) async throws -> R {
    let (ready, readyContinuation) = AsyncStream.makeStream(of: (String, Int).self)
    var apps:
        [(
            platform: String, app: Application<RouterResponder<SandboxRequestContext>>, faults: FaultInjector,
            traffic: TrafficCounter
        )] = []
    for emulator in emulators {
        let injector = FaultInjector(faults[emulator.platform] ?? FaultPlan())
        let traffic = TrafficCounter()
        let router = SandboxRouter.make(for: emulator, faults: injector, traffic: traffic)
        let platform = emulator.platform
        var appLogger = logger
        appLogger[metadataKey: "emulator"] = "\(platform)"
        let app = Application(
            router: router,
            server: emulator.serverBuilder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "gallery-hub-sandbox"),
            onServerRunning: { channel in readyContinuation.yield((platform, channel.localAddress?.port ?? 0)) },
            logger: appLogger
        )
        apps.append((platform, app, injector, traffic))
    }

    // One service group for all emulators: shutting it down gracefully lets each server close its connections
    // instead of being cancelled mid-request.
    let services = ServiceGroup(configuration: .init(services: apps.map { $0.app as any Service }, logger: logger))
    return try await withThrowingTaskGroup(of: SandboxStartEvent.self) { group in
        group.addTask {
            try await services.run()
            return .stopped
        }
        let expected = apps.count
        group.addTask {
            var ports: [String: Int] = [:]
            for await (platform, port) in ready {
                ports[platform] = port
                if ports.count == expected { break }
            }
            return .ready(ports)
        }
        var ports: [String: Int] = [:]
        while let event = try await group.next() {
            if case .ready(let found) = event {
                ports = found
                break
            }
            if case .stopped = event {
                readyContinuation.finish()
                group.cancelAll()
                throw SandboxError(message: "The sandbox's emulators stopped before they were ready")
            }
        }
        var endpoints: [String: Sandbox.Endpoint] = [:]
        for (emulator, entry) in zip(emulators, apps) {
            endpoints[entry.platform] = Sandbox.Endpoint(
                platform: entry.platform,
                baseURL: "http://127.0.0.1:\(ports[entry.platform] ?? 0)" + emulator.basePath,
                origin: "http://127.0.0.1:\(ports[entry.platform] ?? 0)",
                credentials: emulator.credentials,
                extraRemotes: emulator.extraRemotes,
                readyDocumentOnly: emulator.readyDocumentOnly,
                faults: entry.faults,
                traffic: entry.traffic
            )
        }
        let result: Result<R, any Error>
        do {
            result = .success(try await body(Sandbox(endpoints: endpoints)))
        } catch {
            result = .failure(error)
        }
        readyContinuation.finish()
        await services.triggerGracefulShutdown()
        try await group.waitForAll()
        return try result.get()
    }
}

/// The sandbox could not start or run.
public struct SandboxError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

private enum SandboxStartEvent: Sendable {
    case ready([String: Int])
    case stopped
}
