import Hummingbird

/// `GET /static/app.css` and `/static/app.js`: the one style sheet and the one script, cached
/// by the browser for a day.
struct StaticRoutes {
    func add(to router: Router<WebRequestContext>) {
        router.get("/static/app.css") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=86400"],
                body: .init(byteBuffer: ByteBuffer(string: StyleSheet.text)))
        }
        router.get("/static/app.js") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=86400"],
                body: .init(byteBuffer: ByteBuffer(string: AppScript.text)))
        }
    }
}
