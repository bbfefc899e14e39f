/// The frame of every page: head, the bar of a logged-in user, and the one part the page
/// shows. Every template opens with the escaping pragma (HTMLEscaping.swift).
enum PageTemplate {
    static let name = "page"
    static let text = """
        {{% CONTENT_TYPE: BUZON_HTML}}
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        {{#signedIn}}<meta name="csrf-token" content="{{csrf}}">{{/signedIn}}
        <title>{{title}}</title>
        <link rel="stylesheet" href="/static/app.css">
        <script type="module" src="/static/app.js"></script>
        </head>
        <body>
        {{#signedIn}}
        <header class="top">
        <a class="brand" href="/mail">Buzón</a>
        <span class="account">{{account}}</span>
        <a href="/folders">Folders</a>
        <a href="/settings/mobileconfig">iPhone and Mac setup</a>
        <form method="post" action="/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Log out</button></form>
        </header>
        {{/signedIn}}
        {{#login}}{{> login}}{{/login}}
        {{#folder}}{{> folder}}{{/folder}}
        {{#message}}{{> message}}{{/message}}
        {{#folderSettings}}{{> folderSettings}}{{/folderSettings}}
        {{#error}}{{> error}}{{/error}}
        </body>
        </html>
        """
}
