import HTTPTypes
import Hummingbird

/// The original stack's CORS rule (its FastAPI CORSMiddleware): the web UI's origins on ports 5173 and
/// 5174, with credentials, any method and header. A preflight from one of them is answered here; any
/// other origin gets no CORS headers, so browsers keep it out.
struct OriginalCORSMiddleware<Context: RequestContext>: RouterMiddleware {
    static var allowedOrigins: Set<String> {
        ["http://localhost:5173", "http://127.0.0.1:5173", "http://localhost:5174", "http://127.0.0.1:5174"]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let origin = request.headers[.origin]
        let allowed = origin.map { Self.allowedOrigins.contains($0) } ?? false
        if request.method == .options, allowed, request.headers[.accessControlRequestMethod] != nil {
            var headers = corsHeaders(origin!)
            headers[.accessControlAllowMethods] = "GET, HEAD, OPTIONS"
            headers[.accessControlAllowHeaders] = request.headers[.accessControlRequestHeaders] ?? "*"
            headers[.accessControlMaxAge] = "600"
            return Response(status: .ok, headers: headers)
        }
        var response = try await next(request, context)
        if allowed, let origin {
            for field in corsHeaders(origin) { response.headers[field.name] = field.value }
        }
        return response
    }

    private func corsHeaders(_ origin: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.accessControlAllowOrigin] = origin
        headers[.accessControlAllowCredentials] = "true"
        headers[.vary] = "Origin"
        return headers
    }
}
