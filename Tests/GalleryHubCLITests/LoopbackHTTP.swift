import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Blocking JSON calls to a sandbox admin route on 127.0.0.1, for test setup only.
enum LoopbackHTTP {
    static func post(_ url: String, json body: [String: Any]) throws -> [String: Any] {
        try send("POST", url, json: body)
    }

    static func put(_ url: String, json body: [String: Any]) throws -> [String: Any] {
        try send("PUT", url, json: body)
    }

    static func get(_ url: String) throws -> [String: Any] {
        try send("GET", url, json: nil)
    }

    private static func send(_ method: String, _ url: String, json body: [String: Any]?) throws -> [String: Any] {
        guard let target = URL(string: url), target.host == "127.0.0.1" else {
            throw MatrixError("only loopback admin routes are called from tests, not \(url)")
        }
        var request = URLRequest(url: target)
        request.httpMethod = method
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        URLSession.shared.dataTask(with: request) { data, response, error in
            box.result = (data, (response as? HTTPURLResponse)?.statusCode, error)
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 30) == .success else { throw MatrixError("\(method) \(url) timed out") }
        let (data, status, error) = box.result ?? (nil, nil, nil)
        if let error { throw error }
        guard let status, (200..<300).contains(status), let data,
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw MatrixError(
                "\(method) \(url) answered \(status ?? 0): \(String(decoding: data ?? Data(), as: UTF8.self))")
        }
        return object
    }

    private final class ResultBox: @unchecked Sendable {
        var result: (Data?, Int?, (any Error)?)?
    }
}
