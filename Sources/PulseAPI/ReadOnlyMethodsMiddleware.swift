import HTTPTypes
import Hummingbird

/// The API is read-only: on its paths HEAD answers as GET without a body, and any other method but
/// OPTIONS is 405 Method Not Allowed with an `Allow` header (RFC 9110 § 15.5.6), not a 404.
struct ReadOnlyMethodsMiddleware<Context: RequestContext>: RouterMiddleware {
    let paths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard paths.contains(request.uri.path) else { return try await next(request, context) }
        switch request.method {
        case .get, .options:
            return try await next(request, context)
        case .head:
            var head = request.head
            head.method = .get
            return try await next(Request(head: head, body: request.body), context).createHeadResponse()
        default:
            return Response(status: .methodNotAllowed, headers: [.allow: "GET, HEAD, OPTIONS"])
        }
    }
}
