/// A page of a folder's messages, sortable by column.
enum FolderTemplate {
    static let name = "folder"
    static let text = """
        {{% CONTENT_TYPE: BUZON_HTML}}
        <div class="mail">
        {{> folders}}
        <main class="list" data-mailbox="{{id}}" data-modseq="{{modSeq}}">
        <h1>{{name}}</h1>
        <form role="search" method="get" action="/mail/{{id}}" class="search">
        <input type="search" name="q" value="{{search}}" aria-label="Search this folder" placeholder="from: subject: is:unread before: larger: …">
        <button type="submit">Search</button>
        </form>
        {{#searching}}<p class="count">{{total}} found for “{{search}}” — <a href="/mail/{{id}}">all messages</a></p>{{/searching}}
        {{^searching}}<p class="count">{{total}} messages{{#hasUnread}}, {{unread}} unread{{/hasUnread}}</p>{{/searching}}
        <form method="post" action="/mail/{{id}}/act" class="bulk">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="back" value="{{address}}">
        <div class="toolbar" role="toolbar" aria-label="Selected messages">
        <button type="submit" name="action" value="read">Mark read</button>
        <button type="submit" name="action" value="unread">Mark unread</button>
        <button type="submit" name="action" value="flag">Flag</button>
        <button type="submit" name="action" value="unflag">Unflag</button>
        <button type="submit" name="action" value="delete">Delete</button>
        {{#isJunk}}<button type="submit" name="action" value="notjunk">Not junk</button>{{/isJunk}}{{^isJunk}}<button type="submit" name="action" value="junk">Junk</button>{{/isJunk}}
        <label>Move to <select name="to">{{#targets}}<option value="{{id}}">{{name}}</option>{{/targets}}</select></label>
        <button type="submit" name="action" value="move">Move</button>
        </div>
        <table class="messages">
        <thead><tr><th scope="col"><span class="visually-hidden">Select</span></th>{{#columns}}<th scope="col"><a href="{{href}}">{{label}}</a>{{#sorted}} <span class="order">{{order}}</span>{{/sorted}}</th>{{/columns}}</tr></thead>
        <tbody>
        {{#rows}}
        <tr{{#unread}} class="unread"{{/unread}}><td class="select"><input type="checkbox" name="uid" value="{{uid}}" aria-label="Select"></td><td class="from">{{from}}</td><td class="subject">{{#flagged}}<span class="flagged" title="Flagged">★</span> {{/flagged}}<a href="{{href}}">{{subject}}</a>{{#attachment}} <span class="attachment" title="Attachment">📎</span>{{/attachment}}</td><td class="date"><time datetime="{{isoDate}}">{{date}}</time></td><td class="size">{{size}}</td></tr>
        {{/rows}}
        </tbody>
        </table>
        </form>
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
