import Crypto
import Synchronization

/// Accumulates a SHA-256 digest and a byte count as chunks pass by; safe to feed from a tapped stream.
public final class StreamDigester: Sendable {
    private struct State {
        var hasher = SHA256()
        var byteCount: Int64 = 0
    }
    private let state = Mutex(State())

    public init() {}

    /// Forgets everything seen, for a stream read again from its start.
    public func reset() {
        state.withLock { $0 = State() }
    }

    public func update(_ chunk: [UInt8]) {
        state.withLock {
            $0.hasher.update(data: chunk)
            $0.byteCount += Int64(chunk.count)
        }
    }

    /// Bytes seen so far.
    public var byteCount: Int64 { state.withLock { $0.byteCount } }

    /// The digest of everything seen so far, in lowercase hex.
    public func finalize() -> String {
        state.withLock { SHA256Digester.hex($0.hasher.finalize()) }
    }
}

/// SHA-256 helpers: the project's one way to hash bytes.
public enum SHA256Digester {
    /// The digest of `bytes`, in lowercase hex.
    public static func hex(of bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return hex(hasher.finalize())
    }

    /// Reads `stream` to its end and returns its digest and length, holding one chunk at a time.
    public static func digest(of stream: ByteStream) async throws -> (sha256: String, byteCount: Int64) {
        var hasher = SHA256()
        var count: Int64 = 0
        for try await chunk in stream {
            hasher.update(data: chunk)
            count += Int64(chunk.count)
        }
        return (hex(hasher.finalize()), count)
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
