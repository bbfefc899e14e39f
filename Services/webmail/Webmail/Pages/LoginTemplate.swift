/// The login form. `token` is the login-CSRF token, also in the `buzon_login` cookie.
enum LoginTemplate {
    static let name = "login"
    static let text = """
        {{% CONTENT_TYPE: BUZON_HTML}}
        <main class="login">
        <h1>Buzón</h1>
        {{#hasProblem}}<p class="problem" role="alert">{{problem}}</p>{{/hasProblem}}
        <form method="post" action="/login">
        <input type="hidden" name="csrf" value="{{token}}">
        <label for="username">Address</label>
        <input id="username" name="username" type="email" autocomplete="username" required value="{{username}}">
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required>
        <button type="submit">Log in</button>
        </form>
        </main>
        """
}
