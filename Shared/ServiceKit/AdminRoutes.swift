import Hummingbird

/// `GET /healthz` (the process answers), `GET /readyz` (its dependencies answer) and
/// `GET /metrics` (Prometheus text), which every Buzón service serves without a token.
public enum AdminRoutes {
    public static func add<Context: RequestContext>(
        to router: Router<Context>,
        ready: @escaping @Sendable () async -> Bool
    ) {
        router.get("/healthz") { _, _ -> Response in
            textResponse(.ok, "ok\n")
        }
        router.get("/readyz") { _, _ -> Response in
            await ready() ? textResponse(.ok, "ready\n") : textResponse(.serviceUnavailable, "not ready\n")
        }
        router.get("/metrics") { _, _ -> Response in
            var response = textResponse(.ok, Observability.prometheusText())
            response.headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return response
        }
    }

    private static func textResponse(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
