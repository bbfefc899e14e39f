/// The style sheet: light and dark from `prefers-color-scheme`, one pane on a phone. A
/// message's HTML keeps a light background in either (its colours assume one).
enum StyleSheet {
    static let text = """
        :root { color-scheme: light dark; --bg: #fff; --fg: #1d1d1f; --muted: #6e6e73; --line: #d2d2d7; --accent: #0a58ca; --unread: #000; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #1c1c1e; --fg: #e5e5ea; --muted: #98989d; --line: #3a3a3c; --accent: #6ea8fe; --unread: #fff; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.4 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
        a { color: var(--accent); }
        .top { display: flex; gap: 1em; align-items: center; padding: .5em 1em; border-bottom: 1px solid var(--line); }
        .top .brand { font-weight: 600; text-decoration: none; }
        .top .account { margin-left: auto; color: var(--muted); }
        .top form { margin: 0; }
        .mail { display: grid; grid-template-columns: 14em 1fr; min-height: calc(100vh - 3em); }
        .folders { border-right: 1px solid var(--line); padding: .5em; }
        .folders ul { list-style: none; margin: 0; padding: 0; }
        .folders li { padding: .2em .4em; }
        .folders a[aria-current] { font-weight: 600; }
        .folders .depth-1 { padding-left: 1.4em; } .folders .depth-2 { padding-left: 2.4em; } .folders .depth-3 { padding-left: 3.4em; }
        .unread-count { color: var(--muted); font-size: .9em; }
        main { padding: .5em 1em; min-width: 0; }
        .messages { width: 100%; border-collapse: collapse; }
        .messages th { text-align: left; font-weight: 500; color: var(--muted); border-bottom: 1px solid var(--line); }
        .messages td { padding: .3em .4em; border-bottom: 1px solid var(--line); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 30em; }
        .messages tr.unread td { font-weight: 600; color: var(--unread); }
        .messages tr.current { outline: 2px solid var(--accent); }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        .toolbar { display: flex; flex-wrap: wrap; gap: .4em; margin: .5em 0; }
        #shortcuts { position: fixed; inset: 20% 30%; background: var(--bg); border: 1px solid var(--line); padding: 1em; }
        #shortcuts dl { display: grid; grid-template-columns: 3em 1fr; }
        .messages .size, .messages .date { color: var(--muted); }
        .pager { display: flex; gap: 1em; margin: 1em 0; }
        .headers { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; }
        .headers dt { color: var(--muted); }
        .headers dd { margin: 0; overflow-wrap: anywhere; }
        .actions { display: flex; gap: .5em; margin: 1em 0; }
        pre.body { white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; }
        iframe.html-body { width: 100%; min-height: 70vh; border: 1px solid var(--line); background: #fff; color-scheme: light; }
        .login { max-width: 22em; margin: 10vh auto; display: grid; gap: .5em; }
        .login form { display: grid; gap: .5em; }
        .problem { color: #d70015; }
        input, button { font: inherit; padding: .4em .6em; }
        @media (max-width: 700px) {
          .mail { grid-template-columns: 1fr; grid-template-rows: auto 1fr; }
          .folders { border-right: 0; border-bottom: 1px solid var(--line); }
          .folders ul { display: flex; gap: .8em; overflow-x: auto; white-space: nowrap; }
          .folders li[class^="depth-"] { padding: .2em 0; }
          .top { flex-wrap: wrap; gap: .6em; }
          .top .account { display: none; }
          .top form { margin-left: auto; }
          .messages .size, .messages th:last-child { display: none; }
        }
        """
}
