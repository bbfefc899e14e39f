/// The folders page: make one, rename one, delete one (its messages go with it; the special
/// folders and INBOX stay).
enum FolderSettingsTemplate {
    static let name = "folderSettings"
    static let text = """
        {{% CONTENT_TYPE: BUZON_HTML}}
        <div class="mail">
        {{> folders}}
        <main class="settings">
        <h1>Folders</h1>
        <form method="post" action="/folders" class="create">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <label for="new-folder">New folder</label>
        <input id="new-folder" name="name" required maxlength="200" placeholder="Projects/2027">
        <button type="submit">Create</button>
        </form>
        <table class="folder-settings">
        <thead><tr><th scope="col">Folder</th><th scope="col">Messages</th><th scope="col">Rename</th><th scope="col">Delete</th></tr></thead>
        <tbody>
        {{#entries}}
        <tr><td>{{name}}</td><td>{{messages}}</td>
        <td>{{#editable}}<form method="post" action="/folders/{{id}}/rename"><input type="hidden" name="csrf" value="{{csrf}}"><input name="name" value="{{name}}" aria-label="New name of {{name}}" required maxlength="200"><button type="submit">Rename</button></form>{{/editable}}</td>
        <td>{{#editable}}<form method="post" action="/folders/{{id}}/delete"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Delete</button></form>{{/editable}}</td></tr>
        {{/entries}}
        </tbody>
        </table>
        </main>
        </div>
        """
}

struct FolderSettingsView {
    var folders: [FolderLink]
    var entries: [FolderEntry]
}

struct FolderEntry {
    var id: Int64
    var name: String
    var messages: Int
    /// Not INBOX and not a special-use folder (RFC 6154): those stay as they are.
    var editable: Bool
}
