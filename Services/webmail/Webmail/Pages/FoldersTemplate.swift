/// The folder list beside a folder or a message, with unread counts.
enum FoldersTemplate {
    static let name = "folders"
    static let text = """
        {{% CONTENT_TYPE: BUZON_HTML}}
        <nav aria-label="Folders" class="folders">
        <ul>
        {{#folders}}
        <li class="depth-{{depth}}"><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{#hasUnread}} <span class="unread-count">{{unread}}</span>{{/hasUnread}}</li>
        {{/folders}}
        </ul>
        </nav>
        """
}
