import Hummingbird

/// `GET /static/app.css`: the one style sheet, cached by the browser for a day.
struct StaticRoutes {
    func add(to router: Router<WebRequestContext>) {
        router.get("/static/app.css") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=86400"],
                body: .init(byteBuffer: ByteBuffer(string: StyleSheet.text)))
        }
    }
}
