/// One message: its header, its text (escaped, links made of http and https URLs only) or
/// its HTML in a sandboxed frame from its own URL, its attachments, its flags.
enum MessageTemplate {
    static let name = "message"
    static let text = """
        {{% CONTENT_TYPE: BUZON_HTML}}
        <div class="mail">
        {{> folders}}
        <main class="message" data-mailbox="{{mailboxID}}">
        <p class="back"><a href="{{back}}">{{folderName}}</a></p>
        <h1>{{subject}}</h1>
        <dl class="headers">
        <dt>From</dt><dd>{{from}}</dd>
        {{#hasTo}}<dt>To</dt><dd>{{to}}</dd>{{/hasTo}}
        {{#hasCc}}<dt>Cc</dt><dd>{{cc}}</dd>{{/hasCc}}
        <dt>Date</dt><dd><time datetime="{{isoDate}}">{{date}}</time></dd>
        </dl>
        <form method="post" action="{{flagsAction}}" class="actions">
        <input type="hidden" name="csrf" value="{{csrf}}">
        {{#unread}}<button type="submit" name="action" value="read">Mark read</button>{{/unread}}{{^unread}}<button type="submit" name="action" value="unread">Mark unread</button>{{/unread}}
        {{#flagged}}<button type="submit" name="action" value="unflag">Unflag</button>{{/flagged}}{{^flagged}}<button type="submit" name="action" value="flag">Flag</button>{{/flagged}}
        </form>
        <form method="post" action="/mail/{{mailboxID}}/act" class="actions">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="uid" value="{{uid}}">
        <input type="hidden" name="back" value="{{back}}">
        <button type="submit" name="action" value="delete">Delete</button>
        {{#isJunk}}<button type="submit" name="action" value="notjunk">Not junk</button>{{/isJunk}}{{^isJunk}}<button type="submit" name="action" value="junk">Junk</button>{{/isJunk}}
        <label>Move to <select name="to">{{#targets}}<option value="{{id}}">{{name}}</option>{{/targets}}</select></label>
        <button type="submit" name="action" value="move">Move</button>
        </form>
        {{#showHTML}}<iframe class="html-body" sandbox="" src="{{htmlSource}}" title="Message text" referrerpolicy="no-referrer"></iframe>
        {{#hasText}}<p class="alternative"><a href="{{textView}}">Plain text</a></p>{{/hasText}}{{/showHTML}}
        {{#showText}}<pre class="body">{{#segments}}{{#isLink}}<a href="{{url}}" rel="noopener noreferrer" target="_blank">{{text}}</a>{{/isLink}}{{^isLink}}{{text}}{{/isLink}}{{/segments}}</pre>
        {{#hasHTML}}<p class="alternative"><a href="{{htmlView}}">HTML</a></p>{{/hasHTML}}{{/showText}}
        {{#hasAttachments}}
        <h2>Attachments</h2>
        <ul class="attachments">
        {{#attachments}}<li><a href="{{href}}">{{name}}</a> <span class="type">{{type}}</span> <span class="size">{{size}}</span></li>
        {{/attachments}}
        </ul>
        {{/hasAttachments}}
        <p class="source"><a href="{{rawHref}}">Source</a></p>
        </main>
        </div>
        """
}
