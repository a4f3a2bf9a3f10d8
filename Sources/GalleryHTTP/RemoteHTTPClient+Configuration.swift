extension RemoteHTTPClient {
    /// How one remote is talked to: where it is, how patient to be, how often to send one request.
    public struct Configuration: Sendable {
        /// The backend or remote name, as errors and logs name it.
        public var backend: String
        /// The API's base URL without a trailing slash (`http://127.0.0.1:50123`).
        public var baseURL: String
        /// The deadline for an ordinary request, from sending to the last byte of the answer.
        public var requestTimeout: Duration
        /// The deadline for transfers of item bytes (uploads and downloads), which may be large.
        public var transferTimeout: Duration
        public var retry: RetryPolicy
        /// The largest JSON answer read into memory.
        public var maxJSONBytes: Int
        /// Headers sent with every request (not credentials: the client's ``RequestAuthorizer`` adds those).
        public var defaultHeaders: [(name: String, value: String)]

        public init(
            backend: String,
            baseURL: String,
            requestTimeout: Duration = .seconds(60),
            transferTimeout: Duration = .seconds(3600),
            retry: RetryPolicy = RetryPolicy(),
            maxJSONBytes: Int = 32 * 1024 * 1024,
            defaultHeaders: [(name: String, value: String)] = [("User-Agent", "GalleryHub/0.1")]
        ) {
            self.backend = backend
            var base = baseURL
            while base.hasSuffix("/") { base.removeLast() }
            self.baseURL = base
            self.requestTimeout = requestTimeout
            self.transferTimeout = transferTimeout
            self.retry = retry
            self.maxJSONBytes = maxJSONBytes
            self.defaultHeaders = defaultHeaders
        }
    }
}
