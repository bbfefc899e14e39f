/// A page of a folder's messages, sortable by column.
enum FolderTemplate {
    static let name = "folder"
    static let text = """
        {{% CONTENT_TYPE: BUZON_HTML}}
        <div class="mail">
        {{> folders}}
        <main class="list">
        <h1>{{name}}</h1>
        <p class="count">{{total}} messages{{#hasUnread}}, {{unread}} unread{{/hasUnread}}</p>
        <table class="messages">
        <thead><tr>{{#columns}}<th scope="col"><a href="{{href}}">{{label}}</a>{{#sorted}} <span class="order">{{order}}</span>{{/sorted}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{#rows}}
        <tr{{#unread}} class="unread"{{/unread}}><td class="from">{{from}}</td><td class="subject">{{#flagged}}<span class="flagged" title="Flagged">★</span> {{/flagged}}<a href="{{href}}">{{subject}}</a>{{#attachment}} <span class="attachment" title="Attachment">📎</span>{{/attachment}}</td><td class="date"><time datetime="{{isoDate}}">{{date}}</time></td><td class="size">{{size}}</td></tr>
        {{/rows}}
        </tbody>
        </table>
        {{^rows}}<p class="empty">No messages.</p>{{/rows}}
        <nav aria-label="Pages" class="pager">
        {{#hasPrevious}}<a rel="prev" href="{{previous}}">Previous</a>{{/hasPrevious}}
        <span>Page {{page}} of {{pages}}</span>
        {{#hasNext}}<a rel="next" href="{{next}}">Next</a>{{/hasNext}}
        </nav>
        </main>
        </div>
        """
}
