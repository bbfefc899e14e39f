/// The page's one script (an ES module, no framework): live counts and list from `/events`,
/// dates in the reader's zone and language, keyboard shortcuts. Every page works without it.
/// It builds DOM nodes only; it never assigns markup (`innerHTML`), and a refreshed list is
/// our own page parsed by `DOMParser`, which runs nothing.
enum AppScript {
    static let text = #"""
        // Buzón webmail: the live parts.
        let main = document.querySelector("main[data-mailbox]");
        const mailbox = main ? Number(main.dataset.mailbox) : null;
        const baseTitle = document.title.replace(/^\(\d+\) /, "");

        function localDates(root) {
          for (const time of root.querySelectorAll("time[datetime]")) {
            const date = new Date(time.dateTime);
            if (Number.isNaN(date.getTime())) continue;
            time.title = time.dateTime;
            time.textContent = date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
          }
        }

        function showCounts(list) {
          for (const box of list) {
            const link = document.querySelector(`nav.folders a[href="/mail/${box.id}"]`);
            if (link) {
              let badge = link.parentElement.querySelector(".unread-count");
              if (box.unread > 0) {
                if (!badge) {
                  badge = document.createElement("span");
                  badge.className = "unread-count";
                  link.after(" ", badge);
                }
                badge.textContent = String(box.unread);
              } else if (badge) {
                badge.remove();
              }
            }
            if (box.id === mailbox) {
              document.title = (box.unread > 0 ? `(${box.unread}) ` : "") + baseTitle;
              if (main.classList.contains("list") && String(box.modSeq) !== main.dataset.modseq) refreshList();
            }
          }
        }

        // The list again, from the server, unless the reader has checked messages in it.
        async function refreshList() {
          if (main.querySelector('input[name="uid"]:checked')) return;
          const response = await fetch(location.href, { credentials: "same-origin" });
          if (!response.ok) return;
          const page = new DOMParser().parseFromString(await response.text(), "text/html");
          const fresh = page.querySelector("main.list[data-mailbox]");
          if (!fresh || main.querySelector('input[name="uid"]:checked')) return;
          localDates(fresh);
          const adopted = document.adoptNode(fresh);
          main.replaceWith(adopted);
          main = adopted;
          current = -1;
        }

        // Keyboard: j/k next/previous, o or Enter open, x check, # delete, u back to the folder,
        // / search, ? this list.
        let current = -1;
        function rows() { return [...document.querySelectorAll("table.messages tbody tr")]; }
        function move(step) {
          const all = rows();
          if (!all.length) return;
          all[current]?.classList.remove("current");
          current = Math.max(0, Math.min(all.length - 1, current + step));
          all[current].classList.add("current");
          all[current].scrollIntoView({ block: "nearest" });
        }
        function press(selector) { document.querySelector(selector)?.click(); }
        const shortcuts = [
          ["j", "next message"], ["k", "previous message"], ["o", "open"], ["x", "check"], ["#", "delete"],
          ["u", "back to the folder"], ["/", "search"], ["?", "these shortcuts"],
        ];
        function toggleHelp() {
          const open = document.getElementById("shortcuts");
          if (open) { open.remove(); return; }
          const dialog = document.createElement("aside");
          dialog.id = "shortcuts";
          dialog.setAttribute("role", "dialog");
          dialog.setAttribute("aria-label", "Keyboard shortcuts");
          const list = document.createElement("dl");
          for (const [key, what] of shortcuts) {
            const dt = document.createElement("dt");
            dt.textContent = key;
            const dd = document.createElement("dd");
            dd.textContent = what;
            list.append(dt, dd);
          }
          dialog.append(list);
          document.body.append(dialog);
        }
        document.addEventListener("keydown", (event) => {
          if (event.ctrlKey || event.metaKey || event.altKey) return;
          if (event.target.closest("input, textarea, select")) return;
          const row = rows()[current];
          switch (event.key) {
            case "j": move(1); break;
            case "k": move(-1); break;
            case "o": case "Enter": row?.querySelector("td.subject a")?.click(); break;
            case "x": { const box = row?.querySelector('input[name="uid"]'); if (box) box.checked = !box.checked; break; }
            case "#":
              if (row) { row.querySelector('input[name="uid"]').checked = true; press('form.bulk button[value="delete"]'); }
              else press('form.actions button[value="delete"]');
              break;
            case "u": press("p.back a"); break;
            case "/": event.preventDefault(); document.querySelector('input[name="q"]')?.focus(); break;
            case "?": toggleHelp(); break;
            default: return;
          }
        });

        localDates(document);
        if (main && "EventSource" in window) {
          const events = new EventSource("/events");
          events.addEventListener("mailboxes", (event) => showCounts(JSON.parse(event.data).mailboxes));
        }
        """#
}
