/// What went wrong, in words, with a way back.
enum ErrorTemplate {
    static let name = "error"
    static let text = """
        {{% CONTENT_TYPE: BUZON_HTML}}
        <main class="error">
        <h1>{{heading}}</h1>
        <p>{{explanation}}</p>
        <p><a href="/mail">Back to your mail</a></p>
        </main>
        """
}
