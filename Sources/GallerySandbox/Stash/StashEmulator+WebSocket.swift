import Foundation
import HTTPTypes
public import Hummingbird
public import HummingbirdCore
public import HummingbirdWebSocket

extension StashEmulator {
    /// HTTP/1.1 that upgrades `GET /graphql` to a WebSocket, as gqlgen does: the subprotocol is `graphql-ws`
    /// when offered, else `graphql-transport-ws`; `connection_init` is answered with `connection_ack` (then `ka`
    /// every 10 s in `graphql-ws`), `ping` with `pong`. Subscriptions are refused per operation. An upgrade
    /// without a valid key is not upgraded, so the HTTP route answers it with Stash's 401.
    public var serverBuilder: HTTPServerBuilder {
        let options = self.options
        return .http1WebSocketUpgrade { request, _, _ in
            let path = request.path.map { String($0.split(separator: "?", maxSplits: 1).first ?? "") }
            guard path == "/graphql" else { return .dontUpgrade }
            let key = request.headerFields[HTTPField.Name("ApiKey")!]
            if let key, key != options.apiKey { return .dontUpgrade }
            if key == nil, options.hasCredentials { return .dontUpgrade }
            let offered = (request.headerFields[.secWebSocketProtocol] ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let chosen = ["graphql-ws", "graphql-transport-ws"].first(where: offered.contains)
            var headers = HTTPFields()
            if let chosen { headers[.secWebSocketProtocol] = chosen }
            let legacy = chosen != "graphql-transport-ws"
            return .upgrade(headers) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message,
                            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                            let type = object["type"] as? String
                        else { continue }
                        let id = object["id"] as? String
                        switch type {
                        case "connection_init":
                            try await outbound.write(.text(#"{"type":"connection_ack"}"#))
                            if legacy {
                                try await outbound.write(.text(#"{"type":"ka"}"#))
                                group.addTask {
                                    while !Task.isCancelled {
                                        try await Task.sleep(for: .seconds(10))
                                        try await outbound.write(.text(#"{"type":"ka"}"#))
                                    }
                                }
                            }
                        case "ping":
                            try await outbound.write(.text(#"{"type":"pong"}"#))
                        case "start", "subscribe":
                            let quoted = StashGraphQLHTTP.quote(id ?? "")
                            let error = #"{"message":"subscriptions are not served by this server"}"#
                            try await outbound.write(
                                .text(#"{"type":"error","id":\#(quoted),"payload":\#(legacy ? error : "[\(error)]")}"#))
                        case "connection_terminate":
                            group.cancelAll()
                            return
                        default:
                            continue
                        }
                    }
                    group.cancelAll()
                }
            }
        }
    }
}
