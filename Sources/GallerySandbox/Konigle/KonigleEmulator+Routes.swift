import Foundation
import GalleryCore
import HTTPTypes
import Hummingbird
import NIOCore

extension KonigleEmulator {
    typealias Handler = @Sendable (Request, SandboxRequestContext, String) async throws -> Response

    /// Registers an `/admin/api` route behind the token check (reads for GET, writes otherwise).
    private func api(
        _ router: Router<SandboxRequestContext>, _ method: HTTPRequest.Method, _ path: String,
        _ handler: @escaping Handler
    ) {
        let store = self.store
        router.on(RouterPath("/admin/api/\(path)"), method: method) { request, context -> Response in
            try store.authenticate(request.headers[.authorization], write: method != .get)
            return try await handler(request, context, Self.origin(of: request))
        }
    }

    /// Known paths answer other methods with DRF's 405.
    private func refuse(_ router: Router<SandboxRequestContext>, _ path: String, _ methods: [HTTPRequest.Method]) {
        for method in methods {
            router.on(RouterPath("/admin/api/\(path)"), method: method) { _, _ -> Response in
                throw KonigleError.methodNotAllowed(method.rawValue)
            }
        }
    }

    static func id(_ context: SandboxRequestContext) throws -> String { try context.parameters.require("id") }

    func addAssetRoutes(to router: Router<SandboxRequestContext>) {
        let store = self.store
        api(router, .get, "storefront-assets") { request, _, origin in
            try await store.listAssets(request, origin: origin)
        }
        api(router, .post, "storefront-assets") { request, _, origin in
            try await store.createAsset(try await KonigleMultipart.read(request), origin: origin)
        }
        api(router, .get, "storefront-assets/search") { request, _, origin in
            try await store.searchAssets(request, origin: origin)
        }
        api(router, .get, "storefront-assets/:id") { _, context, origin in
            try await store.asset(try Self.id(context), origin: origin)
        }
        api(router, .patch, "storefront-assets/:id") { request, context, origin in
            try await store.updateAsset(try Self.id(context), try await KonigleJSON.object(request), origin: origin)
        }
        api(router, .delete, "storefront-assets/:id") { _, context, _ in
            try await store.deleteAsset(try Self.id(context))
            return Response(status: .noContent)
        }
        refuse(router, "storefront-assets", [.put, .patch, .delete])
        refuse(router, "storefront-assets/:id", [.put, .post])
    }

    func addUploadRoutes(to router: Router<SandboxRequestContext>) {
        let store = self.store
        api(router, .get, "uploads") { request, _, origin in try await store.listUploads(request, origin: origin) }
        api(router, .post, "uploads") { request, _, origin in
            try await store.createUpload(try await KonigleMultipart.read(request), origin: origin)
        }
        api(router, .post, "uploads/create-cloud-upload") { request, _, origin in
            try await store.createCloudUpload(try await KonigleJSON.object(request), origin: origin)
        }
        api(router, .get, "uploads/:id") { _, context, origin in
            try await store.upload(try Self.id(context), origin: origin)
        }
        api(router, .delete, "uploads/:id") { _, context, _ in
            try await store.deleteUpload(try Self.id(context))
            return Response(status: .noContent)
        }
        for action in ["mark-started", "mark-completed", "mark-failed"] {
            api(router, .post, "uploads/:id/\(action)") { request, context, origin in
                for try await _ in request.body {}
                return try await store.markUpload(try Self.id(context), action, origin: origin)
            }
        }
        refuse(router, "uploads", [.put, .patch, .delete])
        refuse(router, "uploads/:id", [.put, .patch, .post])
    }

    func addProductRoutes(to router: Router<SandboxRequestContext>) {
        let store = self.store
        api(router, .get, "products") { request, _, origin in try await store.listProducts(request, origin: origin) }
        api(router, .post, "products") { request, _, origin in
            try await store.createProduct(try await KonigleJSON.object(request), origin: origin)
        }
        api(router, .get, "products/:id") { _, context, origin in
            try await store.product(try Self.id(context), origin: origin)
        }
        api(router, .patch, "products/:id") { request, context, origin in
            try await store.updateProduct(try Self.id(context), try await KonigleJSON.object(request), origin: origin)
        }
        api(router, .delete, "products/:id") { _, context, _ in
            try await store.deleteProduct(try Self.id(context))
            return Response(status: .noContent)
        }
        api(router, .get, "product-images") { request, _, origin in
            try await store.listProductImages(request, origin: origin)
        }
        api(router, .post, "product-images") { request, _, origin in
            try await store.createProductImage(try await KonigleMultipart.read(request), origin: origin)
        }
        api(router, .get, "product-images/:id") { _, context, origin in
            try await store.productImage(try Self.id(context), origin: origin)
        }
        api(router, .patch, "product-images/:id") { request, context, origin in
            try await store.updateProductImage(
                try Self.id(context), try await KonigleJSON.object(request), origin: origin)
        }
        api(router, .delete, "product-images/:id") { _, context, _ in
            try await store.deleteProductImage(try Self.id(context))
            return Response(status: .noContent)
        }
        refuse(router, "products/:id", [.put, .post])
        refuse(router, "product-images/:id", [.put, .post])
    }

    /// The CDN (`GET`/`HEAD` of stored files, no auth) and the storage role of cloud uploads (signed `PUT`).
    func addFileRoutes(to router: Router<SandboxRequestContext>) {
        let store = self.store
        @Sendable func file(_ request: Request) async throws -> Response {
            let key = String(request.uri.path.dropFirst(Self.mediaPath.count + 1))
            guard let bytes = await store.file(key) else { throw KonigleError.notFound }
            var headers = HTTPFields()
            let name = key.split(separator: "/").last.map(String.init) ?? ""
            headers[.contentType] = MIMEType.forFilename(name.removingPercentEncoding ?? name)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("\(Self.mediaPath)/**") { request, _ in try await file(request) }
        // A CDN answers HEAD with the length and no body.
        router.head("\(Self.mediaPath)/**") { request, _ in try await file(request).createHeadResponse() }
        router.put("\(Self.storagePath)/**") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 256 << 20)
            let query = request.uri.queryParameters
            return await store.putCloudObject(
                path: request.uri.path, expires: query["expires"].map(String.init),
                signature: query["signature"].map(String.init), contentType: request.headers[.contentType],
                bytes: Array(body.readableBytesView))
        }
    }
}
